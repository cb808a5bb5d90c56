from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.errors import SourceError
from pipeline.sources.tota import list_tota_files, parse_tota_xml, read_tota_file, without_trailing_heading
from tests.conftest import requires_tota

MINIMAL = b"""<?xml version="1.0" encoding="UTF-8"?>
<treaty><meta><name>A - B</name><treaty_identifier>9001</treaty_identifier><date_signed>2015-03-02</date_signed>
<date_into_force/><parties><partyisocode n="1">AAA</partyisocode><partyisocode n="2">BBB</partyisocode></parties>
<language>en</language></meta>
<body><chapter name="Electronic Commerce" chapter_identifier="1">
<article article_identifier="77" number="ARTICLE 1" name="Paperless Trading">Each Party shall
  accept trade administration documents submitted electronically.</article>
<article article_identifier="78">Second article.</article></chapter></body></treaty>"""


def test_parses_metadata_and_articles() -> None:
    document = parse_tota_xml(MINIMAL, location="mini.xml")
    agreement = document.agreement
    assert agreement.id == "tota:9001" and agreement.source_id == "9001"
    assert agreement.date_signed == date(2015, 3, 2) and agreement.date_in_force is None
    assert agreement.parties == ("AAA", "BBB") and agreement.language == "en"
    assert len(agreement.content_hash) == 64
    first, second = document.provisions
    assert (first.chapter, first.article_no, first.article_title) == ("Electronic Commerce", "1", "Paperless Trading")
    assert first.source_provision_id == "77" and first.ordinal == 0 and first.id == "tota:9001:0"
    assert first.text.startswith("Each Party shall") and second.article_no is None
    assert second.char_start == first.char_end + 2


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Each Party shall protect them.\n\n  Sub-section C\n\n  Liability of online service providers",
         "Each Party shall protect them."),
        ("Rights apply. \n\nSubsection A2.3 \n\nAgricultural and processed agricultural products",
         "Rights apply."),
        ("Rights apply.\n\nTITLE V \n\n\nMOVEMENT OF WORKERS, ESTABLISHMENT, \nSUPPLY OF SERVICES",
         "Rights apply."),
        ("Spanish ends too.\n\nSubsección 2\n\nComercio electrónico", "Spanish ends too."),
        # Not a heading: a sentence, a cross-reference, an article that is only a heading.
        ("The Parties shall apply the rules of\n\nSub-section C of Section 2.", None),
        ("See Annex XVII \n\n(Telecommunications Services).", None),
        ("Sub-section C\n\nLiability of online service providers", None),
    ],
)
def test_the_next_parts_heading_is_cut_from_the_end_of_an_article(text: str, kept: str | None) -> None:
    assert without_trailing_heading(text) == (kept if kept is not None else text)


@requires_tota
def test_no_real_article_ends_with_the_next_sub_sections_heading(tota_dir: Path) -> None:
    document = read_tota_file(tota_dir / "pta_145.xml")  # EU - Korea: ~20 such endings in ToTA
    rights = next(p for p in document.provisions if p.source_provision_id == "12793")
    assert rights.text.endswith("duly\n  protected and guaranteed.")
    assert not any(p.text.rstrip().endswith("Liability of online service providers") for p in document.provisions)


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        (b"", "is empty"),
        (b"<treaty><meta>", "not well-formed"),
        (b"<html><body/></html>", "not a ToTA treaty file"),
        (b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><treaty>&b;</treaty>', "unsafe XML"),
        (b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><treaty>&x;</treaty>', "unsafe XML"),
    ],
)
def test_bad_xml_gets_a_clear_error_naming_the_file(payload: bytes, problem: str) -> None:
    with pytest.raises(SourceError) as error:
        parse_tota_xml(payload, location="bad/pta_1.xml")
    assert "bad/pta_1.xml" in str(error.value) and problem in str(error.value)


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYBERNORMS_MAX_XML_BYTES", "100")
    path = tmp_path / "pta_5.xml"
    path.write_bytes(MINIMAL)
    with pytest.raises(SourceError, match="over the 100-byte limit"):
        read_tota_file(path)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="is not a directory"):
        list_tota_files(tmp_path / "nowhere")


@requires_tota
def test_reads_a_real_agreement(tota_dir: Path) -> None:
    document = read_tota_file(tota_dir / "pta_151.xml")
    assert document.agreement.name == "Japan - Australia"
    assert document.agreement.parties == ("AUS", "JPN") or set(document.agreement.parties) == {"AUS", "JPN"}
    assert len(document.provisions) == 276
    chapters = {p.chapter for p in document.provisions}
    assert "Electronic Commerce" in chapters
    assert all(p.source_provision_id for p in document.provisions)
    assert len({p.id for p in document.provisions}) == 276


@requires_tota
def test_lists_files_in_treaty_order(tota_dir: Path) -> None:
    files = list_tota_files(tota_dir)
    assert len(files) == 450
    assert [f.name for f in files[:3]] == ["pta_1.xml", "pta_2.xml", "pta_3.xml"]

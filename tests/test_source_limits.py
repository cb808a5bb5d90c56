"""Limits on one input file, stray files beside a corpus, and a fix in every SourceError."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from pipeline.errors import SourceError
from pipeline.sources import list_source_files
from pipeline.sources.files import discover_inputs, read_document
from pipeline.sources.limits import LIMIT_VARIABLES, source_limits
from pipeline.sources.manifest import load_manifest
from pipeline.sources.tota import read_tota_file

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"
AGREEMENT = "Article 1\nScope\nThis Agreement applies to electronic commerce.\n\nArticle 2\nCustoms duties\n" \
            "No Party shall impose customs duties on electronic transmissions.\n"


def test_every_source_error_in_the_package_carries_a_fix() -> None:
    """Read from the code itself: a SourceError raised anywhere without a fix fails here."""
    missing = []
    for module in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "SourceError":
                has_fix = (len(node.args) >= 3 or any(k.arg == "fix" for k in node.keywords)
                           or any(isinstance(a, ast.Starred) for a in node.args))
                if not has_fix:
                    missing.append(f"{module.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert missing == []


def test_no_bare_value_error_for_a_user_choice() -> None:
    with pytest.raises(SourceError, match="not a PDF engine.*choose one of"):
        read_document(Path("x.pdf"), pdf_engine="acrobat")


def test_limits_come_from_the_environment_and_bad_values_are_named() -> None:
    assert source_limits({}).pdf_pages == LIMIT_VARIABLES["pdf_pages"][1]
    assert source_limits({"CYBERNORMS_MAX_PDF_PAGES": "7"}).pdf_pages == 7
    with pytest.raises(SourceError, match="CYBERNORMS_MAX_PDF_SECONDS.*not a positive number.*unset it"):
        source_limits({"CYBERNORMS_MAX_PDF_SECONDS": "soon"})


def test_text_and_html_files_over_the_byte_limit_are_refused(tmp_path: Path, monkeypatch) -> None:
    for name in ("big.txt", "big.html"):
        (tmp_path / name).write_text(AGREEMENT * 10)
    monkeypatch.setenv("CYBERNORMS_MAX_TEXT_BYTES", "100")
    for name in ("big.txt", "big.html"):
        with pytest.raises(SourceError, match=r"over the 100-byte limit.*raise CYBERNORMS_MAX_TEXT_BYTES"):
            read_document(tmp_path / name)
    monkeypatch.delenv("CYBERNORMS_MAX_TEXT_BYTES")
    assert read_document(tmp_path / "big.txt").provisions


def test_xml_over_the_byte_limit_is_refused(tota_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("CYBERNORMS_MAX_XML_BYTES", "1000")
    with pytest.raises(SourceError, match="over the 1,000-byte limit.*CYBERNORMS_MAX_XML_BYTES"):
        read_tota_file(tota_dir / "pta_63.xml")


@pytest.fixture()
def long_pdf(tmp_path: Path) -> Path:
    """Six real pages of text (fpdf2's core font: no font files needed)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for page in range(6):
        pdf.add_page()
        pdf.multi_cell(0, 6, AGREEMENT.replace("Article 1", f"Article {2 * page + 1}")
                       .replace("Article 2", f"Article {2 * page + 2}"))
    path = tmp_path / "long.pdf"
    pdf.output(str(path))
    return path


def test_pdf_limits_bytes_pages_and_seconds(long_pdf: Path, monkeypatch) -> None:
    assert read_document(long_pdf).provisions  # within the defaults
    monkeypatch.setenv("CYBERNORMS_MAX_PDF_BYTES", "200")
    with pytest.raises(SourceError, match="over the 200-byte limit.*CYBERNORMS_MAX_PDF_BYTES"):
        read_document(long_pdf)
    monkeypatch.delenv("CYBERNORMS_MAX_PDF_BYTES")
    monkeypatch.setenv("CYBERNORMS_MAX_PDF_PAGES", "5")
    with pytest.raises(SourceError, match="is 6 pages, over the 5-page limit.*CYBERNORMS_MAX_PDF_PAGES"):
        read_document(long_pdf)
    monkeypatch.delenv("CYBERNORMS_MAX_PDF_PAGES")
    monkeypatch.setenv("CYBERNORMS_MAX_PDF_SECONDS", "1e-9")
    with pytest.raises(SourceError, match=r"took over 1e-09 s to read \(stopped after page 1\)"):
        read_document(long_pdf)


def test_readmes_dotfiles_and_excluded_files_are_not_agreements(tmp_path: Path, tota_dir: Path) -> None:
    shutil.copy(tota_dir / "pta_63.xml", tmp_path)
    for name in ("README.md", "README-upstream.md", "readme.txt", ".notes.txt", ".git/info.txt",
                 "drafts/old.txt", "agreement.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(AGREEMENT)
    (tmp_path / "sources.toml").write_text('exclude = ["drafts/*"]\n')
    assert [p.name for p in list_source_files(tmp_path)] == ["pta_63.xml", "agreement.txt"]
    assert load_manifest(tmp_path).exclude == ("drafts/*",)
    assert [p.name for p in discover_inputs(tmp_path)] == ["agreement.txt", "old.txt"]  # no manifest: no exclusions


def test_a_bad_exclude_list_is_named(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text('exclude = "drafts"\n')
    with pytest.raises(SourceError, match="`exclude` must be a list.*exclude = "):
        load_manifest(tmp_path)

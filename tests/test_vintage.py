"""Dated evidence in provision texts and the vintage decision."""

from __future__ import annotations

from pipeline.analytics.treaties import normalised_name
from pipeline.analytics.vintage import decide_vintage
from pipeline.nlp.dates import Evidence, provision_evidence


def kinds(text: str, chapter: str | None = None) -> list[tuple[str, int]]:
    return [(e.kind, e.year) for e in provision_evidence(text, "x:0", chapter, None)]


def test_signature_clauses_in_english_and_spanish() -> None:
    assert ("signature clause", 2007) in kinds("DONE at Tokyo on this third day of April 2007, in duplicate.")
    assert ("signature clause", 2004) in kinds(
        "EN FE DE LO CUAL, los infrascritos firman este Tratado.\nHecho en Santiago, a los seis días del mes de "
        "junio de 2004.")


def test_a_cited_agreement_done_elsewhere_is_not_a_signature_clause() -> None:
    found = kinds("the Marrakesh Agreement Establishing the World Trade Organization, done at Marrakesh, "
                  "15 April 1994")
    assert ("signature clause", 1994) not in found and ("text date", 1994) in found


def test_deadlines_and_calendars_are_not_dates_of_the_text() -> None:
    assert kinds("Tariffs shall be eliminated by 1 January 2010.") == []
    assert kinds("Starting from 1 January 2012 the duty shall be zero.") == []
    assert kinds("The rate applied on 1 January 2002.", chapter="Annex I Tariff Schedule") == []
    # Citations date themselves wherever they stand.
    assert kinds("Regulation (EEC) No 1911/91 and Directive 95/46/EC", chapter="Annex") == [
        ("citation", 1991), ("citation", 1995)]


def test_decision_prefers_signature_then_citations_then_metadata() -> None:
    signature = Evidence("signature clause", 2001, "Done at Brussels, 27 November 2001", "a:1")
    assert decide_vintage(1970, [signature], []).vintage_year == 2001
    # A text cannot be older than what it cites.
    assert decide_vintage(1991, [Evidence("signature clause", 1991, "DONE at Geneva", "a:1")],
                          [("GATS", 1994)]).vintage_basis == "cited instruments"
    # Body dates count only once citations prove the metadata wrong.
    later = Evidence("text date", 2002, "applied on 1 January 2002", "a:2")
    assert decide_vintage(1990, [later], []).vintage_year == 1990
    assert decide_vintage(1976, [later, Evidence("citation", 2001, "No 1105/2001", "a:3")], []).vintage_year == 2002
    assert decide_vintage(None, [], []).vintage_year is None


def test_language_suffixes_do_not_split_a_treaty() -> None:
    assert normalised_name("Trans-Pacific Partnership (es)") == normalised_name("TRANS-PACIFIC PARTNERSHIP")
    assert normalised_name("Acuerdo X - Spanish version") == "acuerdo x"
    assert normalised_name("EU - Mexico") != normalised_name("EU - Chile")


def test_manifest_treaty_key_groups_versions_and_joins_an_agreement(tmp_path) -> None:
    from datetime import date

    import pandas as pd

    from pipeline.analytics.treaties import treaty_versions
    from pipeline.sources.manifest import load_manifest

    (tmp_path / "sources.toml").write_text(
        '[[agreement]]\nfile = "rcep-en.pdf"\nname = "RCEP"\nlanguage = "en"\ntreaty = "RCEP 2020"\n'
        '[[agreement]]\nfile = "rcep-fr.pdf"\nname = "PERC"\nlanguage = "fr"\ntreaty = "RCEP 2020"\n'
        '[[agreement]]\nfile = "tpp-summary.txt"\nname = "TPP summary"\ntreaty = "tota:449"\n', encoding="utf-8")
    entries = load_manifest(tmp_path).entries
    assert [e.treaty for e in entries] == ["RCEP 2020", "RCEP 2020", "tota:449"]
    agreements = pd.DataFrame({
        "agreement_id": ["pdf:rcep-en", "pdf:rcep-fr", "text:tpp-summary", "tota:449"],
        "source": ["pdf", "pdf", "text", "tota"],
        "name": ["RCEP", "PERC", "TPP summary", "Trans-Pacific Partnership"],
        "date_signed": [None, None, None, date(2016, 2, 3)],
        "parties": [[], [], [], ["AUS"]],
        "language": ["en", "fr", "en", "en"],
        "treaty": ["RCEP 2020", "RCEP 2020", "tota:449", None],
    })
    versions = treaty_versions(agreements).set_index("agreement_id")
    assert versions.loc["pdf:rcep-en", "treaty_id"] == versions.loc["pdf:rcep-fr", "treaty_id"] == "rcep-2020"
    assert versions.loc["pdf:rcep-en", "authoritative"] and not versions.loc["pdf:rcep-fr", "authoritative"]
    assert versions.loc["text:tpp-summary", "treaty_id"] == versions.loc["tota:449", "treaty_id"] \
        == "trans-pacific-partnership-2016"
    assert versions.loc["tota:449", "authoritative"]  # ToTA's text before a summary, both English

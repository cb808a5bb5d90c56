"""The incremental update of the treaty and vintage tables gives exactly the rows of a full rebuild.

Each test changes a real store (the store's own write path, real DuckDB), brings the derived
tables up to date with `update` (which must take the incremental path), then rebuilds them
whole and compares every table both ways with SQL EXCEPT. The changes cover adding, changing
and withdrawing documents, language versions of one treaty (the English and Spanish TPP of the
fixture) joining, leaving and changing authority, and treaty-id clashes; then the cases that
must fall back to a full rebuild. The last test runs the real refresh flow over files.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from pipeline.analytics import derive
from pipeline.analytics.derive import rebuild, update
from pipeline.model import Agreement
from pipeline.store import open_database
from pipeline.store.writes import write_documents
from tests.analytics_fixture import _document, fixture_documents

CODE = "test-code-1"
DERIVED = ("agreement_vintage", "treaty_versions", "treaties")


@pytest.fixture()
def store(tmp_path: Path):
    connection = open_database(tmp_path / "cn.duckdb")
    outcome = write_documents(connection, fixture_documents(), "run-0")
    assert not outcome.errors
    rebuild(connection, CODE)
    yield connection
    connection.close()


def documents_by_id():
    return {d.document.agreement.id: d for d in fixture_documents()}


def with_agreement(analysed, **changes):
    """The analysed document with its agreement's metadata changed."""
    agreement = replace(analysed.document.agreement, **changes)
    return _document(agreement, [(p.chapter, p.text, pred.labels, pred.bindingness)
                                 for p, pred in zip(analysed.document.provisions, analysed.predictions)])


def assert_same_as_full_rebuild(connection: duckdb.DuckDBPyConnection) -> None:
    """The derived tables as they are equal, row for row, what a full rebuild writes."""
    for table in DERIVED:
        connection.execute(f"CREATE OR REPLACE TEMP TABLE incremental_{table} AS SELECT * FROM {table}")
    rebuild(connection, CODE)
    for table in DERIVED:
        full_count = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert full_count > 0, table
        for left, right in ((table, f"incremental_{table}"), (f"incremental_{table}", table)):
            extra = connection.execute(f"SELECT * FROM {left} EXCEPT SELECT * FROM {right}").fetchall()
            assert extra == [], f"{left} has rows {right} lacks: {extra}"
        assert connection.execute(f"SELECT count(*) FROM incremental_{table}").fetchone()[0] == full_count


def update_incrementally(connection: duckdb.DuckDBPyConnection, affected: set[str]) -> None:
    assert update(connection, affected, CODE).incremental


def treaty_of(connection, agreement_id: str) -> tuple[str, bool]:
    return connection.execute("SELECT treaty_id, authoritative FROM treaty_versions WHERE agreement_id = ?",
                              [agreement_id]).fetchone()


def withdraw(connection, *ids: str) -> None:
    connection.execute("UPDATE all_agreements SET withdrawn_at = ? WHERE list_contains(?, agreement_id)",
                       [datetime.now(), list(ids)])


def restore(connection, *ids: str) -> None:
    connection.execute("UPDATE all_agreements SET withdrawn_at = NULL WHERE list_contains(?, agreement_id)",
                       [list(ids)])


# -- add, change, withdraw --------------------------------------------------------------------


def test_a_changed_spanish_version_updates_its_treaty_only(store) -> None:
    spanish = documents_by_id()["tota:450"]
    dated = _document(spanish.document.agreement, [
        ("Comercio Electrónico", "Cada Parte permitirá la transferencia transfronteriza de información.",
         ("cross_border_data_flows",), "hard"),
        ("Disposiciones Finales", "Hecho en Auckland, el cuatro de febrero de 2016.", (), None),
    ])
    write_documents(store, [dated], "run-1")
    update_incrementally(store, {"tota:450"})
    assert treaty_of(store, "tota:450") == ("trans-pacific-partnership-2016", False)
    assert_same_as_full_rebuild(store)


def test_a_spanish_version_renamed_out_of_its_treaty_becomes_its_own(store) -> None:
    write_documents(store, [with_agreement(documents_by_id()["tota:450"], name="Acuerdo Transpacífico")], "run-1")
    update_incrementally(store, {"tota:450"})
    assert treaty_of(store, "tota:450") == ("acuerdo-transpacifico-2016", True)
    assert treaty_of(store, "tota:449") == ("trans-pacific-partnership-2016", True)
    assert_same_as_full_rebuild(store)


def test_a_changed_english_version_leaves_the_spanish_one_authoritative(store) -> None:
    write_documents(store, [with_agreement(documents_by_id()["tota:449"], date_signed=date(2016, 2, 4),
                                           parties=("AUS", "CHL", "NZL", "USA"))], "run-1")
    update_incrementally(store, {"tota:449"})
    assert treaty_of(store, "tota:450")[1] and treaty_of(store, "tota:449")[1]
    # Both named 'Trans-Pacific Partnership' in 2016: the id clash adds the full date to the later
    # group in order, the Spanish text's, whose treaty id changes though its own rows did not.
    assert treaty_of(store, "tota:449")[0] == "trans-pacific-partnership-2016"
    assert treaty_of(store, "tota:450")[0] == "trans-pacific-partnership-2016-02-03"
    assert_same_as_full_rebuild(store)


def test_an_added_language_version_joins_and_an_added_treaty_stands_alone(store) -> None:
    tpp = documents_by_id()["tota:449"].document.agreement
    french = _document(replace(tpp, id="text:tpp-fr", source="text", source_id="tpp-fr",
                               name="Trans-Pacific Partnership (fr)", language="fr"), [
        ("Commerce électronique", "Chaque Partie autorise le transfert transfrontières d'informations.",
         ("cross_border_data_flows",), "hard")])
    other = _document(Agreement("text:new", "text", "new", "Data Partnership", date_signed=date(2012, 3, 1),
                                parties=("CAN", "MEX"), language="en"), [
        ("Data", "The Parties shall cooperate on personal data protection, in line with the Budapest Convention.",
         ("personal_data_protection",), "soft")])
    write_documents(store, [french, other], "run-1")
    update_incrementally(store, {"text:tpp-fr", "text:new"})
    assert treaty_of(store, "text:tpp-fr") == ("trans-pacific-partnership-2016", False)
    assert store.execute("SELECT language_versions FROM treaties WHERE treaty_id = 'trans-pacific-partnership-2016'"
                         ).fetchone()[0] == ["text:tpp-fr", "tota:449", "tota:450"]
    assert_same_as_full_rebuild(store)


def test_a_manifest_treaty_key_joins_versions_across_groups(store) -> None:
    summary = _document(Agreement("text:tpp-summary", "text", "tpp-summary", "TPP summary", language="en",
                                  treaty="tota:449"), [("Summary", "A summary of the TPP.", (), None)])
    write_documents(store, [summary], "run-1")
    update_incrementally(store, {"text:tpp-summary"})
    assert treaty_of(store, "text:tpp-summary") == ("trans-pacific-partnership-2016", False)
    assert_same_as_full_rebuild(store)


def test_withdrawing_the_english_version_and_bringing_it_back(store) -> None:
    withdraw(store, "tota:449")
    update_incrementally(store, {"tota:449"})
    assert treaty_of(store, "tota:449") is None
    assert treaty_of(store, "tota:450") == ("trans-pacific-partnership-2016", True)
    assert store.execute("SELECT count(*) FROM agreement_vintage WHERE agreement_id = 'tota:449'").fetchone()[0] == 0
    assert_same_as_full_rebuild(store)
    restore(store, "tota:449")
    update_incrementally(store, {"tota:449"})
    assert treaty_of(store, "tota:449") == ("trans-pacific-partnership-2016", True)
    assert_same_as_full_rebuild(store)


def test_withdrawing_a_whole_treaty_removes_its_row(store) -> None:
    withdraw(store, "tota:206")
    update_incrementally(store, {"tota:206"})
    assert store.execute("SELECT count(*) FROM treaties WHERE authoritative_agreement_id = 'tota:206'"
                         ).fetchone()[0] == 0
    assert_same_as_full_rebuild(store)


# -- when the stored tables cannot be the starting point: a full rebuild -----------------------


def test_a_new_latest_signature_year_rebuilds_everything(store) -> None:
    late = _document(Agreement("text:late", "text", "late", "Later Agreement", date_signed=date(2031, 1, 1),
                               parties=("CAN", "MEX"), language="en"), [("Data", "Data.", (), None)])
    write_documents(store, [late], "run-1")
    assert not update(store, {"text:late"}, CODE).incremental
    assert store.execute("SELECT latest_plausible_year FROM derivation_state").fetchone()[0] == 2031
    assert_same_as_full_rebuild(store)
    withdraw(store, "text:late")  # and back to 2016
    assert not update(store, {"text:late"}, CODE).incremental
    assert store.execute("SELECT latest_plausible_year FROM derivation_state").fetchone()[0] == 2016


def test_other_code_or_no_state_rebuilds_everything(store) -> None:
    write_documents(store, [with_agreement(documents_by_id()["tota:450"], name="Acuerdo Transpacífico")], "run-1")
    assert not update(store, {"tota:450"}, "test-code-2").incremental
    assert store.execute("SELECT code_version FROM derivation_state").fetchall() == [("test-code-2",)]
    store.execute("DELETE FROM derivation_state")
    assert not update(store, {"tota:450"}, "test-code-2").incremental


def test_many_changes_rebuild_everything(store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(derive, "INCREMENTAL_AT_MOST", 1)
    assert not update(store, {"tota:449", "tota:450"}, CODE).incremental  # two of five: over a quarter
    assert update(store, {"tota:449"}, CODE).incremental


# -- through the refresh flow -------------------------------------------------------------------

MANIFEST = """
[[agreement]]
file = "notes-en.txt"
id = "notes-en"
name = "Notes on Data Flows (en)"
language = "en"
parties = ["AAA", "BBB"]
date_signed = 2019-05-01

[[agreement]]
file = "notes-es.txt"
id = "notes-es"
name = "Notes on Data Flows (es)"
language = "es"
parties = ["AAA", "BBB"]
date_signed = 2019-05-01
"""
ENGLISH = ("ARTICLE 1\nCross-Border Transfer of Information\n\nEach Party shall allow the cross-border transfer "
           "of information by electronic means.\n")
SPANISH = ("ARTÍCULO 1\nTransferencia Transfronteriza de Información\n\nCada Parte permitirá la transferencia "
           "transfronteriza de información por medios electrónicos.\n")


def published_equals_full_rebuild(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "check.duckdb"
    shutil.copy(db, copy)
    with open_database(copy) as connection:
        assert_same_as_full_rebuild(connection)


def test_the_refresh_flow_updates_incrementally_with_the_rows_of_a_full_rebuild(
        tmp_path: Path, tota_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import flows

    folder = tmp_path / "corpus"
    folder.mkdir()
    for identifier in ("63", "127", "151", "395", "433"):
        shutil.copy(tota_dir / f"pta_{identifier}.xml", folder)
    (folder / "sources.toml").write_text(MANIFEST)
    (folder / "notes-en.txt").write_text(ENGLISH)
    (folder / "notes-es.txt").write_text(SPANISH)
    db = tmp_path / "cn.duckdb"

    def refresh():
        run = flows.refresh(source=str(folder), db_path=str(db), workers=1)
        assert run.published and not run.errors
        return run

    refresh()  # cold: a full rebuild
    with open_database(db, read_only=True) as connection:
        assert connection.execute("SELECT treaty_id FROM treaty_versions WHERE agreement_id IN "
                                  "('text:notes-en', 'text:notes-es')").fetchall() == [
            ("notes-on-data-flows-2019",)] * 2
    full_rebuilds: list = []
    monkeypatch.setattr(derive, "rebuild", lambda *args, **kwargs: full_rebuilds.append(args))

    (folder / "notes-es.txt").write_text(SPANISH + "\nHecho en Santiago, el 1 de mayo de 2019.\n")
    assert refresh().agreements_changed == 1
    (folder / "pta_127.xml").unlink()
    assert refresh().agreements_withdrawn == 1
    shutil.copy(tota_dir / "pta_127.xml", folder)
    assert refresh().agreements_added == 1
    assert full_rebuilds == []  # each refresh took the incremental path
    monkeypatch.undo()
    published_equals_full_rebuild(db, tmp_path)


def test_values_read_alike_from_dataframes_and_duckdb() -> None:
    """The full rebuild reads pandas values, the incremental one DuckDB's: one reading of both."""
    import numpy as np
    import pandas as pd

    from pipeline.analytics.records import as_date, declared, is_missing

    for value in (None, np.nan, pd.NaT, pd.NA, np.datetime64("NaT"), "x", "", pd.Timestamp("2016-02-03"),
                  date(2016, 2, 3), np.datetime64("2016-02-03")):
        assert is_missing(value) == bool(pd.isna(value)), repr(value)
    for value in (pd.Timestamp("2016-02-03"), date(2016, 2, 3), datetime(2016, 2, 3, 12), np.datetime64("2016-02-03")):
        assert as_date(value) == date(2016, 2, 3)
    assert [declared(v) for v in (None, np.nan, pd.NA, "  ", " RCEP 2020 ")] == [None, None, None, None, "RCEP 2020"]

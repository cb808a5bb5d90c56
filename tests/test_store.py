from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from pipeline.classify.documents import AnalysedDocument, analyse_document
from pipeline.classify.lexicon import LexiconClassifier
from pipeline.errors import StoreError
from pipeline.sources.tota import parse_tota_xml
from pipeline.store import open_database
from pipeline.store.writes import stored_versions, write_documents
from tests.test_tota_source import MINIMAL

CLAUSE_COLUMNS = [
    "provision_id", "agreement_id", "treaty_id", "source", "source_id", "source_provision_id", "agreement_name",
    "date_signed", "year", "vintage_year", "parties", "language", "chapter", "article_no", "article_title", "text", "labels", "bindingness",
    "instruments", "model_version",
]


def analysed(data: bytes = MINIMAL) -> AnalysedDocument:
    return analyse_document(parse_tota_xml(data, "mini.xml"), LexiconClassifier())


def dump(connection: duckdb.DuckDBPyConnection) -> list:
    return [connection.execute(f"SELECT * EXCLUDE (run_id) FROM agreements ORDER BY ALL").fetchall(),
            connection.execute("SELECT * FROM provisions ORDER BY ALL").fetchall(),
            connection.execute("SELECT * FROM predictions ORDER BY ALL").fetchall()]


def test_clauses_view_has_exactly_the_documented_columns(tmp_path: Path) -> None:
    connection = open_database(tmp_path / "db.duckdb")
    write_documents(connection, [analysed()], "run1")
    columns = [row[0] for row in connection.execute("DESCRIBE clauses").fetchall()]
    assert columns == CLAUSE_COLUMNS
    row = connection.execute("SELECT source_id, source_provision_id, year, parties, labels FROM clauses").fetchone()
    assert row[0] == "9001" and row[1] == "77" and row[2] == 2015 and row[3] == ["AAA", "BBB"]
    assert "paperless_trading" in row[4] or "ecommerce_general" in row[4]


def test_rewriting_yields_identical_rows_and_no_duplicates(tmp_path: Path) -> None:
    connection = open_database(tmp_path / "db.duckdb")
    write_documents(connection, [analysed()], "run1")
    first = dump(connection)
    write_documents(connection, [analysed()], "run2")
    assert dump(connection) == first
    assert connection.execute("SELECT count(*) FROM provisions").fetchone()[0] == 2
    assert stored_versions(connection)["tota:9001"][1] == "lexicon-1.0"


def test_a_failing_agreement_keeps_its_previous_rows_and_spares_the_others(tmp_path: Path) -> None:
    connection = open_database(tmp_path / "db.duckdb")
    good = analysed()
    write_documents(connection, [good], "run1")
    before = dump(connection)
    # A provision without text violates NOT NULL: this version of the agreement cannot be written.
    broken_provision = replace(good.document.provisions[0], text=None)
    broken = AnalysedDocument(replace(good.document, provisions=(broken_provision,)), good.predictions)
    other = analysed(MINIMAL.replace(b"9001", b"9002"))
    outcome = write_documents(connection, [broken, other], "run2")
    assert outcome.agreements == 1 and len(outcome.errors) == 1 and "tota:9001" in outcome.errors[0]
    assert connection.execute("SELECT count(*) FROM agreements WHERE agreement_id = 'tota:9002'").fetchone()[0] == 1
    after = [[row for row in table if "9002" not in str(row)] for table in dump(connection)]
    assert after == before


def test_read_only_database_refuses_writes_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "db.duckdb"
    with pytest.raises(StoreError, match="no database here yet"):
        open_database(path, read_only=True)
    open_database(path).close()
    connection = open_database(path, read_only=True)
    with pytest.raises(duckdb.Error):
        connection.execute("DELETE FROM agreements")


def test_paragraph_rows_are_stored_with_their_provision_and_replaced_with_it(tmp_path: Path) -> None:
    from pipeline.model import ParagraphPrediction
    from pipeline.nlp.paragraphs import split_paragraphs

    document = analysed()
    labelled = next(p for p in document.predictions if p.labels)
    text = next(p.text for p in document.document.provisions if p.id == labelled.provision_id)
    rows = tuple(ParagraphPrediction(p.index, p.number, p.kind, p.start, p.end, "binding", labelled.labels[:1])
                 for p in split_paragraphs(text))
    with_paragraphs = AnalysedDocument(document.document, tuple(
        replace(p, paragraphs=rows) if p is labelled else p for p in document.predictions))
    connection = open_database(tmp_path / "db.duckdb")
    for run in ("run1", "run2"):
        write_documents(connection, [with_paragraphs], run)
        stored = connection.execute(
            "SELECT pa.paragraph_index, pa.labels, substr(pr.text, pa.char_start + 1, pa.char_end - pa.char_start) "
            "FROM paragraphs pa JOIN provisions pr USING (provision_id) ORDER BY 1").fetchall()
        assert [(index, labels) for index, labels, _ in stored] == [(r.index, list(r.labels)) for r in rows]
        assert [excerpt for _, _, excerpt in stored] == [text[r.char_start:r.char_end] for r in rows]
    write_documents(connection, [document], "run3")  # the new version has no paragraph rows: none remain
    assert connection.execute("SELECT count(*) FROM paragraphs").fetchone()[0] == 0

"""Change detection, re-classification and withdrawal, through the real refresh flow.

Each input of a document's fingerprint (source bytes, manifest entry, sidecar, parser version,
PDF engine, model version) has a test that fails if the input is left out: the refresh after
changing it must redo that document, and only that one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline import flows
from pipeline.fingerprint import fingerprint_files
from pipeline.refresh_plan import StoredDocument, plan_refresh
from pipeline.store import open_database
from tests.test_mixed_folder_refresh import build_folder

REPO = Path(__file__).resolve().parents[1]
MODEL_1_0 = str(REPO / "models" / "norm-classifier" / "1.0.0")
MODEL_1_1 = str(REPO / "models" / "norm-classifier" / "1.1.0")


def refresh(folder: Path, db: Path, **kwargs):
    return flows.refresh(source=str(folder), db_path=str(db), workers=1, **{"model": MODEL_1_1, **kwargs})


def rows(db: Path, sql: str) -> list:
    with open_database(db, read_only=True) as connection:
        return connection.execute(sql).fetchall()


def touched(run) -> dict[str, int]:
    return {"added": run.agreements_added, "changed": run.agreements_changed,
            "reclassified": run.agreements_reclassified, "withdrawn": run.agreements_withdrawn,
            "unchanged": run.agreements_unchanged, "failed": run.agreements_failed}


@pytest.fixture()
def corpus(tmp_path: Path, tota_dir: Path) -> tuple[Path, Path]:
    """ToTA 63, a PDF, an HTML and a text file with a sources.toml, refreshed once."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    build_folder(folder, tota_dir)
    db = tmp_path / "cn.duckdb"
    first = refresh(folder, db)
    assert first.agreements_added == 4 and first.published and not first.errors
    return folder, db


# -- each fingerprint input, end to end -----------------------------------------------------


def test_nothing_changed_reads_nothing_and_publishes_nothing(corpus) -> None:
    folder, db = corpus
    published = db.stat().st_mtime_ns, db.stat().st_ino
    again = refresh(folder, db)
    assert touched(again) == {"added": 0, "changed": 0, "reclassified": 0, "withdrawn": 0, "unchanged": 4,
                              "failed": 0}
    assert not again.published and (db.stat().st_mtime_ns, db.stat().st_ino) == published
    stages = json.loads(rows(db, f"SELECT stage_seconds FROM runs WHERE run_id = '{again.id}'")[0][0])
    assert set(stages) == {"list", "fingerprint"}  # no snapshot, no workers, no model


def test_changed_source_bytes_are_read_again(corpus) -> None:
    folder, db = corpus
    path = folder / "notes.txt"
    path.write_text(path.read_text().replace("Final Provisions", "Final Clauses"))
    assert touched(refresh(folder, db))["changed"] == 1
    stored = rows(db, "SELECT string_agg(concat_ws(' ', article_title, text), ' ') FROM provisions "
                      "WHERE agreement_id = 'text:notes'")[0][0]
    assert "Final Clauses" in stored and "Final Provisions" not in stored


def test_a_changed_manifest_entry_is_read_again(corpus) -> None:
    folder, db = corpus
    manifest = folder / "sources.toml"
    manifest.write_text(manifest.read_text().replace('name = "Online Trade Agreement"', 'name = "Online Trade Pact"'))
    run = refresh(folder, db)
    assert touched(run)["changed"] == 1 and touched(run)["unchanged"] == 3
    assert rows(db, "SELECT name FROM agreements WHERE agreement_id = 'html:online'") == [("Online Trade Pact",)]


def test_a_new_sidecar_is_read_again(corpus) -> None:
    folder, db = corpus
    (folder / "notes.txt.toml").write_text('name = "Notes on Messages"\nparties = ["EEE", "FFF"]\n')
    assert touched(refresh(folder, db))["changed"] == 1
    assert rows(db, "SELECT name, parties FROM agreements WHERE agreement_id = 'text:notes'") == [
        ("Notes on Messages", ["EEE", "FFF"])]


def test_another_parser_version_reads_everything_again(corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, db = corpus
    import pipeline.fingerprint

    monkeypatch.setattr(pipeline.fingerprint, "parser_version", lambda: "a-newer-parser")
    assert touched(refresh(folder, db))["changed"] == 4


def test_another_pdf_engine_reads_the_pdfs_again_and_only_them(corpus) -> None:
    folder, db = corpus
    run = refresh(folder, db, pdf_engine="pdfplumber")
    assert touched(run)["changed"] == 1 and run.pdf_engine == "pdfplumber"
    assert rows(db, f"SELECT agreement_id FROM run_documents WHERE run_id = '{run.id}'") == [("pdf:dea",)]


def test_a_new_model_reclassifies_stored_provisions_without_parsing(corpus, monkeypatch) -> None:
    folder, db = corpus
    provisions = rows(db, "SELECT * FROM provisions ORDER BY provision_id")
    import pipeline.parallel

    def no_parsing(*args, **kwargs):
        raise AssertionError("a model change must not read or parse the source files")

    monkeypatch.setattr(pipeline.parallel, "read_any", no_parsing)  # the only reader the workers use
    run = refresh(folder, db, model=MODEL_1_0)
    assert touched(run)["reclassified"] == 4 and touched(run)["changed"] == 4 and not run.errors
    assert rows(db, "SELECT * FROM provisions ORDER BY provision_id") == provisions
    assert rows(db, "SELECT DISTINCT model_version FROM predictions") == [("norm-classifier-1.0.0",)]
    assert rows(db, "SELECT count(*) FROM footnotes")[0][0] == rows(db, "SELECT count(*) FROM all_footnotes")[0][0]


# -- the fingerprint itself, input by input ------------------------------------------------


def test_each_input_moves_the_fingerprint(tmp_path: Path, tota_dir: Path) -> None:
    build_folder(tmp_path, tota_dir)
    paths = [tmp_path / "pta_63.xml", tmp_path / "digital.pdf", tmp_path / "notes.txt"]

    def prints(engine: str = "pypdfium2", parser: str = "p1") -> list[str]:
        return [f.fingerprint for f in fingerprint_files(paths, engine, parser)]

    base = prints()
    assert prints() == base
    assert prints(parser="p2") != base and all(a != b for a, b in zip(prints(parser="p2"), base))
    assert [a == b for a, b in zip(prints(engine="pdfplumber"), base)] == [True, False, True]
    (tmp_path / "notes.txt.toml").write_text('name = "Notes"\n')
    assert [a == b for a, b in zip(prints(), base)] == [True, True, False]
    with (tmp_path / "pta_63.xml").open("ab") as handle:
        handle.write(b"\n")
    assert [a == b for a, b in zip(prints(), base)] == [False, True, False]


def test_the_plan_reclassifies_on_a_new_model_only() -> None:
    stored = [StoredDocument("tota:1", "/c/pta_1.xml", "/c", "fp", "1.0.0", False)]
    from pipeline.fingerprint import FileFingerprint

    listed = [FileFingerprint("/c/pta_1.xml", "fp")]
    assert plan_refresh(listed, stored, model_version="1.0.0", location="/c").unchanged
    assert plan_refresh(listed, stored, model_version="1.1.0", location="/c").reclassify == tuple(stored)
    assert plan_refresh([FileFingerprint("/c/pta_1.xml", "fp2")], stored, model_version="1.0.0",
                        location="/c").read == ("/c/pta_1.xml",)


# -- withdrawal ------------------------------------------------------------------------------


def test_withdrawn_documents_leave_every_view_and_come_back(corpus, tota_dir: Path) -> None:
    folder, db = corpus
    before = rows(db, "SELECT count(*) FROM clauses")[0][0]
    html_clauses = rows(db, "SELECT count(*) FROM clauses WHERE agreement_id = 'html:online'")[0][0]
    assert html_clauses > 0
    shutil.move(folder / "online.html", folder.parent / "online.html")
    gone = refresh(folder, db)
    assert touched(gone)["withdrawn"] == 1 and gone.published
    for view in ("agreements", "provisions", "predictions", "paragraphs", "text_dates", "footnotes", "clauses",
                 "agreement_vintage", "treaty_versions"):
        assert rows(db, f"SELECT count(*) FROM {view} WHERE agreement_id = 'html:online'") == [(0,)], view
    assert rows(db, "SELECT count(*) FROM clauses")[0][0] == before - html_clauses
    assert rows(db, "SELECT withdrawn_at IS NOT NULL FROM all_agreements WHERE agreement_id = 'html:online'") == [
        (True,)]  # marked, not deleted
    from pipeline import api

    assert "html:online" not in set(api.clauses(db)["agreement_id"])
    assert not any("online" in str(v).lower() for v in api.treaties(db)["language_versions"])

    # A refresh of another source into the same database withdraws nothing of this one.
    other = folder.parent / "other"
    other.mkdir()
    shutil.copy(tota_dir / "pta_127.xml", other)
    assert touched(refresh(other, db))["withdrawn"] == 0
    assert touched(refresh(folder / "notes.txt", db))["withdrawn"] == 0
    assert rows(db, "SELECT count(*) FROM agreements")[0][0] == 4  # tota:63, pdf, text, tota:127

    shutil.move(folder.parent / "online.html", folder / "online.html")
    back = refresh(folder, db)
    assert touched(back)["added"] == 1 and back.agreements_written == 0  # restored as stored, not read again
    assert rows(db, "SELECT count(*) FROM clauses")[0][0] == before + rows(
        db, "SELECT count(*) FROM clauses WHERE agreement_id = 'tota:127'")[0][0]

    from typer.testing import CliRunner

    from pipeline.cli import app

    result = CliRunner().invoke(app, ["history", "html:online", "--db", str(db)])
    assert result.exit_code == 0, result.output
    actions = [row[0] for row in rows(db, "SELECT d.action FROM run_documents d JOIN runs r USING (run_id) "
                                          "WHERE agreement_id = 'html:online' ORDER BY r.started_at")]
    assert actions == ["added", "withdrawn", "added"]
    for action in actions:
        assert action in result.output


def test_runs_record_counts_stages_and_versions(corpus) -> None:
    folder, db = corpus
    (folder / "notes.txt").unlink()
    run = refresh(folder, db)
    row = rows(db, f"""SELECT agreements_added, agreements_changed, agreements_unchanged, agreements_withdrawn,
                              agreements_failed, model_version, parser_version, code_version, stage_seconds
                       FROM runs WHERE run_id = '{run.id}'""")[0]
    assert row[:6] == (0, 0, 3, 1, 0, "norm-classifier-1.1.0")
    assert len(row[6]) == 12 and "+" in row[7]
    assert {"list", "fingerprint", "snapshot", "record", "derive", "publish"} <= set(json.loads(row[8]))
    every = rows(db, "SELECT count(*) FROM runs")[0][0]
    assert every == 2


def test_an_old_database_migrates_to_the_live_views(tmp_path: Path, tota_subset: Path) -> None:
    """A database from before withdrawal (plain tables) is renamed into all_* on its next refresh."""
    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as connection:
        connection.execute("CREATE TABLE agreements (agreement_id VARCHAR PRIMARY KEY, source VARCHAR NOT NULL, "
                           "source_id VARCHAR NOT NULL, name VARCHAR NOT NULL, type VARCHAR, composition VARCHAR, "
                           "status VARCHAR, date_signed DATE, date_in_force DATE, parties VARCHAR[], "
                           "region VARCHAR, language VARCHAR, content_hash VARCHAR NOT NULL, run_id VARCHAR NOT NULL)")
        connection.execute("INSERT INTO agreements (agreement_id, source, source_id, name, content_hash, run_id) "
                           "VALUES ('tota:63', 'tota', '63', 'old', 'x', 'r0')")
    run = flows.refresh(source=str(tota_subset), db_path=str(db), workers=1, model="lexicon")
    assert run.agreements_added == 5
    assert rows(db, "SELECT count(*) FROM agreements")[0][0] == 5
    assert rows(db, "SELECT table_type FROM information_schema.tables WHERE table_name = 'agreements'") == [("VIEW",)]


def test_a_no_change_refresh_command_imports_no_spacy_and_starts_no_workers(corpus) -> None:
    """The command as a user runs it: nothing changed, so no worker pool, no spaCy, no model."""
    import subprocess
    import sys

    folder, db = corpus
    script = f"""
import sys
from pipeline.cli import app
try:
    app(["refresh", "--source", {str(folder)!r}, "--db", {str(db)!r}, "--model", {MODEL_1_1!r}])
except SystemExit as exc:
    assert not exc.code, exc.code
import pipeline.parallel
print("spacy" in sys.modules, "sklearn" in sys.modules, bool(pipeline.parallel._pools))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False False False"
    assert rows(db, "SELECT agreements_unchanged, published FROM runs ORDER BY started_at DESC LIMIT 1") == [
        (4, False)]

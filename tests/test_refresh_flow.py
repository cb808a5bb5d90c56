"""End to end: the Prefect refresh flow over real ToTA files, from a folder and from a URL."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipeline import flows
from tests.conftest import SUBSET_IDS
from tests.http_server import serve_folder


def table_rows(db: Path) -> list:
    with duckdb.connect(str(db), read_only=True) as connection:
        return [
            connection.execute("SELECT * EXCLUDE (run_id) FROM agreements ORDER BY agreement_id").fetchall(),
            connection.execute("SELECT * FROM provisions ORDER BY provision_id").fetchall(),
            connection.execute("SELECT * FROM predictions ORDER BY provision_id").fetchall(),
        ]


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory, tota_dir: Path):
    import shutil

    folder = tmp_path_factory.mktemp("tota")
    for treaty_id in SUBSET_IDS:
        shutil.copy(tota_dir / f"pta_{treaty_id}.xml", folder)
    (folder / "pta_9999.xml").write_text("<treaty><meta>")  # a corrupt file must not stop the run
    db = tmp_path_factory.mktemp("db") / "cybernorms.duckdb"
    summary = flows.refresh(source=str(folder), db_path=str(db), workers=2)
    return folder, db, summary


def test_refresh_fills_the_store_and_reports_the_bad_file(refreshed) -> None:
    _folder, db, summary = refreshed
    assert summary.agreements_written == len(SUBSET_IDS)
    assert len(summary.errors) == 1 and "pta_9999.xml" in summary.errors[0]
    with duckdb.connect(str(db), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM agreements").fetchone()[0] == len(SUBSET_IDS)
        provisions = connection.execute("SELECT count(*) FROM provisions").fetchone()[0]
        assert provisions == summary.provisions_written > 700
        chapters = connection.execute(
            "SELECT DISTINCT chapter FROM clauses WHERE source_id = '151'").fetchall()
        assert ("Electronic Commerce",) in chapters
        spanish = connection.execute("SELECT count(*) FROM clauses WHERE language = 'es'").fetchone()[0]
        assert spanish > 0
        run = connection.execute("SELECT status, agreements_seen, len(errors), agreements_added, agreements_failed "
                                 "FROM runs").fetchone()
        assert run == ("completed with errors", len(SUBSET_IDS) + 1, 1, len(SUBSET_IDS), 1)


def test_refreshing_again_changes_nothing(refreshed) -> None:
    folder, db, _summary = refreshed
    before = table_rows(db)
    again = flows.refresh(source=str(folder), db_path=str(db), workers=1)
    assert again.agreements_unchanged == len(SUBSET_IDS) and again.agreements_written == 0
    assert table_rows(db) == before


def test_refresh_from_a_url_matches_the_folder(refreshed, tmp_path: Path) -> None:
    folder, db, _summary = refreshed
    (folder / "pta_9999.xml").unlink()
    url_db = tmp_path / "url.duckdb"
    with serve_folder(folder) as url:
        summary = flows.refresh(source=url, db_path=str(url_db), cache_dir=str(tmp_path / "cache"), workers=1)
    assert summary.agreements_written == len(SUBSET_IDS) and not summary.errors
    assert table_rows(url_db)[1:] == table_rows(db)[1:]


def test_a_source_that_does_not_exist_is_a_failed_run_on_record(tmp_path: Path) -> None:
    from pipeline.errors import SourceError

    from pipeline.store.journal import read_runs

    db = tmp_path / "failed.duckdb"
    with pytest.raises(SourceError, match="does not exist"):
        flows.refresh(source=str(tmp_path / "nowhere"), db_path=str(db), workers=1)
    assert not db.exists()  # a failed run publishes nothing; its record is in the runs journal
    [run] = read_runs(db)
    assert run["status"] == "failed" and "does not exist" in run["errors"][0] and run["published"] is False

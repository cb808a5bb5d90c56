"""Readers during a refresh, in real processes: a refresh publishes a whole new snapshot, so
queries answer from the previous complete state while it runs, a reader holding the database
open does not stop it, and SIGKILL mid-run leaves the published database as it was."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

CYBERNORMS = Path(sys.executable).parent / "cybernorms"
COUNTS_SQL = ("SELECT (SELECT count(*) FROM agreements), (SELECT count(*) FROM provisions), "
              "(SELECT count(*) FROM predictions)")


def _sql(db: Path, query: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CYBERNORMS), "sql", query, "--db", str(db), "--format", "csv"],
                          capture_output=True, text=True, timeout=300)


def _counts(db: Path) -> tuple:
    with duckdb.connect(str(db), read_only=True) as connection:
        return connection.execute(COUNTS_SQL).fetchone()


def _start_refresh(source: Path, db: Path, logs: Path) -> subprocess.Popen:
    return subprocess.Popen([str(CYBERNORMS), "refresh", "--source", str(source), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "CYBERNORMS_LOG_DIR": str(logs)})


def _wait_for_snapshot(process: subprocess.Popen, db: Path) -> None:
    """Until the refresh has begun writing its snapshot (`<db>.next-*` exists)."""
    deadline = time.monotonic() + 400
    while time.monotonic() < deadline and process.poll() is None:
        if list(db.parent.glob(f"{db.name}.next-*")):
            return
        time.sleep(0.01)
    assert process.poll() is None, "the refresh ended before the test could act during it"


@pytest.fixture(scope="module")
def published(tota_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, tuple]:
    """A database of 20 ToTA agreements from a folder that then gains 130 more (one write batch)."""
    files = sorted(tota_dir.glob("pta_*.xml"), key=lambda p: int(p.stem[4:]))
    folder = tmp_path_factory.mktemp("corpus")
    for path in files[:20]:
        shutil.copy(path, folder)
    db = tmp_path_factory.mktemp("db") / "cn.duckdb"
    first = subprocess.run([str(CYBERNORMS), "refresh", "--source", str(folder), "--db", str(db), "--workers", "1"],
                           capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    for path in files[20:150]:
        shutil.copy(path, folder)
    return folder, db, _counts(db)


def test_a_query_during_a_refresh_answers_from_the_previous_state(published, tmp_path: Path) -> None:
    large, db, before = published
    work = tmp_path / "work.duckdb"
    shutil.copy(db, work)
    holder = duckdb.connect(str(work), read_only=True)  # an analyst's notebook, open throughout
    try:
        process = _start_refresh(large, work, tmp_path / "logs")
        _wait_for_snapshot(process, work)
        during = _sql(work, COUNTS_SQL)
        assert during.returncode == 0, during.stderr
        assert process.poll() is None, "the refresh ended before the query did: nothing was tested"
        assert during.stdout.splitlines()[1] == ",".join(str(n) for n in before)
        assert holder.execute(COUNTS_SQL).fetchone() == before
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr
    finally:
        holder.close()
    after = _counts(work)
    assert after[0] == 150 and after[1] > before[1]
    assert not list(tmp_path.glob("work.duckdb.next-*"))


def test_sigkill_mid_refresh_leaves_the_published_database_and_the_next_refresh_finishes(
        published, tmp_path: Path) -> None:
    large, db, before = published
    work = tmp_path / "work.duckdb"
    shutil.copy(db, work)
    with duckdb.connect(str(work), read_only=True) as connection:
        rows_before = connection.execute("SELECT * FROM provisions ORDER BY provision_id").fetchall()
    process = _start_refresh(large, work, tmp_path / "logs")
    _wait_for_snapshot(process, work)
    time.sleep(1)  # well into reading and classifying
    os.killpg(process.pid, signal.SIGKILL)  # the command, its workers and its Prefect server
    assert process.wait(timeout=60) == -signal.SIGKILL

    assert _counts(work) == before
    with duckdb.connect(str(work), read_only=True) as connection:
        assert connection.execute("SELECT * FROM provisions ORDER BY provision_id").fetchall() == rows_before
    killed = _sql(work, "SELECT status FROM runs ORDER BY started_at DESC LIMIT 1")
    assert killed.stdout.splitlines()[1] == "running"  # on record, from the runs journal

    again = subprocess.run([str(CYBERNORMS), "refresh", "--source", str(large), "--db", str(work)],
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert not list(tmp_path.glob("work.duckdb.next-*"))  # the stale snapshot is gone
    assert _counts(work)[0] == 150
    last = _sql(work, "SELECT agreements_added, agreements_unchanged, status FROM runs ORDER BY started_at DESC LIMIT 1")
    assert last.stdout.splitlines()[1] == "130,20,completed"

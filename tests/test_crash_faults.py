"""Real processes, real faults: SIGKILL mid-refresh, an unwritable database, a full disk.

The full-disk and read-only cases mount a small tmpfs (this needs root and mount(8)); where
mounting is impossible they skip and say so, except under CI, where they must run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipeline.sources.tota import read_tota_file

CYBERNORMS = Path(sys.executable).parent / "cybernorms"


def _refresh(source: Path, db: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(CYBERNORMS), "refresh", "--source", str(source), "--db", str(db)],
                          capture_output=True, text=True, timeout=600, **kwargs)


def _counts(db: Path) -> dict[str, tuple[int, int]]:
    """agreement -> (provisions, predictions), read as any analyst would."""
    with duckdb.connect(str(db), read_only=True) as connection:
        rows = connection.execute("""
            SELECT a.agreement_id,
                   (SELECT count(*) FROM provisions p WHERE p.agreement_id = a.agreement_id),
                   (SELECT count(*) FROM predictions r WHERE r.agreement_id = a.agreement_id)
            FROM agreements a""").fetchall()
    return {agreement: (provisions, predictions) for agreement, provisions, predictions in rows}


@pytest.fixture(scope="module")
def corpus(tota_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 ToTA files: two write batches of 150."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted(tota_dir.glob("pta_*.xml"), key=lambda p: int(p.stem[4:]))[:300]:
        shutil.copy(path, folder)
    return folder


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, int]]:
    """What an uninterrupted refresh stores for each agreement."""
    db = tmp_path_factory.mktemp("reference") / "reference.duckdb"
    result = _refresh(corpus, db)
    assert result.returncode == 0, result.stderr
    return _counts(db)


def test_sigkill_mid_first_refresh_publishes_nothing_and_the_next_finishes(corpus: Path, reference: dict,
                                                                          tmp_path: Path) -> None:
    """Killed while writing its first snapshot: no database is published (readers would see
    none rather than half of one), the run is on record as 'running', and the next refresh
    removes the dead snapshot and does the whole work. (With a database already published, see
    tests/test_snapshots.py: it stays exactly as it was.)"""
    db, logs = tmp_path / "killed.duckdb", tmp_path / "logs"
    process = subprocess.Popen([str(CYBERNORMS), "refresh", "--source", str(corpus), "--db", str(db)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env={**os.environ, "CYBERNORMS_LOG_DIR": str(logs)})
    # Progress is read from the run's own log: tasks list-source, plan-refresh, analyse-batch x2,
    # write-batch x2, derive-treaties. By the fifth task finished, a write batch is in the snapshot.
    deadline = time.monotonic() + 300
    log = logs / "prefect.log"
    while time.monotonic() < deadline and process.poll() is None:
        text = log.read_text() if log.exists() else ""
        if text.count("prefect.task_runs - Finished in state Completed()") >= 5:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the refresh ended before it could be killed"
    assert list(tmp_path.glob("killed.duckdb.next-*")), "the refresh should be writing its snapshot"
    os.killpg(process.pid, signal.SIGKILL)  # the command, its worker processes and its Prefect server
    assert process.wait(timeout=60) == -signal.SIGKILL

    assert not db.exists()
    from pipeline.store.journal import read_runs

    assert [r["status"] for r in read_runs(db)] == ["running"]  # killed, on record

    again = _refresh(corpus, db)
    assert again.returncode == 0, again.stderr
    assert _counts(db) == reference
    assert not list(tmp_path.glob("killed.duckdb.next-*"))
    with duckdb.connect(str(db), read_only=True) as connection:
        added, status = connection.execute(
            "SELECT agreements_added, status FROM runs ORDER BY started_at DESC LIMIT 1").fetchone()
    assert status == "completed" and added == len(reference)


def test_a_database_path_that_cannot_be_created_is_a_clear_error(corpus: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = _refresh(corpus, blocker / "cn.duckdb")
    assert result.returncode == 1
    assert f"{blocker / 'cn.duckdb'}: cannot create the database folder" in result.stderr
    assert "choose a writable location with --db" in result.stderr and "Traceback" not in result.stderr


# -- small file systems --------------------------------------------------------------------


@pytest.fixture()
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 6 MB tmpfs mounted for this test (room for a few agreements, not for 300)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True) if shutil.which("mount") else None
    if mounted is None or mounted.returncode != 0:
        reason = f"cannot mount a tmpfs here ({mounted.stderr.strip() if mounted else 'no mount(8)'})"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + ": CI must run the full-disk tests as root")
        pytest.skip(reason)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(mount_point: Path, leave_kb: int) -> None:
    free_kb = shutil.disk_usage(mount_point).free // 1024
    with (mount_point / "filler").open("wb") as handle:
        handle.write(b"\0" * max(0, free_kb - leave_kb) * 1024)


def _small_corpus(corpus: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "small"
    folder.mkdir()
    for name in ("pta_63.xml", "pta_127.xml", "pta_151.xml"):
        shutil.copy(corpus / name, folder)
    return folder


def test_a_full_disk_is_a_clear_error_and_nothing_is_lost(corpus: Path, tiny_disk: Path, tmp_path: Path) -> None:
    db = tiny_disk / "cn.duckdb"
    first = _refresh(_small_corpus(corpus, tmp_path), db)
    assert first.returncode == 0, first.stderr
    before = _counts(db)
    _fill(tiny_disk, leave_kb=200)
    full = _refresh(corpus, db)
    assert full.returncode == 1
    assert f"{db}: the database cannot be written" in full.stderr and "No space left on device" in full.stderr
    assert "Free disk space or choose a writable --db" in full.stderr and "Traceback" not in full.stderr
    (tiny_disk / "filler").unlink()
    after = _counts(db)
    assert {a: after[a] for a in before} == before  # what was stored is all still there
    for agreement, counts in after.items():  # and whatever got in before the disk filled is whole
        source = corpus / f"pta_{agreement.split(':')[1]}.xml"
        assert counts[0] == len(read_tota_file(source).provisions), agreement


def test_a_read_only_file_system_is_a_clear_error_and_the_data_still_reads(corpus: Path, tiny_disk: Path,
                                                                          tmp_path: Path) -> None:
    db = tiny_disk / "cn.duckdb"
    assert _refresh(_small_corpus(corpus, tmp_path), db).returncode == 0
    before = _counts(db)
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    result = _refresh(corpus, db)
    assert result.returncode == 1
    assert f"{db}: cannot open the database" in result.stderr and "Read-only file system" in result.stderr
    assert "check the path and its permissions" in result.stderr and "Traceback" not in result.stderr
    status = subprocess.run([str(CYBERNORMS), "status", "--db", str(db)], capture_output=True, text=True, timeout=120)
    assert status.returncode == 0 and "completed" in status.stdout
    assert _counts(db) == before


def test_a_write_on_a_full_disk_stops_instead_of_retrying_each_agreement(tiny_disk: Path) -> None:
    """A full disk is no agreement's fault: the batch stops with a StoreError at once rather
    than reporting every agreement as bad, one failed transaction after another."""
    from pipeline.errors import StoreError
    from pipeline.store import open_database
    from pipeline.store.writes import write_documents
    from tests.test_store import MINIMAL, analysed

    with open_database(tiny_disk / "cn.duckdb") as connection:
        write_documents(connection, [analysed()], "run1")
        _fill(tiny_disk, leave_kb=0)
        # Enough rows to outgrow the slack in the pages the database files already hold.
        others = [analysed(MINIMAL.replace(b"9001", str(9002 + i).encode())) for i in range(40)]
        with pytest.raises(StoreError, match="the database cannot be written.*No space left on device"):
            write_documents(connection, others, "run2")

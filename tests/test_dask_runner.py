"""`--task-runner dask`: the same rows as the default process pool, clear errors for bad
addresses. Real flows on real ToTA files, on a real local Dask cluster (127.0.0.1 only)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline import analysis_runners, flows
from pipeline.errors import CybernormsError
from pipeline.store.journal import read_runs
from tests.conftest import SUBSET_IDS

CYBERNORMS = Path(sys.executable).parent / "cybernorms"
# Columns that legitimately differ between two runs: which run wrote the row.
COMPARED = {
    "agreements": "* EXCLUDE (run_id)",
    "provisions": "*",
    "predictions": "*",
    "paragraphs": "*",
    "text_dates": "*",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, tota_dir: Path) -> Path:
    folder = tmp_path_factory.mktemp("tota")
    for treaty_id in SUBSET_IDS:
        shutil.copy(tota_dir / f"pta_{treaty_id}.xml", folder)
    (folder / "pta_9999.xml").write_text("<treaty><meta>")  # a failing file travels back as an error
    return folder


@pytest.fixture(scope="module")
def two_databases(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object, object]:
    dbs = tmp_path_factory.mktemp("dbs")
    default = flows.refresh(source=str(corpus), db_path=str(dbs / "default.duckdb"), workers=2)
    with pytest.MonkeyPatch.context() as patch:
        # Two files a batch, so the six files spread over both workers and come back out of order.
        patch.setattr(analysis_runners, "DASK_BATCH_SIZE", 2)
        on_dask = flows.refresh(source=str(corpus), db_path=str(dbs / "dask.duckdb"), workers=2, task_runner="dask")
    return dbs / "default.duckdb", dbs / "dask.duckdb", default, on_dask


def test_a_dask_run_with_two_workers_stores_exactly_the_default_runs_rows(two_databases) -> None:
    default_db, dask_db, default, on_dask = two_databases
    assert (on_dask.agreements_written, on_dask.provisions_written) == (default.agreements_written,
                                                                        default.provisions_written)
    assert on_dask.agreements_written == len(SUBSET_IDS)
    assert len(on_dask.errors) == 1 and "pta_9999.xml" in on_dask.errors[0]
    with duckdb.connect() as connection:
        connection.execute(f"ATTACH '{default_db}' AS d (READ_ONLY)")
        connection.execute(f"ATTACH '{dask_db}' AS k (READ_ONLY)")
        for table, columns in COMPARED.items():
            count = connection.execute(f"SELECT count(*) FROM d.{table}").fetchone()[0]
            assert count == connection.execute(f"SELECT count(*) FROM k.{table}").fetchone()[0], table
            assert count > 0 or table == "paragraphs", table
            for left, right in (("d", "k"), ("k", "d")):
                only = connection.execute(f"SELECT {columns} FROM {left}.{table} EXCEPT ALL "
                                          f"SELECT {columns} FROM {right}.{table}").fetchall()
                assert only == [], f"{table}: rows only in {left}: {only[:3]}"


def test_a_dask_refresh_of_an_unchanged_source_writes_nothing(corpus: Path, two_databases) -> None:
    _default_db, dask_db, _default, _on_dask = two_databases
    again = flows.refresh(source=str(corpus), db_path=str(dask_db), workers=2, task_runner="dask")
    assert again.agreements_unchanged == len(SUBSET_IDS) and again.agreements_written == 0


@pytest.mark.parametrize("address, message", [
    ("tcp://127.0.0.1:1", "no Dask scheduler answers there"),
    ("http://127.0.0.1:8786", "expected a scheduler address such as tcp://HOST:8786"),
    ("tcp://127.0.0.1", "expected a scheduler address"),
])
def test_a_bad_dask_address_fails_the_run_with_a_clear_error(address: str, message: str, corpus: Path,
                                                             tmp_path: Path) -> None:
    db = tmp_path / "cn.duckdb"
    with pytest.raises(CybernormsError, match=message):
        flows.refresh(source=str(corpus), db_path=str(db), task_runner="dask", dask_address=address)
    assert not db.exists()  # a failed run publishes nothing; its record is in the runs journal
    [run] = read_runs(db)
    assert run["status"] == "failed" and message.split(" such")[0] in run["errors"][0]


def test_the_command_refuses_bad_runner_options_before_starting_anything(corpus: Path, tmp_path: Path) -> None:
    for options, message in ((["--task-runner", "spark"], "unknown task runner"),
                             (["--task-runner", "processes", "--dask-address", "tcp://127.0.0.1:1"],
                              "--dask-address needs --task-runner dask"),
                             (["--dask-address", "tcp://127.0.0.1:1"], "no Dask scheduler answers there"),
                             (["--workers", "0"], "must be at least 1")):
        result = subprocess.run([str(CYBERNORMS), "refresh", "--source", str(corpus), "--db",
                                 str(tmp_path / "cn.duckdb"), *options], capture_output=True, text=True, timeout=120)
        assert result.returncode == 1 and message in result.stderr, (options, result.stderr)
        assert not (tmp_path / "cn.duckdb").exists()


def test_an_existing_cluster_named_by_its_address_runs_the_analysis(corpus: Path, tmp_path: Path,
                                                                    two_databases) -> None:
    from distributed import LocalCluster

    default_db = two_databases[0]
    # Threads of this process stand in for remote workers: the path through the address is the same.
    with LocalCluster(n_workers=1, processes=False, dashboard_address=None, host="127.0.0.1", protocol="tcp://",
                      scheduler_port=0) as cluster:
        run = flows.refresh(source=str(corpus), db_path=str(tmp_path / "remote.duckdb"),
                            dask_address=cluster.scheduler_address)
    assert run.agreements_written == len(SUBSET_IDS)
    with duckdb.connect() as connection:
        connection.execute(f"ATTACH '{default_db}' AS d (READ_ONLY)")
        connection.execute(f"ATTACH '{tmp_path / 'remote.duckdb'}' AS r (READ_ONLY)")
        assert connection.execute("SELECT * FROM r.predictions EXCEPT ALL SELECT * FROM d.predictions").fetchall() == []

"""`cybernorms schedule`: the refresh as a Prefect deployment on a cron schedule, built,
checked, served and run end to end against a Prefect server started here (127.0.0.1)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import psutil
import pytest

from pipeline import prefect_server
from pipeline.errors import CybernormsError
from pipeline.prefect_setup import QUIET_SETTINGS
from pipeline.schedule import ScheduleRequest, check_cron, refresh_deployment

CYBERNORMS = Path(sys.executable).parent / "cybernorms"


def _api(url: str, body: dict | None = None, method: str = "POST"):
    request = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(), method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.load(response)


def test_the_deployment_carries_the_cron_schedule_and_the_refresh_parameters() -> None:
    parameters = {"source": "/data/tota", "db_path": "/data/cybernorms.duckdb", "workers": 2, "task_runner": "dask"}
    deployment = refresh_deployment(ScheduleRequest("0 3 * * 1", parameters, "Europe/Berlin", "weekly"))
    assert deployment.name == "weekly" and deployment.flow_name == "refresh"
    [schedule] = deployment.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone, schedule.active) == ("0 3 * * 1", "Europe/Berlin", True)
    assert deployment.parameters == parameters
    # A module path: served runs import the installed package, whatever the working directory.
    assert deployment.entrypoint == "pipeline.flows.refresh"
    # The deployment's parameters are the flow's: every refresh option can be set per deployment.
    from prefect.utilities.callables import parameter_schema

    from pipeline.flows import refresh

    assert {"source", "db_path", "model", "workers", "task_runner", "dask_address"} <= set(
        parameter_schema(refresh).properties)


@pytest.mark.parametrize("cron", ["0 3 * *", "61 3 * * 1", "every monday", ""])
def test_a_bad_cron_expression_is_a_clear_error(cron: str) -> None:
    with pytest.raises(CybernormsError, match=r"--cron .*not a cron expression.*'0 3 \* \* 1'"):
        check_cron(cron)


def test_a_bad_time_zone_is_a_clear_error() -> None:
    with pytest.raises(CybernormsError, match="--timezone Mars/Olympus: not a time zone"):
        check_cron("0 3 * * 1", "Mars/Olympus")


def test_without_a_configured_server_the_command_says_how_to_start_one(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_PROFILES_PATH"] = str(tmp_path / "none.toml")  # no profile naming a server either
    result = subprocess.run([str(CYBERNORMS), "schedule", "--cron", "0 3 * * 1", "--source", str(tmp_path)],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "no Prefect API is configured" in result.stderr and "prefect server start" in result.stderr
    assert "PREFECT_API_URL=http://127.0.0.1:4200/api" in result.stderr
    bad = subprocess.run([str(CYBERNORMS), "schedule", "--cron", "0 3 * *"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 1 and "not a cron expression" in bad.stderr


def test_a_served_deployment_runs_a_refresh_and_pauses_its_schedule_when_stopped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tota_dir: Path
) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    for key, value in QUIET_SETTINGS.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))  # a Prefect database of its own
    server = prefect_server.start(tmp_path / "server.log")
    served = None
    try:
        server.wait_until_ready()
        api = server.api_url
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        shutil.copy(tota_dir / "pta_151.xml", corpus)
        db = tmp_path / "cn.duckdb"
        env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_RUNNER_POLL_FREQUENCY": "1",
               "CYBERNORMS_LOG_DIR": str(tmp_path / "logs")}
        served = subprocess.Popen(
            [str(CYBERNORMS), "schedule", "--cron", "0 3 * * 1", "--source", str(corpus), "--db", str(db),
             "--workers", "1", "--name", "test-weekly"],
            env=env, stdout=open(tmp_path / "serve.out", "w"), stderr=subprocess.STDOUT, cwd=tmp_path)
        deadline = time.monotonic() + 180
        deployments: list = []
        while not deployments:
            assert served.poll() is None, (tmp_path / "serve.out").read_text()
            assert time.monotonic() < deadline, "the deployment was never registered"
            deployments = _api(f"{api}/deployments/filter", {"deployments": {"name": {"any_": ["test-weekly"]}}})
            time.sleep(0.5)
        [deployment] = deployments
        assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["0 3 * * 1"]
        assert deployment["parameters"]["source"] == str(corpus) and not deployment["paused"]
        # The next Monday is far off: ask for a run now, as `prefect deployment run` does; the
        # served runner picks it up like any run its schedule creates.
        flow_run = _api(f"{api}/deployments/{deployment['id']}/create_flow_run", {})
        deadline = time.monotonic() + 300
        while True:
            state = _api(f"{api}/flow_runs/{flow_run['id']}", method="GET")["state_type"]
            if state in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert state == "COMPLETED", (tmp_path / "serve.out").read_text()[-3000:]
        with duckdb.connect(str(db), read_only=True) as connection:
            assert connection.execute("SELECT count(*) FROM agreements").fetchone()[0] == 1
            assert connection.execute("SELECT count(*) FROM provisions").fetchone()[0] > 100
            assert connection.execute("SELECT status FROM runs").fetchall() == [("completed",)]
        # Stop it as a user would, once the run's process has gone: Prefect's runner, still closing a
        # run that has just ended, can let a SIGINT's cancellation pass unnoticed (seen on a busy
        # machine, once in many runs; README, "Stopping pauses the schedule").
        deadline = time.monotonic() + 60
        while psutil.Process(served.pid).children(recursive=True) and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(2)
        served.send_signal(signal.SIGINT)
        served.wait(timeout=60)
        # pause_on_shutdown: nothing serves the deployment any more, and the server says so.
        assert _api(f"{api}/deployments/{deployment['id']}", method="GET")["paused"] is True
    finally:
        if served is not None and served.poll() is None:
            served.kill()
            served.wait()
        server.stop()

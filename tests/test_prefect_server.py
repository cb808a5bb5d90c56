"""The temporary Prefect server a refresh starts when no PREFECT_API_URL is set."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipeline import prefect_server
from pipeline.errors import CybernormsError
from pipeline.prefect_setup import QUIET_SETTINGS, route_prefect_logs_to_file

CYBERNORMS = Path(sys.executable).parent / "cybernorms"


@pytest.fixture
def no_configured_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    for key, value in QUIET_SETTINGS.items():
        monkeypatch.setenv(key, value)


def _post_json(url: str, body: dict) -> list | dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_no_temporary_server_when_the_environment_names_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    assert prefect_server.start(tmp_path / "prefect.log") is None


def test_a_server_that_exits_early_is_a_clear_error(no_configured_server, tmp_path: Path) -> None:
    server = prefect_server.start(tmp_path / "prefect.log")
    server.process.kill()
    server.process.wait()
    with pytest.raises(CybernormsError, match="exited .* before it was ready.*prefect.log"):
        server.wait_until_ready()


@pytest.mark.parametrize("configured_by", ["environment", "profile"])
def test_refresh_runs_are_recorded_in_the_configured_server(
    configured_by: str, no_configured_server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tota_dir: Path
) -> None:
    """A server started here serves as the configured Prefect API, named by PREFECT_API_URL or
    by the active Prefect profile: the refresh reports its flow and tasks there and starts no
    temporary server of its own (or stops the one it started before it could read the profile)."""
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))  # a Prefect database of its own
    server = prefect_server.start(tmp_path / "server.log")
    try:
        server.wait_until_ready()
        with urllib.request.urlopen(f"{server.api_url}/health", timeout=10) as response:
            assert response.status == 200
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        shutil.copy(tota_dir / "pta_151.xml", corpus)
        env = {**os.environ, "CYBERNORMS_LOG_DIR": str(tmp_path / "logs")}
        if configured_by == "environment":
            env["PREFECT_API_URL"] = server.api_url
        else:
            profiles = tmp_path / "profiles.toml"
            profiles.write_text(f'active = "lasting"\n\n[profiles.lasting]\nPREFECT_API_URL = "{server.api_url}"\n')
            env["PREFECT_PROFILES_PATH"] = str(profiles)
        result = subprocess.run(
            [str(CYBERNORMS), "refresh", "--source", str(corpus), "--db", str(tmp_path / "cn.duckdb"), "--workers", "1"],
            env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        flow_runs = _post_json(f"{server.api_url}/flow_runs/filter", {"flows": {"name": {"any_": ["refresh"]}}})
        assert [run["state_type"] for run in flow_runs] == ["COMPLETED"]
        # The server records task runs from the events it was sent: give it a moment.
        deadline = time.monotonic() + 20
        while True:
            task_runs = _post_json(f"{server.api_url}/task_runs/filter",
                                   {"flow_runs": {"id": {"any_": [flow_runs[0]["id"]]}}})
            names = {run["name"].rsplit("-", 1)[0] for run in task_runs}
            if {"list-source", "analyse-batch", "write-batch"} <= names or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert {"list-source", "analyse-batch", "write-batch"} <= names
        assert "Starting temporary server" not in (tmp_path / "logs" / "prefect.log").read_text()
    finally:
        server.stop()
    assert server.process.poll() is not None


def test_the_refresh_command_reports_to_its_own_temporary_server(no_configured_server, tmp_path: Path,
                                                                 tota_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(tota_dir / "pta_151.xml", corpus)
    result = subprocess.run(
        [str(CYBERNORMS), "refresh", "--source", str(corpus), "--db", str(tmp_path / "cn.duckdb"), "--workers", "1"],
        env={**os.environ, "CYBERNORMS_LOG_DIR": str(tmp_path / "logs")}, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    log = (tmp_path / "logs" / "prefect.log").read_text()
    # Prefect's own launcher announces itself; the flow run's link names the server used.
    assert "Starting temporary server" not in log and "View at http://127.0.0.1:" in log


def test_heartbeats_are_off_only_with_a_temporary_server(no_configured_server, tmp_path: Path) -> None:
    from prefect.settings import get_current_settings

    default = get_current_settings().flows.heartbeat_frequency
    with prefect_server.run_settings(None):
        assert get_current_settings().flows.heartbeat_frequency == default
    fake = prefect_server.TemporaryServer(subprocess.Popen([sys.executable, "-c", "pass"]), 9, tmp_path / "log")
    fake.process.wait()
    with prefect_server.run_settings(fake):
        assert get_current_settings().flows.heartbeat_frequency is None
        assert get_current_settings().api.url == "http://127.0.0.1:9/api"


def test_the_terminal_gets_our_warnings_and_none_of_prefects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    import prefect._internal.concurrency.services as prefect_services

    monkeypatch.setenv("CYBERNORMS_LOG_DIR", str(tmp_path))
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        route_prefect_logs_to_file()
        console = next(h for h in root.handlers if h not in before and not isinstance(h, logging.FileHandler))

        def shown(name: str, pathname: str) -> bool:
            return console.filter(logging.LogRecord(name, logging.WARNING, pathname, 1, "message", None, None))

        assert shown("pipeline.sources.pdf", "/work/main/pipeline/sources/pdf.py")
        assert not shown("prefect.flow_runs", prefect_services.__file__)
        # Prefect's queue services log under their class names.
        assert not shown("EventsWorker", prefect_services.__file__)
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()

"""The temporary Prefect server of a `cybernorms refresh` when no Prefect API is configured.

Prefect's ephemeral mode starts its server app (`create_app(ephemeral=True)`: the REST API
and the event services, no UI, SQLite in PREFECT_HOME) under uvicorn in a child process. To
launch it, Prefect first imports its whole server package into the calling process (seconds
of CPU) and only then starts the child, which imports the same package again, so a refresh
spent its first seconds waiting for the server. This module starts the same app in the same
kind of child at the first instant of the command, without importing the server package into
the CLI process, and points the flow run at it (`run_settings`). Prefect then treats it as
any configured server: flow and task runs are recorded in it as in Prefect's own ephemeral
mode.

Whether a Prefect API is configured is known for sure only once Prefect is imported (its
settings also come from profiles, `prefect.toml` and `.env` files), so unless the
environment names one, the server starts at once and is stopped again (`unless_configured`)
if Prefect's settings name another.

`start` runs `python -m pipeline.prefect_server FD`, FD a bound socket it hands to the child.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import CybernormsError

STARTUP_TIMEOUT_SECONDS = 60.0
# No UI, and no automations (triggers and their actions): nobody can view or set them up
# on a server that lives for one refresh.
SERVER_SETTINGS = {"PREFECT_UI_ENABLED": "false", "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false"}


@dataclass
class TemporaryServer:
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def wait_until_ready(self, timeout: float = STARTUP_TIMEOUT_SECONDS) -> None:
        """Block until the API answers its health check; a clear error if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CybernormsError(f"Prefect's temporary server exited (code {self.process.returncode}) "
                                      f"before it was ready; its output is in {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.05)
        self.stop()
        raise CybernormsError(f"Prefect's temporary server did not answer within {timeout:.0f} s; "
                              f"its output is in {self.log_path}")

    def begin_stop(self) -> None:
        """Send Prefect's queued logs and events to the server, then ask it to stop without
        waiting: it shuts down while the command prints its results (`stop` waits for it)."""
        from prefect.events.worker import EventsWorker
        from prefect.logging.handlers import APILogWorker

        EventsWorker.drain_all(timeout=10)
        APILogWorker.drain_all(timeout=10)
        self._terminate()

    def stop(self) -> None:
        self._terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _terminate(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()


def start(log_path: Path) -> TemporaryServer | None:
    """Start Prefect's server app in a child process, unless PREFECT_API_URL names a server
    (then None). Call before importing Prefect. The server's own output goes to `log_path`."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # Bound here and handed over: the port is known at once and no other process can take it
    # between choosing and serving.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener, log_path.open("ab") as log:
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        process = subprocess.Popen([sys.executable, "-m", __name__, str(listener.fileno())],
                                   pass_fds=(listener.fileno(),), stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=log, env={**os.environ, **SERVER_SETTINGS})
    server = TemporaryServer(process, port, log_path)
    atexit.register(server.stop)
    return server


def unless_configured(server: TemporaryServer | None) -> TemporaryServer | None:
    """The server, or None (and the server stopping) when Prefect's settings name an API of
    their own (a profile, `prefect.toml`, a `.env` file). Call after importing Prefect."""
    if server is None:
        return None
    from prefect.settings import get_current_settings

    if get_current_settings().api.url:
        server._terminate()
        return None
    return server


@contextmanager
def run_settings(server: TemporaryServer | None) -> Iterator[None]:
    """Prefect settings for the flow run: with a temporary server, its API URL and no
    heartbeats (they tell a lasting server that a run is still alive; stopping them costs up
    to a second at the end of every run). Use after importing Prefect."""
    if server is None:
        yield
        return
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: server.api_url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def _serve(fd: int) -> None:
    import uvicorn
    from prefect.server.api.server import create_app

    config = uvicorn.Config(create_app(ephemeral=True, final=True), log_level="error", lifespan="on")
    uvicorn.Server(config).run(sockets=[socket.socket(fileno=fd)])


if __name__ == "__main__":
    _serve(int(sys.argv[1]))

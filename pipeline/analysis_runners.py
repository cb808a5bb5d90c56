"""Where a refresh's analysis tasks run, and how much of it is in flight at once.

* `processes` (default): Prefect's thread pool submits batches of 50 files to this
  machine's forkserver process pool (pipeline.parallel), `--workers` processes.
* `dask`: each batch of 20 files is a Prefect task on a Dask worker (prefect-dask), which
  parses and classifies it in its own process and sends back its rows as compressed Arrow
  (pipeline.store.rows_ipc). Either a temporary local cluster of `--workers` processes, or
  an existing cluster at `--dask-address`. Batches are smaller than the pool's so that the
  work spreads over the workers to the end of the run; their arguments stay small (paths,
  the stored versions), since Dask ships every argument with its task.

Either way at most `in_flight` batches are submitted and not yet written, so the main
process holds a bounded amount of results whatever the size of the corpus.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pipeline.errors import CybernormsError
from pipeline.parallel import default_workers

if TYPE_CHECKING:  # Prefect is imported only once the CLI has set its quiet settings
    from prefect.task_runners import TaskRunner

TASK_RUNNERS = ("processes", "dask")
PROCESS_BATCH_SIZE = 50
DASK_BATCH_SIZE = 20
CONNECT_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class AnalysisPlan:
    kind: str  # one of TASK_RUNNERS
    batch_size: int
    workers: int  # worker processes (the local pool's, or the local Dask cluster's)
    dask_address: str | None = None

    def runner(self) -> TaskRunner:
        if self.kind == "processes":
            from prefect.task_runners import ThreadPoolTaskRunner

            # Two batches analysed at once: each spreads its ten-file chunks over the whole
            # pool, and one can start while the other's last chunks finish.
            return ThreadPoolTaskRunner(max_workers=2)
        from prefect_dask import DaskTaskRunner

        if self.dask_address:
            return DaskTaskRunner(address=self.dask_address,
                                  client_kwargs={"timeout": f"{CONNECT_TIMEOUT_SECONDS:.0f}s"})
        return DaskTaskRunner(cluster_kwargs={
            "n_workers": self.workers, "threads_per_worker": 1, "processes": True,
            "dashboard_address": None, "scheduler_port": 0, "host": "127.0.0.1",
            # Dask's own warnings (e.g. a worker killed at shutdown after 4 s) under the bar: errors only.
            "silence_logs": logging.ERROR,
            # Prefect's per-task INFO lines would go to each worker's terminal, under the progress bar.
            "env": {"PREFECT_LOGGING_LEVEL": "WARNING"},
        })

    @contextmanager
    def worker_settings(self) -> Iterator[None]:
        """Dask's workers are other processes, and report their task runs to the Prefect API
        named in the settings Prefect sends with each task. With none configured, this flow
        runs on Prefect's ephemeral server: name that server's URL, so the workers report
        to it rather than each starting an ephemeral server of its own."""
        if self.kind != "dask":
            yield
            return
        from prefect.client.orchestration import get_client
        from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

        if get_current_settings().api.url:
            yield
            return
        with temporary_settings(updates={PREFECT_API_URL: str(get_client(sync_client=True).api_url)}):
            yield

    def in_flight(self, runner: TaskRunner) -> int:
        """Batches submitted ahead of the writer: two for the pool's two threads; for Dask,
        two per worker (one running, one queued behind it so no worker waits for the writer)."""
        if self.kind == "processes":
            return 2
        if self.dask_address:
            workers = len(runner.client.scheduler_info().get("workers", {}))  # type: ignore[attr-defined]
            return 2 * max(1, workers)
        return 2 * self.workers


def analysis_plan(task_runner: str | None, workers: int | None, dask_address: str | None) -> AnalysisPlan:
    """The plan for the options of `cybernorms refresh`; clear errors for bad ones. A
    `--dask-address` alone means `--task-runner dask`."""
    kind = task_runner or ("dask" if dask_address else "processes")
    if kind not in TASK_RUNNERS:
        raise CybernormsError(f"--task-runner {kind}: unknown task runner (choose from {', '.join(TASK_RUNNERS)})")
    if workers is not None and workers < 1:
        raise CybernormsError(f"--workers {workers}: must be at least 1")
    if kind == "processes":
        if dask_address:
            raise CybernormsError("--dask-address needs --task-runner dask (the process pool runs on this machine)")
        return AnalysisPlan(kind, PROCESS_BATCH_SIZE, workers or default_workers())
    if dask_address:
        check_dask_address(dask_address)
    return AnalysisPlan(kind, DASK_BATCH_SIZE, workers or default_workers(), dask_address)


def check_dask_address(address: str) -> None:
    """Fail at once, naming the fix, when a Dask scheduler address is malformed or nothing
    answers there (Dask itself would wait its 30 s connect timeout, then print a traceback)."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in ("tcp", "tls") or not parts.hostname or port is None:
        raise CybernormsError(f"--dask-address {address}: expected a scheduler address such as "
                              "tcp://HOST:8786 (what `dask scheduler` prints as 'Scheduler at')")
    try:
        with socket.create_connection((parts.hostname, port), timeout=CONNECT_TIMEOUT_SECONDS):
            pass
    except OSError as exc:
        raise CybernormsError(
            f"--dask-address {address}: no Dask scheduler answers there ({exc.strerror or exc}). Start one "
            f"(`dask scheduler`, then `dask worker {address}` on each worker machine), or leave out "
            "--dask-address to run a local cluster") from exc

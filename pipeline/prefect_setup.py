"""Prefect settings for a quiet, fast refresh; must run before `prefect` is imported.

Offline (as here and in CI) Prefect's telemetry calls fail noisily, and its per-task INFO
lines would drown the progress bar, so telemetry is off and Prefect's log records go to
a file (outputs/logs/prefect.log by default, CYBERNORMS_LOG_DIR to change). Settings the
user has set in the environment win.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

QUIET_SETTINGS = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS": "false",
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
}


def apply_quiet_settings() -> None:
    for key, value in QUIET_SETTINGS.items():
        os.environ.setdefault(key, value)


def log_file() -> Path:
    return Path(os.environ.get("CYBERNORMS_LOG_DIR", "outputs/logs")) / "prefect.log"


def route_prefect_logs_to_file() -> Path:
    """Move Prefect's console output to a log file; warnings of our own still reach stderr."""
    path = log_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s | %(levelname)-7s | %(name)s - %(message)s"))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    for existing in list(root.handlers):
        if type(existing).__module__.startswith("prefect"):
            root.removeHandler(existing)
    root.addHandler(handler)
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.addFilter(lambda record: not _from_prefect(record))
    root.addHandler(console)
    for name in ("prefect", "prefect.flow_runs", "prefect.task_runs"):
        logging.getLogger(name).setLevel(logging.INFO)
    return path


_PREFECT_PACKAGE = f"{os.sep}prefect{os.sep}"


def _from_prefect(record: logging.LogRecord) -> bool:
    # Some Prefect loggers are named after their class ("EventsWorker"), not "prefect.…".
    return record.name.startswith(("prefect", "uvicorn", "httpx")) or _PREFECT_PACKAGE in record.pathname

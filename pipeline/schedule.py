"""`cybernorms schedule`: the refresh flow served as a Prefect deployment on a cron schedule.

`serve` registers the deployment on the configured Prefect server and runs each of its
flow runs in a subprocess of this process, until the process stops. Choices, and why:

* A lasting Prefect server is required. The schedule lives on the server (its scheduler
  creates the runs); a temporary server would take the schedule and the run history with
  it when the command ends.
* `pause_on_shutdown=True` (Prefect's default, kept on purpose): when `cybernorms schedule`
  stops, nothing executes the deployment's runs, so the server pauses its schedule and shows
  it as paused, instead of piling up runs that turn Late and then all start, one after the
  other, when the command starts again. Starting the command again re-applies the
  deployment unpaused. Teams that want the schedule to outlive any one process use the
  work-pool route (README: `prefect.yaml`, `prefect deploy`, `prefect worker start`).
* `limit=1`: one refresh at a time. Two refreshes of the same database would contend for
  DuckDB's single writer; a run due while one is running waits for it.
* The entrypoint is the module path `pipeline.flows:refresh`, so the served runs import the
  installed package whatever the working directory; paths in the parameters are absolute
  for the same reason.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from pipeline.errors import CybernormsError

DEPLOYMENT_NAME = "scheduled-refresh"
CRON_HELP = ("five fields: minute hour day-of-month month day-of-week, e.g. '0 3 * * 1' for "
             "03:00 every Monday")
START_SERVER_HELP = (
    "Start one, in another terminal or as a service:\n"
    "    prefect server start\n"
    "then point this shell (or your Prefect profile) at it and run this command again:\n"
    "    export PREFECT_API_URL=http://127.0.0.1:4200/api\n"
    "    (or: prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api)")


@dataclass(frozen=True)
class ScheduleRequest:
    """A cron schedule and the refresh parameters its runs get."""

    cron: str
    parameters: dict[str, Any]
    timezone: str | None = None
    name: str = DEPLOYMENT_NAME


def check_cron(cron: str, timezone: str | None = None) -> None:
    """A clear error for a cron expression (or time zone) Prefect would refuse."""
    from pydantic import ValidationError

    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron, timezone=timezone)
    except ValidationError as exc:
        problem = "; ".join(str(error.get("msg", error)) for error in exc.errors())
        if timezone and "timezone" in str(exc.errors()):
            raise CybernormsError(f"--timezone {timezone}: not a time zone ({problem}); use an IANA name such "
                                  "as Europe/Berlin or UTC") from None
        raise CybernormsError(f"--cron {cron!r}: not a cron expression ({problem}); {CRON_HELP}") from None


def configured_api_url() -> str:
    """The Prefect server `schedule` registers with; a clear error naming how to start and
    configure one when there is none or it does not answer. Call after importing Prefect."""
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    if not url:
        raise CybernormsError("cybernorms schedule needs a lasting Prefect server to hold the schedule, and no "
                              f"Prefect API is configured (PREFECT_API_URL is not set). {START_SERVER_HELP}")
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/health", timeout=10) as response:
            if response.status == 200:
                return url
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError) as exc:
        raise CybernormsError(f"the Prefect API at {url} (PREFECT_API_URL) does not answer ({exc}). "
                              f"Is the server running? {START_SERVER_HELP}") from None
    raise CybernormsError(f"the Prefect API at {url} (PREFECT_API_URL) is not healthy. {START_SERVER_HELP}")


def refresh_deployment(request: ScheduleRequest):
    """The refresh flow as a deployment with the request's cron schedule and parameters."""
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron

    from pipeline.flows import refresh

    check_cron(request.cron, request.timezone)
    return refresh.to_deployment(
        name=request.name,
        schedule=Cron(request.cron, timezone=request.timezone),
        parameters=request.parameters,
        description="cybernorms refresh on a schedule (cybernorms schedule)",
        tags=["cybernorms"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve(request: ScheduleRequest) -> None:
    """Register the deployment and run its flow runs until this process is stopped."""
    from prefect import serve as prefect_serve

    prefect_serve(refresh_deployment(request), pause_on_shutdown=True, limit=1, print_starting_message=False)

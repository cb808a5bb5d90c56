"""`cybernorms schedule`: serve the refresh on a cron schedule (see pipeline.schedule)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline.cli.common import DbOption, _check_pdf_engine, _fail, app, console
from pipeline.errors import CybernormsError
from pipeline.store.database import DEFAULT_DB_PATH


@app.command()
def schedule(
    cron: Annotated[str, typer.Option("--cron", help="When to refresh, as a cron expression: '0 3 * * 1' is "
                                      "03:00 every Monday.")],
    source: Annotated[Optional[str], typer.Option(
        "--source", help="As for `cybernorms refresh`. Default: $CYBERNORMS_SOURCE, else the public ToTA "
        "repository.")] = None,
    db: DbOption = DEFAULT_DB_PATH,
    model: Annotated[str, typer.Option(help="'default' (newest trained model), 'lexicon', or a model folder.")] = "default",
    workers: Annotated[Optional[int], typer.Option(help="Processes for parsing and classifying (default: all cores).")] = None,
    pdf_engine: Annotated[Optional[str], typer.Option("--pdf-engine", help="PDF text engine for PDF files.")] = None,
    task_runner: Annotated[Optional[str], typer.Option("--task-runner", help="'processes' (default) or 'dask'.")] = None,
    dask_address: Annotated[Optional[str], typer.Option("--dask-address", help="An existing Dask scheduler.")] = None,
    timezone: Annotated[Optional[str], typer.Option(help="IANA time zone of the cron expression (default: UTC).")] = None,
    name: Annotated[str, typer.Option(help="Name of the Prefect deployment.")] = "scheduled-refresh",
) -> None:
    """Serve the refresh as a Prefect deployment on a cron schedule, until stopped (Ctrl+C).

    Needs a lasting Prefect server (PREFECT_API_URL). Stopping this command pauses the
    schedule; starting it again resumes it.
    """
    from pipeline.cli.corpus import _check_task_runner
    from pipeline.prefect_setup import apply_quiet_settings
    from pipeline.sources import SOURCE_ENV_VAR
    from pipeline.sources.download import is_url
    from pipeline.sources.tota import DEFAULT_BASE_URL

    _check_pdf_engine(pdf_engine)
    _check_task_runner(task_runner, workers, dask_address)
    apply_quiet_settings()
    from pipeline import schedule as scheduling  # imports Prefect: after the quiet settings

    location = source or os.environ.get(SOURCE_ENV_VAR) or DEFAULT_BASE_URL
    # Absolute paths: the served runs should not depend on where the command was started.
    parameters = {
        "source": location if is_url(location) else str(Path(location).resolve()),
        "db_path": str(Path(db).resolve()),
        "model": model if model in ("default", "lexicon") else str(Path(model).resolve()),
        "workers": workers, "pdf_engine": pdf_engine, "task_runner": task_runner, "dask_address": dask_address,
    }
    from pipeline.flows_paths import DEFAULT_CACHE_DIR

    parameters["cache_dir"] = str(Path(DEFAULT_CACHE_DIR).resolve())
    request = scheduling.ScheduleRequest(cron, {k: v for k, v in parameters.items() if v is not None}, timezone, name)
    try:
        scheduling.check_cron(cron, timezone)
        api_url = scheduling.configured_api_url()
    except CybernormsError as exc:
        _fail(exc)
    console.print(f"serving [bold]refresh/{name}[/bold] on [bold]{api_url}[/bold], cron '{cron}'"
                  f"{f' ({timezone})' if timezone else ' (UTC)'}: {parameters['source']} into {parameters['db_path']}.\n"
                  f"Run it now with: prefect deployment run 'refresh/{name}'. Ctrl+C stops serving and pauses "
                  "the schedule; run this command again to resume it.")
    try:
        scheduling.serve(request)
    except CybernormsError as exc:
        _fail(exc)

"""`cybernorms refresh` and `cybernorms status`: fill the database and say what it holds."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from pipeline.cli.common import DbOption, _check_pdf_engine, _fail, app, console, out
from pipeline.errors import CybernormsError
from pipeline.store.database import DEFAULT_DB_PATH


@app.command()
def refresh(
    source: Annotated[Optional[str], typer.Option(
        "--source", help="Folder of ToTA XML (and PDF/HTML/text) files, one file, a base URL, or a manifest "
        "of texts on publishers' sites (corpora/post2016.toml). "
        "Default: $CYBERNORMS_SOURCE, else the public ToTA repository.")] = None,
    db: DbOption = DEFAULT_DB_PATH,
    model: Annotated[str, typer.Option(help="'default' (newest trained model), 'lexicon', or a model folder.")] = "default",
    workers: Annotated[Optional[int], typer.Option(help="Processes for parsing and classifying (default: all cores).")] = None,
    pdf_engine: Annotated[Optional[str], typer.Option("--pdf-engine", help="PDF text engine for PDF files.")] = None,
    task_runner: Annotated[Optional[str], typer.Option(
        "--task-runner", help="Where the analysis runs: 'processes' (this machine's process pool, the default) "
        "or 'dask' (a local Dask cluster of --workers processes, or the one at --dask-address).")] = None,
    dask_address: Annotated[Optional[str], typer.Option(
        "--dask-address", help="Scheduler of an existing Dask cluster, e.g. tcp://HOST:8786 (implies "
        "--task-runner dask; see the README for what its workers need).")] = None,
) -> None:
    """Ingest, screen, classify and store every agreement of a source."""
    from pipeline.sources import SOURCE_ENV_VAR
    from pipeline.sources.tota import DEFAULT_BASE_URL

    location = source or os.environ.get(SOURCE_ENV_VAR) or DEFAULT_BASE_URL
    _check_pdf_engine(pdf_engine)
    _check_task_runner(task_runner, workers, dask_address)
    on_dask = (task_runner or ("dask" if dask_address else "processes")) == "dask"
    from pipeline import prefect_server
    from pipeline.prefect_setup import apply_quiet_settings, log_file, route_prefect_logs_to_file

    apply_quiet_settings()
    # Prefect's temporary server (unless a Prefect API is configured) and the workers, which
    # load the model, start first and in the background: both take seconds. Workers start only
    # if some file changed (or the source is remote): a refresh with nothing to do starts none.
    server = prefect_server.start(log_file())
    from pipeline.parallel import default_workers, shutdown_pools, warm_up
    from pipeline.refresh_preview import preview

    plan = preview(location, db, model, pdf_engine)
    if not on_dask and (plan is None or plan.needs_workers):  # Dask's workers load the model themselves
        warm_up(workers or default_workers(), model)
    from pipeline import flows  # imports Prefect: after the quiet settings, inside the command

    server = prefect_server.unless_configured(server)
    from pipeline.progress import reporting_to
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    log_path = route_prefect_logs_to_file()
    try:
        if server is not None:
            server.wait_until_ready()
    except CybernormsError as exc:
        shutdown_pools()
        _fail(exc)
    console.print(f"refreshing from [bold]{location}[/bold] into [bold]{db}[/bold] (Prefect log: {log_path})")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as progress:
        bars: dict[str, int] = {}

        def on_progress(stage: str, completed: int, total: int) -> None:
            if stage not in bars:
                bars[stage] = progress.add_task(stage, total=total or None)
            progress.update(bars[stage], completed=completed, total=total or None)

        try:
            with reporting_to(on_progress), prefect_server.run_settings(server):
                run = flows.refresh(source=location, db_path=str(db), model=model, workers=workers,
                                    pdf_engine=pdf_engine, task_runner=task_runner, dask_address=dask_address)
        except CybernormsError as exc:
            _fail(exc)
        finally:
            shutdown_pools()
            if server is not None:
                server.begin_stop()  # and at exit, wait for it (pipeline.prefect_server)
    table = Table(title=f"refresh {run.id} ({run.seconds:.1f} s, model {run.model_version})")
    for column in ("agreements seen", "added", "changed", "unchanged", "withdrawn", "provisions written", "errors"):
        table.add_column(column, justify="right")
    table.add_row(*(str(v) for v in (run.agreements_seen, run.agreements_added, run.agreements_changed,
                                     run.agreements_unchanged, run.agreements_withdrawn, run.provisions_written,
                                     len(run.errors))))
    out.print(table)
    for error in run.errors:
        console.print(Text("skipped: ", style="yellow") + Text(error), soft_wrap=True)
    from pipeline.cli.analytics import _print_adoption

    _print_adoption(db)


def _check_task_runner(task_runner: str | None, workers: int | None, dask_address: str | None) -> None:
    """Bad runner options fail before any server or worker starts (the flow checks them too)."""
    from pipeline.analysis_runners import TASK_RUNNERS, check_dask_address

    if task_runner is not None and task_runner not in TASK_RUNNERS:
        _fail(CybernormsError(f"--task-runner {task_runner}: unknown task runner (choose from "
                              f"{', '.join(TASK_RUNNERS)})"))
    if workers is not None and workers < 1:
        _fail(CybernormsError(f"--workers {workers}: must be at least 1"))
    if dask_address:
        if task_runner == "processes":
            _fail(CybernormsError("--dask-address needs --task-runner dask (the process pool runs on this machine)"))
        try:
            check_dask_address(dask_address)
        except CybernormsError as exc:
            _fail(exc)


@app.command()
def status(db: DbOption = DEFAULT_DB_PATH) -> None:
    """What the database holds and how the last refresh went."""
    from pipeline.store import open_database
    from pipeline.store.reads import status as read_status

    try:
        with open_database(db, read_only=True) as connection:
            info = read_status(connection)
    except CybernormsError as exc:
        _fail(exc)
    view = Table(title=f"{db}", show_header=False)
    for key in ("agreements", "withdrawn agreements", "treaties", "vintage differs from signature", "provisions", "predictions", "clauses",
                "model_versions"):
        value = info[key]
        view.add_row(key, "not built yet: run `cybernorms refresh`" if value is None else str(value))
    for key, value in (info["last_run"] or {}).items():
        view.add_row(f"last run: {key}", str(value))
    out.print(view)


@app.command()
def history(
    agreement: Annotated[str, typer.Argument(help="Agreement id, e.g. tota:442.")],
    db: DbOption = DEFAULT_DB_PATH,
) -> None:
    """The refreshes that touched an agreement: added, changed, re-classified, withdrawn, restored."""
    from pipeline.cli.common import print_frame
    from pipeline.store import open_database
    from pipeline.store.lifecycle import history as read_history

    try:
        with open_database(db, read_only=True) as connection:
            frame = read_history(connection, agreement)
    except CybernormsError as exc:
        _fail(exc)
    if frame.empty:
        _fail(CybernormsError(f"{agreement}: no refresh of {db} touched this agreement "
                              "(check the id with `cybernorms sql \"SELECT agreement_id FROM all_agreements\"`)"))
    print_frame(frame, title=f"history of {agreement}")

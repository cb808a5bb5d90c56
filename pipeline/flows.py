"""Prefect flow `refresh`: source -> fingerprint and compare -> analyse (parse, screen,
classify) -> store -> publish.

Thin orchestration over the core functions. The refresh first lists the source and compares
each file's fingerprint with the published database (pipeline.refresh_plan): with nothing to
write it records the run in the runs journal and stops, having started no worker and loaded
no model. Otherwise it writes into a snapshot of the database and publishes it whole at the
end (pipeline.store.snapshot), so readers see the previous state until then and a crash
leaves it untouched. Tasks work on batches of agreements, not
articles, so Prefect's per-task cost stays a small, measured part of a refresh; analysis
of the next batches runs while the current one is written. With PREFECT_API_URL set, runs
are reported there; with none, Prefect starts its temporary (ephemeral) server (`cybernorms
refresh` starts the same server app itself, sooner: see pipeline.prefect_server).
"""

from __future__ import annotations

from pipeline.prefect_setup import apply_quiet_settings

apply_quiet_settings()

import logging  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass, field, replace  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import duckdb  # noqa: E402

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402

from pipeline.classify.registry import DEFAULT_SPEC, model_version  # noqa: E402
from pipeline.errors import SourceError, StoreError  # noqa: E402
from pipeline.model import Run  # noqa: E402
from pipeline.analysis_runners import analysis_plan  # noqa: E402
from pipeline.bounded import stream_in_order  # noqa: E402
from pipeline.parallel import AnalysedFiles, analyse_paths  # noqa: E402
from pipeline.progress import report  # noqa: E402
from pipeline.sources import list_source_files  # noqa: E402
from pipeline.flows_paths import DEFAULT_CACHE_DIR  # noqa: E402
from pipeline.sources.download import download_corpus, is_url  # noqa: E402
from pipeline.sources.remote import fetch_manifest, is_manifest_file, manifest_cache_dir  # noqa: E402
from pipeline.fingerprint import code_version, parser_version  # noqa: E402
from pipeline.refresh_plan import Plan  # noqa: E402
from pipeline.refresh_preview import plan_for, source_location, take_preview_digests  # noqa: E402
from pipeline.store import journal, snapshot  # noqa: E402
from pipeline.store.lifecycle import apply_plan  # noqa: E402
from pipeline.store.memory import limit_writer_memory  # noqa: E402
from pipeline.store.rows_ipc import PackedRows, pack_rows, unpack_rows  # noqa: E402
from pipeline.store.writes import finish_run, is_storage_failure, start_run, write_rows  # noqa: E402

# Agreements re-classified per step when only the model changed (read from and written to the store).
RECLASSIFY_BATCH = 150
log = logging.getLogger(__name__)


def _storage_error(db_path: str, exc: BaseException) -> StoreError:
    problem = str(exc).removeprefix("the database cannot be written: ")
    return StoreError(f"{db_path}: the database cannot be written ({problem}); the published database is "
                      "unchanged, readers still see it whole. Free disk space or choose a writable "
                      "--db, then run the refresh again")


@dataclass
class CorpusFiles:
    paths: list[Path]
    errors: list[str]


@task(name="download-source", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def download_source(source: str, cache_dir: Path) -> CorpusFiles:
    """Download a base URL into the cache (network I/O: retried; each file also retries itself)."""
    fetched: list = []

    def on_file(result) -> None:
        fetched.append(result)
        report("download", len(fetched), 0)

    results = download_corpus(source, cache_dir, on_file=on_file)
    return CorpusFiles([r.path for r in results if r.path], [r.error for r in results if r.error])


@task(name="download-manifest", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def download_manifest(source: str, folder: Path) -> CorpusFiles:
    """Bring the texts a manifest lists (corpora/post2016.toml) into its cache folder (network I/O)."""
    fetched = fetch_manifest(Path(source), folder)
    report("download", len(fetched.entries), len(fetched.entries))
    return CorpusFiles(list_source_files(fetched.folder), fetched.errors)


@task(name="list-source", cache_policy=NO_CACHE)
def list_source(source: str) -> CorpusFiles:
    location = Path(source)
    if location.is_file():
        return CorpusFiles([location], [])
    if not location.exists():
        raise SourceError(location, "does not exist", "pass a folder of ToTA XML files, a file, or an http(s) URL")
    return CorpusFiles(list_source_files(location), [])


@task(name="analyse-batch", cache_policy=NO_CACHE)
def analyse_batch(paths: list[Path], model_spec: str, known: dict, workers: int,
                  pdf_engine: str | None) -> AnalysedFiles:
    return analyse_paths(paths, model_spec=model_spec, known=known, workers=workers, pdf_engine=pdf_engine)


@dataclass(frozen=True)
class PackedAnalysis:
    """What a Dask worker sends back for a batch: its rows as compressed Arrow bytes."""

    rows: PackedRows
    unchanged: tuple
    errors: tuple

    def unpack(self) -> AnalysedFiles:
        return AnalysedFiles(unpack_rows(self.rows), self.unchanged, self.errors)


@task(name="analyse-batch-remote", cache_policy=NO_CACHE)
def analyse_batch_remote(paths: list[Path], model_spec: str, known: dict, pdf_engine: str | None) -> PackedAnalysis:
    """A batch on a Dask worker, in the worker's own process (Dask's workers are the pool)."""
    analysed = analyse_paths(paths, model_spec=model_spec, known=known, workers=1, pdf_engine=pdf_engine)
    return PackedAnalysis(pack_rows(analysed.rows), analysed.unchanged, analysed.errors)


@dataclass
class BatchOutcome:
    seen: int = 0
    written: int = 0
    unchanged: int = 0
    provisions: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: BatchOutcome) -> None:
        self.seen += other.seen
        self.written += other.written
        self.unchanged += other.unchanged
        self.provisions += other.provisions
        self.errors.extend(other.errors)


@task(name="write-batch", cache_policy=NO_CACHE)
def write_batch(connection, analysed: AnalysedFiles, run_id: str) -> BatchOutcome:
    """Write the analysed agreements of a batch (see pipeline.store.writes for the transactions)."""
    written = write_rows(connection, analysed.rows, run_id)
    return BatchOutcome(
        seen=analysed.seen,
        written=written.agreements,
        unchanged=len(analysed.unchanged),
        provisions=written.provisions,
        errors=[str(e) for e in analysed.errors] + written.errors,
    )


@task(name="derive-treaties", cache_policy=NO_CACHE)
def derive_treaties(connection, run_id: str, code_version_: str) -> bool:
    """Bring treaties and text vintage up to date (every refresh that writes: a new text can join
    an existing treaty, a withdrawn one leaves its treaty). Only the rows the run's agreements
    reach are recomputed, unless the code or the newest signature year (the bound on plausible
    text dates) changed: then all of them. Returns whether it was incremental."""
    from pipeline.analytics.derive import update
    from pipeline.store.lifecycle import touched_agreements

    return update(connection, touched_agreements(connection, run_id), code_version_).incremental


@task(name="plan-refresh", cache_policy=NO_CACHE)
def plan_changes(corpus: CorpusFiles, db_path: str, model_version_: str, pdf_engine: str | None,
                 location: str, complete: bool) -> Plan:
    """Fingerprint every listed file and compare with the published database (read-only). Files
    the command line's preview hashed moments ago and that are provably unchanged since keep
    that digest (pipeline.fingerprint.DigestMemo)."""
    return plan_for(corpus.paths, Path(db_path), model_version_, pdf_engine, location, complete,
                    memo=take_preview_digests(location))


@task(name="reclassify", cache_policy=NO_CACHE)
def reclassify(connection, plan: Plan, model: str, workers: int | None, run_id: str) -> BatchOutcome:
    """Classify the stored provisions of agreements whose model changed (no file is read)."""
    from pipeline.parallel import default_workers
    from pipeline.reclassify import classify_stored_parallel, read_documents

    total = BatchOutcome()
    ids = [d.agreement_id for d in plan.reclassify]
    for start in range(0, len(ids), RECLASSIFY_BATCH):
        stored = read_documents(connection, ids[start:start + RECLASSIFY_BATCH])
        rows = classify_stored_parallel(stored, model, workers or default_workers())
        written = write_rows(connection, rows, run_id)
        total.add(BatchOutcome(seen=len(stored), written=written.agreements, provisions=written.provisions,
                               errors=written.errors))
    return total


class StageClock:
    """Seconds per stage of a run, for the run record."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


@flow(name="refresh", task_runner=ThreadPoolTaskRunner(max_workers=2), validate_parameters=False)
def refresh(
    source: str,
    db_path: str = "outputs/cybernorms.duckdb",
    model: str = DEFAULT_SPEC,
    workers: int | None = None,
    pdf_engine: str | None = None,
    cache_dir: str = str(DEFAULT_CACHE_DIR),
    task_runner: str | None = None,  # pipeline.analysis_runners: "processes" (default) or "dask"
    dask_address: str | None = None,  # an existing Dask scheduler, e.g. tcp://HOST:8786
) -> Run:
    """Ingest, screen, classify and store every agreement of a source; returns the run record."""
    run = Run(id=uuid.uuid4().hex[:12], started_at=datetime.now(), finished_at=None, source=source,
              model_version=model_version(model), parser_version=parser_version(), code_version=code_version(),
              pdf_engine=pdf_engine)
    db = Path(db_path)
    with snapshot.writer_lock(db):  # one writer at a time; readers never take it
        snapshot.remove_stale(db)  # left by a refresh that died before publishing
        _journal(db, run)  # started: a run killed before it ends stays on record as 'running'
        return _refresh_locked(run, source, db, model, workers, pdf_engine, cache_dir, task_runner, dask_address)


def _refresh_locked(run: Run, source: str, db: Path, model: str, workers: int | None, pdf_engine: str | None,
                    cache_dir: str, task_runner: str | None, dask_address: str | None) -> Run:
    db_path = str(db)
    clock = StageClock()
    total = BatchOutcome()
    counts: dict[str, int] = {}
    status = "failed"
    work: snapshot.Snapshot | None = None
    try:
        with clock.stage("list"):
            if is_url(source):
                corpus = download_source(source, Path(cache_dir))
            elif is_manifest_file(source):
                # A manifest's texts are kept beside the ToTA cache: outputs/cache/post2016/.
                corpus = download_manifest(source, manifest_cache_dir(Path(source), Path(cache_dir).parent))
            else:
                corpus = list_source(source)
            corpus = CorpusFiles([p.absolute() for p in corpus.paths], corpus.errors)
        total.add(BatchOutcome(seen=len(corpus.errors), errors=list(corpus.errors)))
        with clock.stage("fingerprint"):
            # A partial download lists only part of the source: withdraw nothing on its word.
            plan = plan_changes(corpus, db_path, run.model_version, pdf_engine, source_location(source),
                                complete=not corpus.errors)
        total.add(BatchOutcome(seen=len(plan.unchanged) + len(plan.restore) + len(plan.relocate),
                               unchanged=len(plan.unchanged) + len(plan.relocate)))
        if plan.has_work:
            with clock.stage("snapshot"):
                work = snapshot.begin(db)
            connection = work.connection
            limit_writer_memory(connection)  # a bounded cache, whatever the size of the database
            start_run(connection, run)
            # Only the files whose fingerprint changed are read; change detection is done, so
            # the workers are told nothing is known.
            paths = [Path(p) for p in plan.read]
            known: dict = {}
            with clock.stage("analyse and write"):
                _analyse_and_write(connection, paths, model, known, workers, pdf_engine, task_runner,
                                   dask_address, run.id, total, len(corpus.errors))
            if plan.reclassify:
                with clock.stage("reclassify"):
                    total.add(reclassify(quote(connection), quote(plan), model, workers, run.id))
            with clock.stage("record"):
                counts = apply_plan(connection, plan, run.id, run.model_version, datetime.now())
            with clock.stage("derive"):
                derive_treaties(quote(connection), run.id, run.code_version)
        status = "completed with errors" if total.errors else "completed"
    except Exception as exc:
        total.errors.append(str(exc))  # on record in the runs journal, then raised to the caller
        if isinstance(exc, duckdb.Error) and is_storage_failure(exc):
            raise _storage_error(db_path, exc) from exc
        if isinstance(exc, StoreError):
            raise _storage_error(db_path, exc) from exc
        raise
    finally:
        run = _finish(db, run, work, clock, total, counts, status)
    return run


def _analyse_and_write(connection, paths: list[Path], model: str, known: dict, workers: int | None,
                       pdf_engine: str | None, task_runner: str | None, dask_address: str | None, run_id: str,
                       total: BatchOutcome, listing_errors: int) -> None:
    """Analyse the files on the chosen runner and write each batch as it comes, in source order,
    with a bounded number of batches in flight (pipeline.bounded)."""
    runners = analysis_plan(task_runner, workers, dask_address)
    batches = (paths[i:i + runners.batch_size] for i in range(0, len(paths), runners.batch_size))
    report("agreements", 0, len(paths))
    with runners.worker_settings(), runners.runner() as runner:
        if runners.kind == "dask":
            # Plain values: on a Dask worker Prefect does not unwrap quote(); walking one
            # batch's paths costs milliseconds.
            def submit(batch: list[Path]):
                return runner.submit(analyse_batch_remote, {"paths": batch, "model_spec": model,
                                                            "known": known, "pdf_engine": pdf_engine})
        else:  # quote(): Prefect would otherwise walk every path
            def submit(batch: list[Path]):
                return runner.submit(analyse_batch, {"paths": quote(batch), "model_spec": model,
                                                     "known": quote(known), "workers": runners.workers,
                                                     "pdf_engine": pdf_engine})
        for result in stream_in_order(submit, batches, runners.in_flight(runner)):
            analysed = result.unpack() if isinstance(result, PackedAnalysis) else result
            # quote(): Prefect would otherwise walk every provision looking for futures.
            total.add(write_batch(quote(connection), quote(analysed), run_id))
            report("agreements", total.seen - listing_errors, len(paths))


def _default_workers() -> int:
    from pipeline.parallel import default_workers

    return default_workers()


def _finish(db: Path, run: Run, work: snapshot.Snapshot | None, clock: StageClock, total: BatchOutcome,
            counts: dict[str, int], status: str) -> Run:
    """Publish the snapshot with the run's record in it, or, with nothing published, put the
    record in the runs journal."""
    publish = work is not None and status != "failed"
    try:
        if publish:
            with clock.stage("publish"):
                work.connection.execute("CHECKPOINT")  # the bulk of publishing: the rest is a rename
    except duckdb.Error as exc:
        work.discard()
        _journal(db, replace(run, finished_at=datetime.now(), status="failed", errors=(*total.errors, str(exc))))
        raise _storage_error(str(db), exc) from exc
    run = replace(run, finished_at=datetime.now(), agreements_seen=total.seen, agreements_written=total.written,
                  agreements_unchanged=total.unchanged, provisions_written=total.provisions,
                  errors=tuple(total.errors), status=status,
                  agreements_added=counts.get("added", 0),
                  agreements_changed=counts.get("changed", 0) + counts.get("reclassified", 0),
                  agreements_reclassified=counts.get("reclassified", 0),
                  agreements_withdrawn=counts.get("withdrawn", 0),
                  agreements_failed=len(total.errors),
                  stage_seconds=tuple(clock.seconds.items()), published=publish)
    try:
        if publish:
            finish_run(work.connection, run)
            work.publish()
            return run
    except (duckdb.Error, OSError) as exc:
        run = replace(run, status="failed", published=False, errors=(*run.errors, str(exc)))
        work.discard()
        _journal(db, run)
        raise _storage_error(str(db), exc) from exc
    if work is not None:
        work.discard()
    _journal(db, run)
    return run


def _journal(db: Path, run: Run) -> None:
    try:
        journal.append_run(db, run.record())
    except OSError as exc:  # a full or read-only disk: the error being raised says what matters
        log.warning("%s: could not record run %s in the runs journal: %s", db, run.id, exc)

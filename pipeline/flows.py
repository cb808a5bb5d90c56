"""Prefect flow `refresh`: source -> analyse (parse, screen, classify) -> store.

Thin orchestration over the core functions. Tasks work on batches of agreements, not
articles, so Prefect's per-task cost stays a small, measured part of a refresh; analysis
of the next batches runs while the current one is written. With PREFECT_API_URL set, runs
are reported there; with none, Prefect starts its temporary (ephemeral) server (`cybernorms
refresh` starts the same server app itself, sooner: see pipeline.prefect_server).
"""

from __future__ import annotations

from pipeline.prefect_setup import apply_quiet_settings

apply_quiet_settings()

import logging  # noqa: E402
import uuid  # noqa: E402
from dataclasses import dataclass, field, replace  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import duckdb  # noqa: E402

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402

from pipeline.analytics.derive import rebuild  # noqa: E402
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
from pipeline.store import open_database  # noqa: E402
from pipeline.store.memory import limit_writer_memory  # noqa: E402
from pipeline.store.rows_ipc import PackedRows, pack_rows, unpack_rows  # noqa: E402
from pipeline.store.writes import (  # noqa: E402
    finish_run, is_storage_failure, start_run, stored_versions, write_rows,
)

log = logging.getLogger(__name__)


def _storage_error(db_path: str, exc: BaseException) -> StoreError:
    problem = str(exc).removeprefix("the database cannot be written: ")
    return StoreError(f"{db_path}: the database cannot be written ({problem}); agreements stored before this "
                      "point are complete and kept, none is half-written. Free disk space or choose a writable "
                      "--db, then run the refresh again: it stores only what is missing")


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
def derive_treaties(connection) -> int:
    """Rebuild treaties and text vintage from the whole database (every refresh: a new text can
    join an existing treaty, and a new newest date moves the bound on plausible years)."""
    return rebuild(connection)


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
              model_version=model_version(model))
    connection = open_database(Path(db_path))
    limit_writer_memory(connection)  # a bounded cache, whatever the size of the database
    total = BatchOutcome()
    status = "failed"
    try:
        start_run(connection, run)
        if is_url(source):
            corpus = download_source(source, Path(cache_dir))
        elif is_manifest_file(source):
            # A manifest's texts are kept beside the ToTA cache: outputs/cache/post2016/.
            corpus = download_manifest(source, manifest_cache_dir(Path(source), Path(cache_dir).parent))
        else:
            corpus = list_source(source)
        total.add(BatchOutcome(seen=len(corpus.errors), errors=list(corpus.errors)))
        known = stored_versions(connection)
        plan = analysis_plan(task_runner, workers, dask_address)
        batches = (corpus.paths[i:i + plan.batch_size] for i in range(0, len(corpus.paths), plan.batch_size))
        report("agreements", 0, len(corpus.paths))
        with plan.worker_settings(), plan.runner() as runner:
            if plan.kind == "dask":
                # Plain values: on a Dask worker Prefect does not unwrap quote(); walking one
                # batch's paths and the stored versions costs milliseconds.
                def submit(batch: list[Path]):
                    return runner.submit(analyse_batch_remote, {"paths": batch, "model_spec": model,
                                                                "known": known, "pdf_engine": pdf_engine})
            else:  # quote(): Prefect would otherwise walk every path and stored version
                def submit(batch: list[Path]):
                    return runner.submit(analyse_batch, {"paths": quote(batch), "model_spec": model,
                                                         "known": quote(known), "workers": plan.workers,
                                                         "pdf_engine": pdf_engine})
            # A bounded number of batches in flight, written in source order as they come.
            for result in stream_in_order(submit, batches, plan.in_flight(runner)):
                analysed = result.unpack() if isinstance(result, PackedAnalysis) else result
                # quote(): Prefect would otherwise walk every provision looking for futures.
                total.add(write_batch(quote(connection), quote(analysed), run.id))
                report("agreements", total.seen - len(corpus.errors), len(corpus.paths))
        derive_treaties(quote(connection))
        status = "completed with errors" if total.errors else "completed"
    except Exception as exc:
        total.errors.append(str(exc))  # on record in the runs table, then raised to the caller
        if isinstance(exc, duckdb.Error) and is_storage_failure(exc):
            raise _storage_error(db_path, exc) from exc
        if isinstance(exc, StoreError):
            raise _storage_error(db_path, exc) from exc
        raise
    finally:
        run = replace(run, finished_at=datetime.now(), agreements_seen=total.seen, agreements_written=total.written,
                      agreements_unchanged=total.unchanged, provisions_written=total.provisions,
                      errors=tuple(total.errors), status=status)
        try:
            finish_run(connection, run)
        except duckdb.Error as exc:
            if status == "failed":  # the failure in flight is the one to report
                log.warning("%s: could not record the end of run %s: %s", db_path, run.id, exc)
            else:
                raise _storage_error(db_path, exc) from exc
        finally:
            connection.close()
    return run

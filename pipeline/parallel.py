"""Read and analyse files across CPU cores.

Workers come from a forkserver: it starts clean (none of Prefect's threads or event
loops, which are unsafe to fork) with the pipeline modules preloaded, so each worker
starts in milliseconds. Each worker loads the classifier once.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.classify.documents import UnchangedDocument, analyse_documents
from pipeline.classify.registry import load_classifier
from pipeline.errors import CybernormsError, SourceError
from pipeline.model import Document
from pipeline.sources import OTHER_SUFFIXES, read_any
from pipeline.store.rows import StoreRows, empty_rows, to_rows

# Files per worker task: enough provisions per classifier call to amortise its set-up,
# few enough that both cores stay busy to the end.
_CHUNK = 10
PRELOAD_ENV_VAR = "CYBERNORMS_PRELOAD_MODEL"


@dataclass(frozen=True)
class AnalysedFiles:
    """What analysing some files gave: rows to store, agreements stored already as they are
    (same bytes, same model), and the files that failed."""

    rows: StoreRows
    unchanged: tuple[UnchangedDocument, ...] = ()
    errors: tuple[SourceError, ...] = ()

    @property
    def seen(self) -> int:
        return self.rows.agreements.num_rows + len(self.unchanged) + len(self.errors)

    @classmethod
    def concat(cls, parts: Sequence[AnalysedFiles]) -> AnalysedFiles:
        return cls(StoreRows.concat([p.rows for p in parts]), tuple(u for p in parts for u in p.unchanged),
                   tuple(e for p in parts for e in p.errors))


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def analyse_chunk(
    paths: Sequence[Path],
    model_spec: str,
    known: Mapping[str, tuple[str, str | None]],
    pdf_engine: str | None = None,
) -> AnalysedFiles:
    """Read files, classify their provisions and build their rows; errors come back as
    values, never raised."""
    documents: list[tuple[Path, Document]] = []
    unchanged: list[UnchangedDocument] = []
    errors: list[SourceError] = []
    classifier = load_classifier(model_spec)
    for path in paths:
        try:
            document = read_any(path, pdf_engine=pdf_engine, manifest=_manifest_for(path.parent))
        except SourceError as exc:
            errors.append(exc)
            continue
        except CybernormsError as exc:
            errors.append(SourceError(path, str(exc), "fix what the message names and refresh again"))
            continue
        except Exception as exc:  # noqa: BLE001 - one hostile file must not stop the run
            errors.append(SourceError(path, f"could not be processed: {type(exc).__name__}: {exc}",
                                      "please report this file; the other files went on"))
            continue
        agreement = document.agreement
        if known.get(agreement.id) == (agreement.content_hash, classifier.version):
            unchanged.append(UnchangedDocument(agreement.id, agreement.name))
        else:
            documents.append((path, document))
    try:
        rows = to_rows(analyse_documents([d for _, d in documents], classifier), [str(p) for p, _ in documents])
    except Exception as exc:  # noqa: BLE001 - report it against every file of the chunk
        problem = f"could not be classified: {type(exc).__name__}: {exc}"
        return AnalysedFiles(empty_rows(), tuple(unchanged), (*errors, *(SourceError(p, problem, "please report this file") for p, _ in documents)))
    return AnalysedFiles(rows, tuple(unchanged), tuple(errors))


def _manifest_for(directory: Path):
    """The folder's manifest, read once per worker and version of the file; None for pure ToTA
    folders. (Keyed on its size and time too: a long-lived process, such as a served schedule,
    must see an edited manifest.)"""
    try:
        stat = (directory / "sources.toml").stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None
    return _manifest_read(directory, stamp)


@cache
def _manifest_read(directory: Path, stamp: tuple[int, int] | None):
    if not any(p.suffix.lower() in OTHER_SUFFIXES or p.is_dir() for p in directory.iterdir()):
        return None
    from pipeline.sources.manifest import load_manifest

    return load_manifest(directory)


def analyse_paths(
    paths: Sequence[Path],
    *,
    model_spec: str,
    known: Mapping[str, tuple[str, str | None]],
    workers: int,
    pdf_engine: str | None = None,
) -> AnalysedFiles:
    """Analyse files across `workers` processes (in this one when workers <= 1 or there is
    little to do)."""
    known = dict(known)
    chunks = [list(paths[i:i + _CHUNK]) for i in range(0, len(paths), _CHUNK)]
    if workers <= 1 or (len(chunks) <= 1 and not has_pool(workers)):
        # One chunk is analysed here, unless the command line already started the workers: they
        # have the model loaded, where this process would import spaCy and load it (seconds).
        return AnalysedFiles.concat([analyse_chunk(chunk, model_spec, known, pdf_engine) for chunk in chunks])
    count = len(chunks)
    return AnalysedFiles.concat(list(_pool(workers, model_spec).map(
        analyse_chunk, chunks, [model_spec] * count, [known] * count, [pdf_engine] * count)))


_pools: dict[int, ProcessPoolExecutor] = {}
_pools_lock = threading.Lock()


def _pool(workers: int, model_spec: str) -> ProcessPoolExecutor:
    with _pools_lock:
        if workers not in _pools:
            # The forkserver loads the model once (pipeline.worker_preload) and every worker it
            # forks inherits it, instead of each worker reading the model file again.
            os.environ.setdefault(PRELOAD_ENV_VAR, model_spec)
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["pipeline.parallel", "pipeline.worker_preload"])
            _pools[workers] = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        return _pools[workers]


def has_pool(workers: int) -> bool:
    with _pools_lock:
        return workers in _pools


def shutdown_pools() -> None:
    """Stop the worker processes (the CLI calls this when a refresh ends)."""
    with _pools_lock:
        while _pools:
            _pools.popitem()[1].shutdown()


def _load_model_only(model_spec: str) -> None:
    # Returns nothing: sending the classifier back would make the main process unpickle
    # it (and import scikit-learn) for no use.
    load_classifier(model_spec)


def warm_up(workers: int, model_spec: str) -> threading.Thread | None:
    """Start the worker processes and load the model in each, in the background.

    Starting a worker waits until the forkserver has imported spaCy and scikit-learn and
    loaded the model (seconds); a thread does that waiting so the caller can go on.
    """
    if workers <= 1:
        return None

    def start() -> None:
        pool = _pool(workers, model_spec)
        try:
            for _ in range(workers):
                pool.submit(_load_model_only, model_spec)
        except RuntimeError:
            pass  # the run ended (e.g. a bad --source) and shut the pool down first

    thread = threading.Thread(target=start, name="cybernorms-warm-up", daemon=True)
    thread.start()
    return thread

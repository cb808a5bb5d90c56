"""Read and analyse files across CPU cores.

Workers come from a forkserver: it starts clean (none of Prefect's threads or event
loops, which are unsafe to fork) with the pipeline modules preloaded, so each worker
starts in milliseconds. Each worker loads the classifier once.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

from pipeline.analyse import AnalysedDocument, UnchangedDocument, analyse_document
from pipeline.classify.registry import load_classifier
from pipeline.errors import CybernormsError, SourceError
from pipeline.sources import read_any

AnalysisResult = AnalysedDocument | UnchangedDocument | SourceError
_CHUNK = 4


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def analyse_path(
    path: Path,
    model_spec: str,
    known: Mapping[str, tuple[str, str | None]],
    pdf_engine: str | None = None,
) -> AnalysisResult:
    """Read one file and classify its provisions; errors come back as values, never raised."""
    try:
        document = read_any(path, pdf_engine=pdf_engine, manifest=_manifest_for(path.parent))
        classifier = load_classifier(model_spec)
        agreement = document.agreement
        if known.get(agreement.id) == (agreement.content_hash, classifier.version):
            return UnchangedDocument(agreement.id, agreement.name)
        return analyse_document(document, classifier)
    except SourceError as exc:
        return exc
    except CybernormsError as exc:
        return SourceError(path, str(exc))
    except Exception as exc:  # noqa: BLE001 - one hostile file must not stop the run
        return SourceError(path, f"could not be processed: {type(exc).__name__}: {exc}")


@cache
def _manifest_for(directory: Path):
    try:
        from pipeline.sources.manifest import load_manifest
    except ImportError:
        return None
    if not any(p.suffix.lower() in {".pdf", ".html", ".htm", ".txt", ".md"} for p in directory.iterdir()):
        return None
    return load_manifest(directory)


def analyse_paths(
    paths: Sequence[Path],
    *,
    model_spec: str,
    known: Mapping[str, tuple[str, str | None]],
    workers: int,
    pdf_engine: str | None = None,
) -> Iterator[AnalysisResult]:
    """Results in input order; in-process when workers <= 1 or there is little to do."""
    known = dict(known)
    if workers <= 1 or len(paths) <= _CHUNK:
        for path in paths:
            yield analyse_path(path, model_spec, known, pdf_engine)
        return
    for result in _pool(workers).map(
        analyse_path, paths, [model_spec] * len(paths), [known] * len(paths), [pdf_engine] * len(paths),
        chunksize=_CHUNK,
    ):
        yield result


_pools: dict[int, ProcessPoolExecutor] = {}


def _pool(workers: int) -> ProcessPoolExecutor:
    if workers not in _pools:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["pipeline.parallel"])
        _pools[workers] = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    return _pools[workers]


def shutdown_pools() -> None:
    """Stop the worker processes (the CLI calls this when a refresh ends)."""
    while _pools:
        _pools.popitem()[1].shutdown()


def warm_up(workers: int) -> None:
    """Start the worker processes now (module preloading happens in the background)."""
    if workers > 1:
        pool = _pool(workers)
        for _ in range(workers):
            pool.submit(default_workers)

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

from pipeline.analyse import AnalysedDocument, UnchangedDocument, analyse_documents
from pipeline.classify.registry import load_classifier
from pipeline.errors import CybernormsError, SourceError
from pipeline.model import Document
from pipeline.sources import OTHER_SUFFIXES, read_any

AnalysisResult = AnalysedDocument | UnchangedDocument | SourceError
# Files per worker task: enough provisions per classifier call to amortise its set-up,
# few enough that both cores stay busy to the end.
_CHUNK = 10
PRELOAD_ENV_VAR = "CYBERNORMS_PRELOAD_MODEL"


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def analyse_chunk(
    paths: Sequence[Path],
    model_spec: str,
    known: Mapping[str, tuple[str, str | None]],
    pdf_engine: str | None = None,
) -> list[AnalysisResult]:
    """Read files and classify their provisions; errors come back as values, never raised."""
    results: list[AnalysisResult | Document] = []
    classifier = load_classifier(model_spec)
    for path in paths:
        try:
            document = read_any(path, pdf_engine=pdf_engine, manifest=_manifest_for(path.parent))
        except SourceError as exc:
            results.append(exc)
            continue
        except CybernormsError as exc:
            results.append(SourceError(path, str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - one hostile file must not stop the run
            results.append(SourceError(path, f"could not be processed: {type(exc).__name__}: {exc}"))
            continue
        agreement = document.agreement
        unchanged = known.get(agreement.id) == (agreement.content_hash, classifier.version)
        results.append(UnchangedDocument(agreement.id, agreement.name) if unchanged else document)
    documents = [r for r in results if isinstance(r, Document)]
    try:
        analysed = iter(analyse_documents(documents, classifier))
    except Exception as exc:  # noqa: BLE001 - report it against every file of the chunk
        problem = f"could not be classified: {type(exc).__name__}: {exc}"
        return [SourceError(p, problem) if isinstance(r, Document) else r for p, r in zip(paths, results)]
    return [next(analysed) if isinstance(r, Document) else r for r in results]


@cache
def _manifest_for(directory: Path):
    """The folder's manifest, read once per worker; None for pure ToTA folders."""
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
) -> Iterator[AnalysisResult]:
    """Results in input order; in-process when workers <= 1 or there is little to do."""
    known = dict(known)
    chunks = [list(paths[i:i + _CHUNK]) for i in range(0, len(paths), _CHUNK)]
    if workers <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            yield from analyse_chunk(chunk, model_spec, known, pdf_engine)
        return
    count = len(chunks)
    for results in _pool(workers, model_spec).map(analyse_chunk, chunks, [model_spec] * count, [known] * count,
                                      [pdf_engine] * count):
        yield from results


_pools: dict[int, ProcessPoolExecutor] = {}


def _pool(workers: int, model_spec: str) -> ProcessPoolExecutor:
    if workers not in _pools:
        # The forkserver loads the model once (pipeline.worker_preload) and every worker it
        # forks inherits it, instead of each worker reading the model file again.
        os.environ.setdefault(PRELOAD_ENV_VAR, model_spec)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["pipeline.parallel", "pipeline.worker_preload"])
        _pools[workers] = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    return _pools[workers]


def shutdown_pools() -> None:
    """Stop the worker processes (the CLI calls this when a refresh ends)."""
    while _pools:
        _pools.popitem()[1].shutdown()


def warm_up(workers: int, model_spec: str) -> None:
    """Start the worker processes now and load the model in each, in the background."""
    if workers > 1:
        pool = _pool(workers, model_spec)
        for _ in range(workers):
            pool.submit(load_classifier, model_spec)

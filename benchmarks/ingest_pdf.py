"""Benchmark: structured PDF ingest with each engine against pypdfium2's raw text extraction.

Renders a ToTA agreement (US - Chile, pta_53, outside the hold-out) as a two-column PDF of
about 71 pages with running headers, footnotes and hyphenation (tests/pdf_render.py), then
measures in one run:

* raw reference: pypdfium2 `get_text_range()` on every page (no structure at all);
* raw pdfplumber `extract_text()` on every page (for scale);
* structured ingest, `read_document()` (layout + structure + provisions), with each engine;
* structured ingest of many copies through `parse_files_parallel` on all cores.

Run:  .venv/bin/python benchmarks/ingest_pdf.py [--repeat 3] [--copies 8] [--skip-plumber-raw]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402

from pipeline.sources.files import parse_files_parallel, read_document  # noqa: E402
from pipeline.sources.manifest import Manifest, SourceMetadata  # noqa: E402

import tota_samples  # noqa: E402
from pdf_render import PageStyle, render_pdf  # noqa: E402

AGREEMENT_ID = 53


def render(folder: Path) -> tuple[Path, int]:
    sample = tota_samples.load_agreement(AGREEMENT_ID)
    style = PageStyle(columns=2, running_header="{chapter}", footnote_every=5, justify=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glyphs missing from the test font are reported by fpdf2
        result = render_pdf(tota_samples.to_blocks(sample, "colon"), folder / "us-chile.pdf", style)
    return result.path, result.pages


def raw_pdfium(path: Path) -> None:
    pdf = pdfium.PdfDocument(str(path))
    for index in range(len(pdf)):
        page = pdf[index]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    pdf.close()


def raw_plumber(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def cpu_scaling(workers: int) -> float:
    """How much faster `workers` processes burn pure-Python CPU than one: what the cores give."""
    from concurrent.futures import ProcessPoolExecutor

    jobs = [2_000_000] * (2 * workers)
    start = time.perf_counter()
    for n in jobs:
        _burn(n)
    serial = time.perf_counter() - start
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_burn, [10] * workers))  # start the workers before timing
        start = time.perf_counter()
        list(pool.map(_burn, jobs))
        parallel = time.perf_counter() - start
    return serial / parallel


def timed(run: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per single-file measurement (median)")
    parser.add_argument("--copies", type=int, default=4 * (os.cpu_count() or 1), help="files in the parallel run")
    parser.add_argument("--skip-plumber-raw", action="store_true", help="skip pdfplumber's extract_text reference")
    args = parser.parse_args()
    if not tota_samples.corpus_available():
        sys.exit("ToTA corpus not found at ../shared/corpora/tota/xml")

    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path, pages = render(folder)
        rows: list[tuple[str, float, int]] = []  # (what, seconds, pages)
        single = Manifest(folder, (SourceMetadata(id="us-chile", files=(path.name,)),))
        rows.append(("raw pypdfium2 get_text_range (reference)", timed(lambda: raw_pdfium(path), args.repeat), pages))
        if not args.skip_plumber_raw:
            rows.append(("raw pdfplumber extract_text", timed(lambda: raw_plumber(path), 1), pages))
        for engine in ("pypdfium2", "pdfplumber"):
            repeat = args.repeat if engine == "pypdfium2" else 1
            seconds = timed(lambda e=engine: read_document(path, pdf_engine=e, manifest=single), repeat)
            rows.append((f"structured read_document, engine {engine}", seconds, pages))
        copies = [Path(shutil.copy(path, folder / f"copy-{n}.pdf")) for n in range(args.copies)]
        manifest = Manifest(folder, tuple(SourceMetadata(id=p.stem, files=(p.name,)) for p in copies))
        for workers in (1, cores):
            run = lambda w=workers: list(parse_files_parallel(copies, workers=w, manifest=manifest))  # noqa: E731
            seconds = timed(run, 1)
            what = f"structured, {args.copies} files, pypdfium2, {workers} worker(s)"
            rows.append((what, seconds, pages * args.copies))

    scaling = cpu_scaling(cores)
    reference = pages / rows[0][1]
    print(f"pta_{AGREEMENT_ID} rendered as a two-column PDF of {pages} pages; {cores} cores; "
          f"Python {platform.python_version()}, pypdfium2 {version('pypdfium2')}, pdfplumber {version('pdfplumber')}")
    print(f"command: .venv/bin/python benchmarks/ingest_pdf.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"CPU check: {cores} processes run pure-Python work {scaling:.2f}x as fast as one on this machine")
    print()
    print("| measurement | pages/s | vs raw pypdfium2 |")
    print("|---|---:|---:|")
    for what, seconds, count in rows:
        speed = count / seconds
        print(f"| {what} | {speed:,.1f} | {speed / reference:.2f} |")


if __name__ == "__main__":
    main()

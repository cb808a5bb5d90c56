"""Benchmark: full ToTA refresh from an empty database against a bare spaCy tokenizer pass.

Measures in one run, interleaved so that machine noise hits both alike:

* baseline: `spacy.blank("en")` tokenizer over the text of every ToTA article (nlp.tokenizer.pipe,
  one process), the cost of merely tokenising the corpus once;
* refresh: `cybernorms refresh --source CORPUS --db <new file>` as a user runs it (a subprocess:
  imports, Prefect's temporary server, parsing, screening, classifying with the default model,
  DuckDB writes), wall time and peak resident memory of its whole process tree.

Target (issue 2): refresh / tokenizer <= 1.0 and peak RSS <= 2 GB on a 2-core machine.

Run:  .venv/bin/python benchmarks/refresh_tota.py [--corpus ../shared/corpora/tota/xml] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.sources.tota import list_tota_files, read_tota_file  # noqa: E402

CYBERNORMS = Path(sys.executable).parent / "cybernorms"


def tokenizer_pass(texts: list[str]) -> float:
    import spacy

    nlp = spacy.blank("en")
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=256))
    elapsed = time.perf_counter() - started
    assert tokens > 0
    return elapsed


def refresh(corpus: Path, workdir: Path) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in bytes (process tree, sampled every 20 ms) and the summary line."""
    db = workdir / f"bench-{time.time_ns()}.duckdb"
    env = {**os.environ, "CYBERNORMS_LOG_DIR": str(workdir / "logs"), "COLUMNS": "200"}
    started = time.perf_counter()
    process = psutil.Popen([str(CYBERNORMS), "refresh", "--source", str(corpus), "--db", str(db)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=workdir)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            try:
                tree = [process, *process.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"refresh failed ({process.returncode}):\n{err}")
    summary = next((line.strip() for line in (out + err).splitlines() if line.strip().startswith("refresh ")), "")
    return elapsed, peak, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "tota" / "xml")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "refresh_tota.json")
    args = parser.parse_args()

    texts = [p.text for path in list_tota_files(args.corpus) for p in read_tota_file(path).provisions]
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts):,} articles, {words:,} words; {os.cpu_count()} cores; Python {platform.python_version()}")
    tokenizer_times, refresh_times, peaks = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(1, args.repeat + 1):
            tokenizer_times.append(tokenizer_pass(texts))
            seconds, peak, summary = refresh(args.corpus, Path(tmp))
            refresh_times.append(seconds)
            peaks.append(peak)
            print(f"round {round_}: tokenizer {tokenizer_times[-1]:.2f} s, refresh {seconds:.2f} s "
                  f"(ratio {seconds / tokenizer_times[-1]:.2f}), peak RSS {peak / 2**20:.0f} MiB  [{summary}]")
    result = {
        "articles": len(texts), "words": words, "cores": os.cpu_count(), "python": platform.python_version(),
        "repeat": args.repeat,
        "tokenizer_seconds_median": round(statistics.median(tokenizer_times), 2),
        "refresh_seconds_median": round(statistics.median(refresh_times), 2),
        "ratio_of_medians": round(statistics.median(refresh_times) / statistics.median(tokenizer_times), 3),
        "ratios": [round(r / t, 3) for r, t in zip(refresh_times, tokenizer_times)],
        "peak_rss_mib_max": round(max(peaks) / 2**20),
    }
    print(json.dumps(result, indent=2))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

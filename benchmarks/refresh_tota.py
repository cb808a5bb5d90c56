"""Benchmark: full ToTA refresh from an empty database against a bare spaCy tokenizer pass.

Measures in one run, interleaved so that machine noise hits both alike:

* baseline: `spacy.blank("en")` tokenizer over the text of every ToTA article (nlp.tokenizer.pipe,
  one process), the cost of merely tokenising the corpus once;
* refresh: `cybernorms refresh --source CORPUS --db <new file>` as a user runs it (a subprocess:
  imports, Prefect's temporary server, parsing, screening, classifying with the default model,
  DuckDB writes), wall time until its output closes, the time inside the Prefect flow, and the
  peak RSS of its whole process tree (summed: pages the forked workers share with their
  forkserver count once per process, an overestimate);
* one more refresh, not timed, samples PSS (each shared page counted once, shared among its
  processes): reading it costs enough CPU to slow the refresh it measures.

Target (issue 2): refresh / tokenizer <= 1.0 and peak RSS <= 2 GB on a 2-core machine.

Run:  .venv/bin/python benchmarks/refresh_tota.py [--corpus ../shared/corpora/tota/xml] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.sources.tota import list_tota_files, read_tota_file  # noqa: E402
from process_memory import run_sampled  # noqa: E402 (this folder is on sys.path)

CYBERNORMS = Path(sys.executable).parent / "cybernorms"


def tokenizer_pass(texts: list[str]) -> float:
    import spacy

    nlp = spacy.blank("en")
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=256))
    elapsed = time.perf_counter() - started
    assert tokens > 0
    return elapsed


def refresh(corpus: Path, workdir: Path, pss: bool = False) -> tuple[float, int, float, float, str]:
    """Wall seconds; peak memory of the process tree (summed RSS, or summed PSS when `pss`),
    sampled every 100 ms; the flow's own seconds; the seconds from the command's start until
    Prefect began the flow run (from Prefect's log); the summary line."""
    db = workdir / f"bench-{time.time_ns()}.duckdb"
    log_dir = workdir / f"logs-{time.time_ns()}"
    env = {**os.environ, "CYBERNORMS_LOG_DIR": str(log_dir), "COLUMNS": "200"}
    started_at = time.time()
    run = run_sampled([str(CYBERNORMS), "refresh", "--source", str(corpus), "--db", str(db)], env=env, cwd=workdir,
                      interval=0.1, pss=pss)
    out, err, elapsed, peak = run.out, run.err, run.wall_seconds, run.tree_peak_bytes
    if run.returncode != 0:
        raise SystemExit(f"refresh failed ({run.returncode}):\n{err}")
    summary = next((line.strip() for line in (out + err).splitlines() if line.strip().startswith("refresh ")), "")
    flow = re.search(r"\(([\d.]+) s,", summary)
    return elapsed, peak, float(flow.group(1)) if flow else float("nan"), _flow_began(log_dir) - started_at, summary


def _flow_began(log_dir: Path) -> float:
    """When Prefect logged the start of the flow run (epoch seconds; NaN if it did not)."""
    for line in (log_dir / "prefect.log").read_text().splitlines():
        if "Beginning flow run" in line:
            return datetime.strptime(line.split(" | ")[0], "%Y-%m-%d %H:%M:%S,%f").timestamp()
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "tota" / "xml")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "refresh_tota.json")
    args = parser.parse_args()

    texts = [p.text for path in list_tota_files(args.corpus) for p in read_tota_file(path).provisions]
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts):,} articles, {words:,} words; {os.cpu_count()} cores; Python {platform.python_version()}")
    tokenizer_times, refresh_times, flow_times, startup_times, rss_peaks = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(1, args.repeat + 1):
            tokenizer_times.append(tokenizer_pass(texts))
            seconds, rss, flow, startup, summary = refresh(args.corpus, Path(tmp))
            refresh_times.append(seconds)
            flow_times.append(flow)
            startup_times.append(startup)
            rss_peaks.append(rss)
            print(f"round {round_}: tokenizer {tokenizer_times[-1]:.2f} s, refresh {seconds:.2f} s "
                  f"(ratio {seconds / tokenizer_times[-1]:.2f}; start-up until the flow began {startup:.1f} s, "
                  f"flow {flow:.1f} s), peak memory {rss / 2**20:.0f} MiB RSS summed  [{summary}]")
        _, pss, _, _, _ = refresh(args.corpus, Path(tmp), pss=True)
        print(f"untimed round: peak memory {pss / 2**20:.0f} MiB PSS")
    result = {
        "articles": len(texts), "words": words, "cores": os.cpu_count(), "python": platform.python_version(),
        "repeat": args.repeat,
        "tokenizer_seconds_median": round(statistics.median(tokenizer_times), 2),
        "refresh_seconds_median": round(statistics.median(refresh_times), 2),
        "ratio_of_medians": round(statistics.median(refresh_times) / statistics.median(tokenizer_times), 3),
        "ratios": [round(r / t, 3) for r, t in zip(refresh_times, tokenizer_times)],
        "startup_seconds_median": round(statistics.median(startup_times), 2),
        "flow_seconds_median": round(statistics.median(flow_times), 2),
        "flow_to_tokenizer": round(statistics.median(flow_times) / statistics.median(tokenizer_times), 3),
        "peak_rss_summed_mib_max": round(max(rss_peaks) / 2**20),
        "peak_pss_mib": round(pss / 2**20),
    }
    print(json.dumps(result, indent=2))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

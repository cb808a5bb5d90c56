"""Benchmark: how a refresh scales with workers and with the size of the corpus (issue 10).

Scenarios (each a function, so benchmarks/refresh_incremental.py can call them too):

* `workers_scenario`: 1 vs 2 workers on ToTA (1x), cold: in-flow time ratio (from `runs`)
  and wall-time ratio of the `cybernorms refresh` command, measured alternately in one run.
* `memory_scenario`: peak memory of a cold refresh of 1x vs 3x ToTA, with their in-flow
  time ratio. Target: peak 3x <= 1.25 x peak 1x, in-flow 3x <= 3.3 x in-flow 1x.

The Nx corpus is N renumbered copies of the 450 ToTA files (`build_corpus`): copy k of
`pta_151.xml` becomes `pta_<k*100000+151>.xml` with that treaty identifier, a distinct
agreement with its own content hash.

Memory is sampled with psutil every 50 ms over the command's whole process tree (the CLI,
Prefect's temporary server, the forkserver and its workers, or Dask's workers):

* `main_peak_mib`: peak RSS of the `cybernorms` process itself (the one that holds the
  flow, the writer and DuckDB): what grows with the corpus if anything does;
* `tree_peak_mib`: peak of the summed RSS of every process of the tree (pages the workers
  share with their forkserver counted once per process: an overestimate, but the machine's
  bill, and the same overestimate at 1x and 3x).

Run:  .venv/bin/python benchmarks/refresh_scale.py [--scenario workers|memory|all] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.sources.tota import TOTA_FILE_PATTERN  # noqa: E402
from process_memory import run_sampled  # noqa: E402 (this folder is on sys.path)

CYBERNORMS = Path(sys.executable).parent / "cybernorms"
TOTA = ROOT.parent / "shared" / "corpora" / "tota" / "xml"
COPY_STRIDE = 100_000  # above every ToTA treaty identifier, so copies never collide
_IDENTIFIER = re.compile(rb"<treaty_identifier>\s*(\d+)\s*</treaty_identifier>")


@dataclass(frozen=True)
class RefreshMeasure:
    """One `cybernorms refresh` command, cold (a new database)."""

    wall_seconds: float
    flow_seconds: float  # finished_at - started_at of its row in `runs`
    main_peak_mib: float
    tree_peak_mib: float
    agreements: int


def build_corpus(copies: int, folder: Path, source: Path = TOTA) -> Path:
    """`copies` renumbered copies of the ToTA folder `source` in `folder` (made if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        match = TOTA_FILE_PATTERN.match(path.name)
        if not match:
            continue
        data = path.read_bytes()
        for copy in range(copies):
            new_id = copy * COPY_STRIDE + int(match.group(1))
            target = folder / f"pta_{new_id}.xml"
            if copy == 0:
                shutil.copyfile(path, target)
                continue
            renumbered, count = _IDENTIFIER.subn(f"<treaty_identifier>{new_id}</treaty_identifier>".encode(), data,
                                                 count=1)
            if count != 1:
                raise SystemExit(f"{path}: no <treaty_identifier> to renumber")
            target.write_bytes(renumbered)
    return folder


def measure_refresh(corpus: Path, workdir: Path, *options: str) -> RefreshMeasure:
    """Run `cybernorms refresh` into a new database and measure it (see the module doc)."""
    db = workdir / f"bench-{time.time_ns()}.duckdb"
    env = {**os.environ, "CYBERNORMS_LOG_DIR": str(workdir / "logs"), "COLUMNS": "200"}
    run = run_sampled([str(CYBERNORMS), "refresh", "--source", str(corpus), "--db", str(db), *options],
                      env=env, cwd=workdir)
    if run.returncode != 0:
        raise SystemExit(f"refresh failed ({run.returncode}):\n{run.err}")
    with duckdb.connect(str(db), read_only=True) as connection:
        flow, agreements = connection.execute(
            "SELECT epoch(finished_at - started_at), (SELECT count(*) FROM agreements) FROM runs "
            "ORDER BY started_at DESC LIMIT 1").fetchone()
    db.unlink()
    return RefreshMeasure(round(run.wall_seconds, 2), round(flow, 2), round(run.main_peak_bytes / 2**20),
                          round(run.tree_peak_bytes / 2**20), agreements)


def _median(measures: list[RefreshMeasure], field: str) -> float:
    return statistics.median(getattr(m, field) for m in measures)


def workers_scenario(workdir: Path, repeat: int = 2, corpus: Path = TOTA, *options: str) -> dict:
    """1 vs 2 workers on one corpus, alternately; ratios of the medians (2 workers / 1)."""
    runs: dict[int, list[RefreshMeasure]] = {1: [], 2: []}
    for round_ in range(repeat):
        for workers in (1, 2):
            runs[workers].append(measure_refresh(corpus, workdir, "--workers", str(workers), *options))
            print(f"  round {round_ + 1}, {workers} worker(s): {runs[workers][-1]}", flush=True)
    return {
        "options": list(options),
        "runs": {str(k): [asdict(m) for m in v] for k, v in runs.items()},
        "flow_ratio_2_to_1": round(_median(runs[2], "flow_seconds") / _median(runs[1], "flow_seconds"), 3),
        "wall_ratio_2_to_1": round(_median(runs[2], "wall_seconds") / _median(runs[1], "wall_seconds"), 3),
    }


def memory_scenario(workdir: Path, repeat: int = 2, copies: int = 3, source: Path = TOTA, *options: str) -> dict:
    """Cold refresh of 1x vs `copies`x ToTA, alternately; ratios of the medians (Nx / 1x)."""
    small = build_corpus(1, workdir / "corpus-1x", source)
    large = build_corpus(copies, workdir / f"corpus-{copies}x", source)
    runs: dict[str, list[RefreshMeasure]] = {"1x": [], f"{copies}x": []}
    for round_ in range(repeat):
        for name, corpus in (("1x", small), (f"{copies}x", large)):
            runs[name].append(measure_refresh(corpus, workdir, *options))
            print(f"  round {round_ + 1}, {name}: {runs[name][-1]}", flush=True)
    big = runs[f"{copies}x"]
    return {
        "copies": copies,
        "options": list(options),
        "runs": {k: [asdict(m) for m in v] for k, v in runs.items()},
        "main_peak_ratio": round(_median(big, "main_peak_mib") / _median(runs["1x"], "main_peak_mib"), 3),
        "tree_peak_ratio": round(_median(big, "tree_peak_mib") / _median(runs["1x"], "tree_peak_mib"), 3),
        "flow_ratio": round(_median(big, "flow_seconds") / _median(runs["1x"], "flow_seconds"), 3),
        "wall_ratio": round(_median(big, "wall_seconds") / _median(runs["1x"], "wall_seconds"), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=("workers", "memory", "all"), default="all")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=TOTA)
    parser.add_argument("--task-runner", default=None, help="passed to cybernorms refresh (e.g. dask)")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "refresh_scale.json")
    args = parser.parse_args()
    options = ("--task-runner", args.task_runner) if args.task_runner else ()
    result: dict = {"cores": os.cpu_count(), "python": platform.python_version(), "repeat": args.repeat}
    with tempfile.TemporaryDirectory() as tmp:
        if args.scenario in ("workers", "all"):
            print("1 vs 2 workers (1x ToTA, cold):", flush=True)
            result["workers"] = workers_scenario(Path(tmp), args.repeat, args.corpus, *options)
            print(json.dumps({k: v for k, v in result["workers"].items() if k != "runs"}))
        if args.scenario in ("memory", "all"):
            print(f"peak memory, 1x vs {args.copies}x ToTA (cold, default workers):", flush=True)
            result["memory"] = memory_scenario(Path(tmp), args.repeat, args.copies, args.corpus, *options)
            print(json.dumps({k: v for k, v in result["memory"].items() if k != "runs"}))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()

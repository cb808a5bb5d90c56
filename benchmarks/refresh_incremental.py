"""Benchmark: incremental refreshes against a cold one, measured in the same run.

Scenarios, in order, on one copy of the corpus and one database (each starts from the state the
previous one left):

* cold: `cybernorms refresh` into a new database;
* no change: the same refresh again;
* one changed document: one ToTA file gains a trailing newline (new bytes, same text);
* one changed manifest entry: the name of one text file's `sources.toml` entry changes;
* model-only change: `--model models/norm-classifier/1.0.0` after the default model
  (re-classifies the stored provisions, reads no file).

Each is the real command in a subprocess. Reported per scenario: seconds inside the flow (the
run's record in `runs`: finished_at - started_at), command wall time, the run's counts and
stage seconds, the database's size, and the two times as ratios to cold. The machine
may be shared: compare ratios, not absolute times. Targets (issue 10): no change <= 5% of cold
in the flow and <= 50% in wall time; one changed document <= 10% in the flow.

Then, unless `--skip-scale`, the scale scenarios of `refresh_scale.py` in the same run: 1 vs 2
workers (cold, 1x ToTA) and peak memory (cold, 1x vs 3x ToTA), each on fresh databases.

To add an incremental scenario: write a function taking a `Bench` and returning a `Measured`
(use `bench.refresh(...)`), and add it to SCENARIOS.

Run:  .venv/bin/python benchmarks/refresh_incremental.py [--corpus ../shared/corpora/tota/xml] [--repeat 1]
      [--skip-scale] [--scale-repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.store import open_database  # noqa: E402

CYBERNORMS = Path(sys.executable).parent / "cybernorms"
MODELS = ROOT / "models" / "norm-classifier"
MANIFEST = """
[[agreement]]
file = "notes-a.txt"
id = "notes-a"
name = "Notes on Electronic Commerce"
parties = ["AAA", "BBB"]
date_signed = 2019-05-01

[[agreement]]
file = "notes-b.txt"
id = "notes-b"
name = "Notes on Data Flows"
parties = ["CCC", "DDD"]
date_signed = 2021-02-03
"""
NOTE_TEXT = ("ARTICLE 1\nPaperless Trading\n\nEach Party shall endeavour to accept electronic trade administration "
             "documents as the legal equivalent of paper documents.\n\nARTICLE 2\nCross-Border Transfer of "
             "Information\n\nEach Party shall allow the cross-border transfer of information by electronic means.\n")


@dataclass
class Measured:
    scenario: str
    flow_seconds: float
    wall_seconds: float
    counts: dict[str, int]
    stage_seconds: dict[str, float]
    published: bool
    db_bytes: int
    ratios: dict[str, float] = field(default_factory=dict)


@dataclass
class Bench:
    corpus: Path  # a copy: scenarios change it
    db: Path
    workdir: Path
    results: list[Measured] = field(default_factory=list)

    def refresh(self, scenario: str, *options: str) -> Measured:
        """Run `cybernorms refresh` as a user does; read its run record back from `runs`."""
        env = {**os.environ, "CYBERNORMS_LOG_DIR": str(self.workdir / "logs"), "COLUMNS": "200"}
        started = time.perf_counter()
        done = subprocess.run([str(CYBERNORMS), "refresh", "--source", str(self.corpus), "--db", str(self.db),
                               *options], capture_output=True, text=True, env=env, cwd=self.workdir)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"{scenario}: refresh failed ({done.returncode}):\n{done.stderr}")
        with open_database(self.db, read_only=True) as connection:
            row = connection.execute(
                """SELECT epoch(finished_at - started_at), agreements_added, agreements_changed,
                          agreements_reclassified, agreements_unchanged, agreements_withdrawn, agreements_failed,
                          stage_seconds, published
                   FROM runs ORDER BY started_at DESC LIMIT 1""").fetchone()
        keys = ("added", "changed", "reclassified", "unchanged", "withdrawn", "failed")
        measured = Measured(scenario, round(row[0], 3), round(wall, 2), dict(zip(keys, row[1:7])), json.loads(row[7] or "{}"), bool(row[8]),
                            self.db.stat().st_size)
        self.results.append(measured)
        return measured


def cold(bench: Bench) -> Measured:
    return bench.refresh("cold")


def no_change(bench: Bench) -> Measured:
    return bench.refresh("no change")


def one_changed_document(bench: Bench) -> Measured:
    path = sorted(bench.corpus.glob("pta_*.xml"))[0]
    with path.open("ab") as handle:
        handle.write(b"\n")
    return bench.refresh("one changed document")


def one_changed_manifest_entry(bench: Bench) -> Measured:
    manifest = bench.corpus / "sources.toml"
    manifest.write_text(manifest.read_text().replace("Notes on Data Flows", "Notes on Cross-Border Data Flows"))
    return bench.refresh("one changed manifest entry")


def model_only_change(bench: Bench) -> Measured:
    return bench.refresh("model-only change", "--model", str(MODELS / "1.0.0"))


# In order: each scenario starts from the state the one before left. Add new ones here.
SCENARIOS: list[Callable[[Bench], Measured]] = [
    cold, no_change, one_changed_document, one_changed_manifest_entry, model_only_change,
]


def prepare(corpus: Path, workdir: Path) -> Bench:
    """A copy of the corpus plus two text files described by a sources.toml."""
    copy = workdir / "corpus"
    shutil.copytree(corpus, copy)
    (copy / "notes-a.txt").write_text(NOTE_TEXT)
    (copy / "notes-b.txt").write_text(NOTE_TEXT.replace("Paperless Trading", "Data Flows"))
    (copy / "sources.toml").write_text(MANIFEST)
    (workdir / "logs").mkdir()
    return Bench(copy, workdir / "cybernorms.duckdb", workdir)


def run_once(corpus: Path) -> list[Measured]:
    with tempfile.TemporaryDirectory() as tmp:
        bench = prepare(corpus, Path(tmp))
        for scenario in SCENARIOS:
            measured = scenario(bench)
            print(f"{measured.scenario}: flow {measured.flow_seconds:.3f} s, wall {measured.wall_seconds:.2f} s, "
                  f"{measured.counts}, stages {measured.stage_seconds}",
                  flush=True)
        base = bench.results[0]
        for measured in bench.results:
            measured.ratios = {"flow": round(measured.flow_seconds / base.flow_seconds, 4),
                               "wall": round(measured.wall_seconds / base.wall_seconds, 4)}
        return bench.results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "tota" / "xml")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "refresh_incremental.json")
    parser.add_argument("--skip-scale", action="store_true", help="only the incremental scenarios")
    parser.add_argument("--scale-repeat", type=int, default=1, help="rounds of each scale scenario")
    args = parser.parse_args()
    rounds = [run_once(args.corpus) for _ in range(args.repeat)]
    summary = {}
    for index, scenario in enumerate(r.scenario for r in rounds[0]):
        runs = [round_[index] for round_ in rounds]
        summary[scenario] = {
            "flow_to_cold_median": round(statistics.median(r.ratios["flow"] for r in runs), 4),
            "wall_to_cold_median": round(statistics.median(r.ratios["wall"] for r in runs), 4),
        }
    result = {"cores": os.cpu_count(), "load_average_at_end": os.getloadavg(), "repeat": args.repeat,
              "corpus_files": len(list(args.corpus.iterdir())) + 2, "summary": summary,
              "rounds": [[asdict(m) for m in round_] for round_ in rounds]}
    print(json.dumps(summary, indent=2))
    if not args.skip_scale:
        from refresh_scale import memory_scenario, workers_scenario  # this folder is on sys.path

        with tempfile.TemporaryDirectory() as tmp:
            result["workers"] = workers_scenario(Path(tmp), args.scale_repeat, args.corpus)
            print("1 vs 2 workers:", json.dumps({k: v for k, v in result["workers"].items() if k != "runs"}))
        with tempfile.TemporaryDirectory() as tmp:
            result["memory"] = memory_scenario(Path(tmp), args.scale_repeat, 3, args.corpus)
            print("peak memory 1x vs 3x:", json.dumps({k: v for k, v in result["memory"].items() if k != "runs"}))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

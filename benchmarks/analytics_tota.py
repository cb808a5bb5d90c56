"""Benchmark: every adoption table on the full ToTA database, against a plain scan of the clauses
in the same run.

Issue 9's target: each adoption table in under 200 ms on the full ToTA database. Each table is
computed through pipeline.analytics on one open read-only connection (opening the file is
measured apart), `--repeat` times; the median counts. The baseline is `SELECT count(*) FROM
clauses` (the view's joins over predictions, provisions and agreements), measured alternately.

Run:  .venv/bin/python benchmarks/analytics_tota.py [--db /tmp/tota.duckdb] [--repeat 15]
A missing --db file is first built with `cybernorms refresh` from ../shared/corpora/tota/xml.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.analytics import adoption as A  # noqa: E402
from pipeline.api import connect  # noqa: E402

TARGET_MS = 200
TABLES = {
    "adoption": lambda c: A.adoption(c),
    "adoption (by signed)": lambda c: A.adoption(c, "signed"),
    "adoption by composition": lambda c: A.adoption_by_group(c, "composition"),
    "adoption by region": lambda c: A.adoption_by_group(c, "region"),
    "per party": lambda c: A.party_adoption(c),
    "first adopters": lambda c: A.first_adopters(c),
    "legalization": lambda c: A.legalization(c),
}


def baseline(connection) -> int:
    return connection.execute("SELECT count(*) FROM clauses").fetchone()[0]


def timed(function, connection) -> float:
    started = time.perf_counter()
    function(connection)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/cybernorms-bench-tota.duckdb"))
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "tota" / "xml")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "analytics_tota.json")
    args = parser.parse_args()
    if not args.db.exists():
        cli = Path(sys.executable).parent / "cybernorms"
        subprocess.run([str(cli), "refresh", "--source", str(args.corpus), "--db", str(args.db)], check=True,
                       stdout=subprocess.DEVNULL)

    started = time.perf_counter()
    with connect(args.db) as connection:
        open_ms = (time.perf_counter() - started) * 1000
        treaties, clauses = connection.execute("SELECT (SELECT count(*) FROM treaties), "
                                               "(SELECT count(*) FROM clauses)").fetchone()
        for function in TABLES.values():  # warm: first queries load the file's pages
            function(connection)
        base_times: list[float] = []
        table_times: dict[str, list[float]] = {name: [] for name in TABLES}
        for _ in range(args.repeat):
            base_times.append(timed(baseline, connection))
            for name, function in TABLES.items():
                table_times[name].append(timed(function, connection))
    base = statistics.median(base_times)
    rows = {name: {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
                   "ratio_to_baseline": round(statistics.median(times) / base, 2)}
            for name, times in table_times.items()}
    result = {
        "cores": os.cpu_count(), "python": platform.python_version(), "treaties": treaties, "clauses": clauses,
        "repeat": args.repeat, "open_database_ms": round(open_ms, 1),
        "baseline_count_clauses_ms": round(base, 1), "target_ms": TARGET_MS, "tables": rows,
        "all_under_target": all(r["median_ms"] < TARGET_MS for r in rows.values()),
    }
    print(f"{treaties} treaties, {clauses} clauses; {os.cpu_count()} cores; Python {platform.python_version()}")
    print(f"baseline SELECT count(*) FROM clauses: {base:.1f} ms")
    for name, row in rows.items():
        print(f"{name:28s} {row['median_ms']:7.1f} ms (max {row['max_ms']:.1f})  x{row['ratio_to_baseline']}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""Benchmark: the whole template lineage of a refreshed ToTA database, against reading the
clauses and building their shingle sets in the same run; and a check of the LSH candidates
against exact Jaccard over every pair.

Issue 9's target: the whole lineage computation in under 30 s on the 2-core machine.
"Whole lineage" = read the labelled provisions from DuckDB, MinHash LSH candidates, exact
Jaccard, closest earlier provision per norm, families, treaty sources, and writing the edge
list (CSV) and the GraphML file.

Run:  .venv/bin/cybernorms refresh --source ../shared/corpora/tota/xml --db /tmp/tota.duckdb
      .venv/bin/python benchmarks/lineage_tota.py --db /tmp/tota.duckdb [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the stand-in for helper A's clauses table

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import sparse  # noqa: E402

from analytics_stand_ins import clauses_from_database  # noqa: E402
from pipeline.analytics.lineage import (  # noqa: E402
    PAIR_COLUMNS, LineageSettings, clause_families, compute_lineage, lineage_edges, provision_table)
from pipeline.analytics.lineage_export import lineage_graph, write_edge_list, write_graphml  # noqa: E402
from pipeline.analytics.similarity import shingles  # noqa: E402


def baseline(db: Path) -> tuple[float, int]:
    """Read the clauses and build their shingle sets: the floor under any shingle-based lineage."""
    started = time.perf_counter()
    clauses = clauses_from_database(db)
    count = sum(len(shingles(text)) for text in clauses["text"])
    return time.perf_counter() - started, count


def whole_lineage(db: Path, folder: Path):
    started = time.perf_counter()
    clauses = clauses_from_database(db)
    lineage = compute_lineage(clauses)
    write_edge_list(lineage.edges, folder / "lineage.csv")
    write_graphml(lineage_graph(lineage, clauses), folder / "lineage.graphml")
    return time.perf_counter() - started, clauses, lineage


def exact_pairs(provisions: pd.DataFrame, settings: LineageSettings) -> pd.DataFrame:
    """Every same-norm, cross-treaty pair at or above the floor, by exact Jaccard over all pairs
    (a sparse product per norm): what LSH may miss, nothing else."""
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for row, text in enumerate(provisions["text"]):
        for shingle in shingles(text):
            rows.append(row)
            cols.append(vocabulary.setdefault(shingle, len(vocabulary)))
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                               shape=(len(provisions), len(vocabulary)))
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    ids = provisions["provision_id"].to_numpy()
    treaties = provisions["treaty_id"].to_numpy()
    out = []
    for norm in sorted(set().union(*provisions["norms"])):
        index = np.flatnonzero([norm in norms for norms in provisions["norms"]])
        sub = matrix[index]
        common = (sub @ sub.T).toarray()
        union = sizes[index][:, None] + sizes[index][None, :] - common
        similarity = np.divide(common, union, out=np.zeros_like(common), where=union > 0)
        i, j = np.nonzero(similarity >= settings.min_similarity)
        keep = treaties[index[i]] != treaties[index[j]]
        out.append(pd.DataFrame({"provision_id": ids[index[i[keep]]], "other_provision_id": ids[index[j[keep]]],
                                 "norm": norm, "similarity": similarity[i[keep], j[keep]].astype(float)}))
    return pd.concat(out, ignore_index=True)[PAIR_COLUMNS]


def check_against_exact(clauses: pd.DataFrame, lineage) -> dict:
    settings = lineage.settings
    provisions = provision_table(clauses, settings.year_column)
    exact = exact_pairs(provisions, settings)
    found = set(zip(lineage.pairs["provision_id"], lineage.pairs["other_provision_id"], lineage.pairs["norm"]))

    def recall(floor: float) -> float:
        wanted = exact[exact["similarity"] >= floor]
        keys = set(zip(wanted["provision_id"], wanted["other_provision_id"], wanted["norm"]))
        return round(len(keys & found) / len(keys), 4) if keys else 1.0

    exact_edges = lineage_edges(provisions, exact)
    merged = lineage.edges.merge(exact_edges, on=["provision_id", "norm"], how="outer", suffixes=("", "_exact"))
    same_parent = (merged["parent_provision_id"] == merged["parent_provision_id_exact"]).sum()
    exact_families, _ = clause_families(provisions, exact, settings.family_threshold)
    return {
        "pairs_exact_at_min_similarity": len(exact), "pairs_found": len(lineage.pairs),
        "recall_at_min_similarity": recall(settings.min_similarity),
        "recall_at_family_threshold": recall(settings.family_threshold),
        "edges": len(lineage.edges), "edges_exact": len(exact_edges),
        "edges_with_the_exact_parent": int(same_parent),
        "families_identical_to_exact": sorted(map(tuple, lineage.families[["family_id", "size"]].values.tolist()))
        == sorted(map(tuple, exact_families[["family_id", "size"]].values.tolist())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "outputs" / "cybernorms.duckdb")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "lineage_tota.json")
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db}: no database (refresh first: cybernorms refresh --source "
                 f"../shared/corpora/tota/xml --db {args.db})")

    base_times, lineage_times = [], []
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(1, args.repeat + 1):
            seconds, shingle_count = baseline(args.db)
            base_times.append(seconds)
            seconds, clauses, lineage = whole_lineage(args.db, Path(folder))
            lineage_times.append(seconds)
            print(f"round {round_}: baseline {base_times[-1]:.2f} s, whole lineage {lineage_times[-1]:.2f} s")
    check = check_against_exact(clauses, lineage)
    result = {
        "cores": os.cpu_count(), "python": platform.python_version(),
        "labelled_provisions": int(clauses["provision_id"].nunique()),
        "provision_norms": int(clauses["labels"].map(len).sum()),
        "shingles": shingle_count,
        "family_threshold": lineage.settings.family_threshold, "min_similarity": lineage.settings.min_similarity,
        "lsh_threshold": lineage.settings.candidates.threshold, "num_perm": lineage.settings.candidates.num_perm,
        "families": len(lineage.families), "largest_family": int(lineage.families["size"].max()),
        "baseline_seconds_median": round(statistics.median(base_times), 2),
        "lineage_seconds_median": round(statistics.median(lineage_times), 2),
        "lineage_seconds_max": round(max(lineage_times), 2),
        "lineage_to_baseline": round(statistics.median(lineage_times) / statistics.median(base_times), 2),
        "target_seconds": 30,
        "check_against_exact_all_pairs": check,
    }
    print(json.dumps(result, indent=2))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

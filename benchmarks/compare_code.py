"""Benchmark: the same model classifying every ToTA article with this checkout's code and with the
code of another git revision, in alternating processes, each against a tokenizer pass in its own
process.

A code change that should not change any prediction (a faster screen, a cache) is measured here:
`classify_tota.py --compare` compares two models under one code, in one process. Two code trees
cannot share a process, so each timed process classifies the corpus twice (after an untimed
warm-up) and runs a bare spaCy tokenizer pass after each; the pairs of processes take turns at
going first. Compare the medians of classify / tokenizer, not seconds: these machines are shared.

Run:  .venv/bin/python benchmarks/compare_code.py --baseline HEAD [--pairs 4]
          [--corpus ../shared/corpora/tota/xml] [--model default]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(code_root: Path, items_file: Path, model: str, predictions_file: Path) -> None:
    """One process: classify the corpus with the code at `code_root`; print the times as JSON and
    write the first timed run's predictions to `predictions_file` (JSON lines)."""
    sys.path.insert(0, str(code_root))
    from dataclasses import asdict

    import spacy

    from pipeline.classify.base import ClassifierInput
    from pipeline.classify.registry import load_classifier

    rows = [json.loads(line) for line in items_file.read_text("utf-8").splitlines()]
    items = [ClassifierInput(r["id"], r["text"], r["lang"], r["heading"]) for r in rows]

    def forget_caches() -> None:
        # Whatever caches this revision has (an older one lacks some): no run gets help from the
        # one before.
        load_classifier.cache_clear()
        for module_name, clear in (("pipeline.classify.features", lambda m: m._CUE_CACHE.clear()),
                                   ("pipeline.nlp.spacing", lambda m: m.split_word.cache_clear()),
                                   ("pipeline.nlp.modality", lambda m: m.clear_cache())):
            try:
                clear(importlib.import_module(module_name))
            except (ImportError, AttributeError):
                pass

    load_classifier(model).predict(items)  # builds spaCy's pipelines and reads the rules' data
    runs = []
    for _ in range(2):
        forget_caches()
        started = time.perf_counter()
        predictions = load_classifier(model).predict(items)
        classify = time.perf_counter() - started
        labelled = sum(bool(p.labels) for p in predictions)
        if not runs:
            with predictions_file.open("w", encoding="utf-8") as out:
                for prediction in predictions:
                    out.write(json.dumps(asdict(prediction), sort_keys=True, default=list) + "\n")
        nlp = spacy.blank("en")
        started = time.perf_counter()
        for _doc in nlp.tokenizer.pipe((item.text for item in items), batch_size=256):
            pass
        runs.append({"classify": classify, "tokenizer": time.perf_counter() - started, "labelled": labelled})
    print(json.dumps(runs))


def write_items(corpus: Path, target: Path) -> int:
    sys.path.insert(0, str(ROOT))
    from pipeline.classify.base import provision_heading
    from pipeline.sources.tota import list_tota_files, read_tota_file

    count = 0
    with target.open("w", encoding="utf-8") as out:
        for path in list_tota_files(corpus):
            document = read_tota_file(path)
            for p in document.provisions:
                out.write(json.dumps({"id": p.id, "text": p.text, "lang": document.agreement.language,
                                      "heading": provision_heading(p.article_title, p.chapter)}) + "\n")
                count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="HEAD", help="git revision whose code is the baseline")
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "tota" / "xml")
    parser.add_argument("--model", default="default")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "compare_code.json")
    parser.add_argument("--child", nargs=3, metavar=("CODE_ROOT", "ITEMS", "PREDICTIONS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), args.model, Path(args.child[2]))
        return

    found = subprocess.run(["git", "rev-parse", "--verify", "--short", f"{args.baseline}^{{commit}}"], cwd=ROOT,
                           check=False, capture_output=True, text=True)
    if found.returncode != 0:
        raise SystemExit(f"--baseline {args.baseline!r} is no commit of this repository")
    revision = found.stdout.strip()
    with tempfile.TemporaryDirectory(prefix="cybernorms-compare-") as scratch:
        baseline_root = Path(scratch) / "baseline"
        subprocess.run(["git", "worktree", "add", "--quiet", "--detach", str(baseline_root), revision],
                       cwd=ROOT, check=True)
        try:
            items_file = Path(scratch) / "items.jsonl"
            articles = write_items(args.corpus, items_file)
            print(f"{articles:,} articles; {os.cpu_count()} cores; Python {platform.python_version()}; "
                  f"baseline {revision}")
            times: dict[str, list[dict]] = {"this checkout": [], f"baseline {revision}": []}
            trees = [("this checkout", ROOT), (f"baseline {revision}", baseline_root)]
            written = {name: Path(scratch) / f"predictions-{k}.jsonl" for k, (name, _) in enumerate(trees)}
            for pair in range(args.pairs):
                for name, tree in trees if pair % 2 else trees[::-1]:  # the baseline goes first in pair 1
                    result = subprocess.run(
                        [sys.executable, __file__, "--model", args.model, "--child", str(tree), str(items_file),
                         str(written[name])],
                        check=False, capture_output=True, text=True, cwd=tree)
                    if result.returncode != 0:
                        raise SystemExit(f"classifying with the code of {name} failed:\n{result.stderr.strip()}")
                    runs = json.loads(result.stdout.strip().splitlines()[-1])
                    times[name] += runs
                    print(f"pair {pair + 1}, {name}: " + ", ".join(
                        f"{r['classify']:.2f} s / tokenizer {r['tokenizer']:.2f} s" for r in runs))
            # Every field of every prediction (labels, scores, bindingness, instruments, paragraph
            # rows), from the last process of each code: a speed change should change none of them.
            ours, theirs = (written[name].read_text("utf-8").splitlines() for name, _ in trees)
            differing = sum(a != b for a, b in zip(ours, theirs)) + abs(len(ours) - len(theirs))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(baseline_root)], cwd=ROOT, check=False)

    def ratio(runs: list[dict]) -> float:
        return statistics.median(r["classify"] / r["tokenizer"] for r in runs)

    new, old = times["this checkout"], times[f"baseline {revision}"]
    result = {
        "articles": articles, "cores": os.cpu_count(), "python": platform.python_version(), "model": args.model,
        "baseline_revision": revision, "pairs": args.pairs,
        "labelled": {"this checkout": new[0]["labelled"], "baseline": old[0]["labelled"]},
        "predictions_differing": differing,
        "classify_seconds_median": round(statistics.median(r["classify"] for r in new), 2),
        "baseline_classify_seconds_median": round(statistics.median(r["classify"] for r in old), 2),
        "classify_to_tokenizer": round(ratio(new), 3),
        "baseline_classify_to_tokenizer": round(ratio(old), 3),
        "this_to_baseline": round(ratio(new) / ratio(old), 3),
        "load_average_1min_after": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(result, indent=2))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

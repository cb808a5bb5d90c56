"""Benchmark: classifying every ToTA article with the trained model, against a bare spaCy
tokenizer pass over the same texts in the same run.

Issue 3's target: all ~41,000 articles in at most 15 s on a 2-core machine (one process, model
loading included, parsing the XML excluded).

Run:  .venv/bin/python benchmarks/classify_tota.py [--corpus ../shared/corpora/tota/xml] [--repeat 3]
          [--compare models/norm-classifier/1.8.0]

`--compare` also times another model in every round, right after the default one, so that a new
model's cost is read against its predecessor's on the same machine state (the tokenizer pass is
the baseline of record; the compared model tells what a model change itself costs).
`--compare-sklearn-tfidf` times, in every round, the default model with scikit-learn's own TF-IDF
transform instead of pipeline.classify.fast_tfidf (the same predictions; what the fast path saves).
The timed runs take turns at going first in a round.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.classify.base import ClassifierInput, provision_heading  # noqa: E402
from pipeline.sources.tota import list_tota_files, read_tota_file  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "tota" / "xml")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "classify_tota.json")
    parser.add_argument("--compare", type=Path, default=None, help="another model folder, timed in every round")
    parser.add_argument("--compare-sklearn-tfidf", action="store_true",
                        help="also time the default model with scikit-learn's TF-IDF transform, in every round")
    args = parser.parse_args()

    items = []
    for path in list_tota_files(args.corpus):
        document = read_tota_file(path)
        items += [ClassifierInput(p.id, p.text, document.agreement.language,
                                  provision_heading(p.article_title, p.chapter)) for p in document.provisions]
    print(f"{len(items):,} articles; {os.cpu_count()} cores; Python {platform.python_version()}")

    import spacy

    from pipeline.classify import fast_tfidf, features
    from pipeline.classify.registry import load_classifier

    from pipeline.nlp import modality, spacing
    from pipeline.nlp.screen import could_be_cyber

    def forget_caches() -> None:
        """No run gets help from a previous one: not the cue rules' results, the modality cues of
        sentences, nor the judgements of run-together words (the word counts stay read)."""
        load_classifier.cache_clear()
        features._CUE_CACHE.clear()
        modality.clear_cache()
        spacing.split_word.cache_clear()

    screened = sum(could_be_cyber(f"{item.text} {item.heading}") for item in items)
    load_before = os.getloadavg()[0]  # other work on the cores slows both passes, not always alike
    classify_times, load_times, tokenizer_times, compare_times = [], [], [], []
    plain_times: list[float] = []
    state: dict = {}

    def run_default() -> None:
        forget_caches()
        started = time.perf_counter()
        state["classifier"] = load_classifier("default")
        load_times.append(time.perf_counter() - started)
        state["labelled"] = sum(bool(p.labels) for p in state["classifier"].predict(items))
        classify_times.append(time.perf_counter() - started)

    def run_compared() -> None:
        forget_caches()
        started = time.perf_counter()
        load_classifier(str(args.compare)).predict(items)
        compare_times.append(time.perf_counter() - started)

    def run_sklearn_tfidf() -> None:
        forget_caches()
        started = time.perf_counter()
        plain = load_classifier("default")
        with fast_tfidf.removed(plain.pipelines()):
            plain.predict(items)
        plain_times.append(time.perf_counter() - started)

    runs = [run_default] + ([run_compared] if args.compare else []) + ([run_sklearn_tfidf] if args.compare_sklearn_tfidf else [])
    # Untimed: the first classification in a process also builds spaCy's pipelines and reads the
    # rules' data, which every later run finds ready; reported apart, it would bias round 1.
    started = time.perf_counter()
    run_default()
    cold = time.perf_counter() - started
    classify_times.clear()
    load_times.clear()
    print(f"first run in this process (cold, untimed in the rounds): {cold:.2f} s")
    for round_ in range(1, args.repeat + 1):
        nlp = spacy.blank("en")
        started = time.perf_counter()
        for _ in nlp.tokenizer.pipe((i.text for i in items), batch_size=256):
            pass
        tokenizer_times.append(time.perf_counter() - started)
        # Each round starts the runs at another one: the first run after the tokenizer pass was
        # measurably slower, and a fixed order charged that to the same model every round.
        shift = (round_ - 1) % len(runs)
        for run in runs[shift:] + runs[:shift]:
            run()
        line = f"round {round_}: classify {classify_times[-1]:.2f} s (model load {load_times[-1]:.2f} s)"
        if compare_times:
            line += f", {args.compare.name} {compare_times[-1]:.2f} s"
        if plain_times:
            line += f", with scikit-learn's TF-IDF transform {plain_times[-1]:.2f} s"
        print(line + f"; tokenizer {tokenizer_times[-1]:.2f} s")
    classifier, labelled = state["classifier"], state["labelled"]
    print(f"{classifier.version}: {screened:,} articles past the screen, {labelled:,} labelled")
    result = {
        "articles": len(items), "cores": os.cpu_count(), "python": platform.python_version(),
        "model_version": classifier.version, "screened_articles": screened, "labelled_articles": labelled,
        "cold_first_run_seconds": round(cold, 2),
        "model_load_seconds_median": round(statistics.median(load_times), 3),
        "classify_seconds_median": round(statistics.median(classify_times), 2),
        "tokenizer_seconds_median": round(statistics.median(tokenizer_times), 2),
        "classify_to_tokenizer": round(statistics.median(classify_times) / statistics.median(tokenizer_times), 3),
        "articles_per_second": round(len(items) / statistics.median(classify_times)),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],  # before and after
    }
    if compare_times:
        result["compared_model"] = str(args.compare)
        result["compared_seconds_median"] = round(statistics.median(compare_times), 2)
        result["compared_to_tokenizer"] = round(statistics.median(compare_times) / statistics.median(tokenizer_times), 3)
        # Per round, then the median: both models ran on the same machine state.
        result["classify_to_compared"] = round(statistics.median(c / b for c, b in zip(classify_times, compare_times)), 3)
    if plain_times:
        result["sklearn_tfidf_seconds_median"] = round(statistics.median(plain_times), 2)
        result["sklearn_tfidf_to_tokenizer"] = round(statistics.median(plain_times) / statistics.median(tokenizer_times), 3)
        result["classify_to_sklearn_tfidf"] = round(statistics.median(c / b for c, b in zip(classify_times, plain_times)), 3)
    print(json.dumps(result, indent=2))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""`cybernorms train` and `cybernorms evaluate`: annotations -> evaluated, saved model."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from pipeline.classify.annotations import (
    ANNOTATIONS_DIR,
    load_annotations,
    load_paragraph_annotations,
    read_holdout,
)
from pipeline.classify.card import write_metrics, write_model_card
from pipeline.classify.evaluate import (
    OUTER_FOLDS,
    TEST_FROM,
    TEST_UNTIL,
    TRAIN_UNTIL,
    cross_validate,
    cross_validation_scope,
    error_rows,
    evaluate_split,
    screen_recall,
    summarise,
    temporal_split,
)
from pipeline.classify.registry import MODEL_NAME, MODELS_DIR
from pipeline.classify.train import FULL_TRUST_POSITIVES, MIN_POSITIVES, fit_classifier
from pipeline.errors import CybernormsError

MODEL_VERSION = "1.14.0"


def annotations_digest(directory: Path = ANNOTATIONS_DIR) -> str:
    digest = hashlib.sha256()
    for path in sorted([*directory.glob("tota_*.jsonl"), *directory.glob("paragraphs/tota_*.jsonl")]):
        digest.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def evaluate_model(corpus_dir: Path, holdout_file: Path, *, folds: int = OUTER_FOLDS, seed: int = 0,
                   on_step: Callable[[int, int], None] | None = None, errors: list[dict] | None = None,
                   train_until: int = TRAIN_UNTIL, test_from: int = TEST_FROM, test_until: int = TEST_UNTIL) -> dict:
    """The temporal split (the figure that predicts use) and grouped cross-validation.

    `errors`, when given, receives every false positive, false negative and bindingness error
    of both evaluations. Another split (train to 2009, test 2010-2012) is a development split: it
    tests on agreements that the shipped model's own temporal split trains on, and its
    cross-validation, like its test, stays within agreements signed up to `test_until`, so that
    neither its figures nor its error listing show the 2013-2016 test agreements."""
    if not train_until < test_from <= test_until:
        raise CybernormsError(f"temporal split: need train-until < test-from <= test-until, got {train_until}, "
                              f"{test_from}, {test_until}")
    examples, documents = load_annotations(corpus_dir, holdout=read_holdout(holdout_file))
    paragraphs = load_paragraph_annotations(examples)
    train, test = temporal_split(examples, documents, train_until=train_until, test_from=test_from,
                                 test_until=test_until)
    if not train or not test:
        raise CybernormsError(f"temporal split: {len(train)} training and {len(test)} test provisions; annotate "
                              f"agreements signed up to {train_until} and in {test_from}-{test_until}")
    steps = folds + 1
    temporal = evaluate_split(train, test, paragraphs, documents, seed=seed, name="temporal")
    if on_step:
        on_step(1, steps)
    grouped = cross_validate(cross_validation_scope(examples, documents, test_until), documents, paragraphs,
                             folds=folds, seed=seed,
                             on_fold=(lambda done, total: on_step(done + 1, steps)) if on_step else None)
    if errors is not None:
        errors.extend(error_rows(temporal.trained, documents, "temporal"))
        errors.extend(error_rows(grouped.trained, documents, "cross_validation"))
    languages: dict[str, int] = {}
    for example in examples:
        languages[example.lang] = languages.get(example.lang, 0) + 1
    return {
        "seed": seed,
        "provisions": len(examples),
        "labelled_provisions": sum(bool(e.annotation.labels) for e in examples),
        "mixed_provisions": sum(e.annotation.bindingness == "mixed" for e in examples),
        "paragraphs": len(paragraphs),
        "agreements": len({e.annotation.source_id for e in examples}),
        "languages": languages,
        "screen": screen_recall(examples),
        "temporal": {"train_until": train_until, "test_from": test_from, "test_until": test_until,
                     "train_agreements": len({e.annotation.source_id for e in train}),
                     "train_provisions": len(train), **summarise(temporal, seed=seed)},
        "cross_validation": {"folds": folds, **summarise(grouped, seed=seed)},
    }


def train_model(corpus_dir: Path, holdout_file: Path, *, models_dir: Path = MODELS_DIR,
                version: str = MODEL_VERSION, seed: int = 0, folds: int = OUTER_FOLDS,
                on_step: Callable[[int, int], None] | None = None) -> Path:
    """Evaluate (temporal split and grouped cross-validation), fit on all annotations, save
    model, metrics and card."""
    report = evaluate_model(corpus_dir, holdout_file, folds=folds, seed=seed, on_step=on_step)
    examples, _ = load_annotations(corpus_dir, holdout=read_holdout(holdout_file))
    paragraphs = load_paragraph_annotations(examples)
    classifier = fit_classifier(examples, version=f"{MODEL_NAME}-{version}", seed=seed, paragraphs=paragraphs)
    target = models_dir / MODEL_NAME / version
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    classifier.save(staging)
    config = json.loads((staging / "config.json").read_text())
    training = {
        "provisions": report["provisions"],
        "labelled_provisions": report["labelled_provisions"],
        "mixed_provisions": report["mixed_provisions"],
        "paragraphs": report["paragraphs"],
        "agreements": report["agreements"],
        "annotations_sha256": annotations_digest(),
        "min_positives": MIN_POSITIVES,
        "full_trust_positives": FULL_TRUST_POSITIVES,
    }
    write_metrics(staging, {**report, "training": training})
    write_model_card(staging, report, config, training)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)  # a half-written model folder is never picked up as the newest version
    return target

"""`cybernorms train` and `cybernorms evaluate`: annotations -> evaluated, saved model."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from pipeline.classify.annotations import ANNOTATIONS_DIR, load_annotations, read_holdout
from pipeline.classify.card import write_metrics, write_model_card
from pipeline.classify.evaluate import OUTER_FOLDS, cross_validate
from pipeline.classify.registry import MODEL_NAME, MODELS_DIR
from pipeline.classify.train import MIN_POSITIVES, fit_classifier

MODEL_VERSION = "1.0.0"


def annotations_digest(directory: Path = ANNOTATIONS_DIR) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.glob("tota_*.jsonl")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def evaluate_model(corpus_dir: Path, holdout_file: Path, *, folds: int = OUTER_FOLDS, seed: int = 0,
                   on_fold=None) -> dict:
    examples, documents = load_annotations(corpus_dir, holdout=read_holdout(holdout_file))
    return cross_validate(examples, documents, folds=folds, seed=seed, on_fold=on_fold)


def train_model(corpus_dir: Path, holdout_file: Path, *, models_dir: Path = MODELS_DIR,
                version: str = MODEL_VERSION, seed: int = 0, folds: int = OUTER_FOLDS, on_fold=None) -> Path:
    """Evaluate by grouped cross-validation, fit on all annotations, save model, metrics and card."""
    examples, documents = load_annotations(corpus_dir, holdout=read_holdout(holdout_file))
    report = cross_validate(examples, documents, folds=folds, seed=seed, on_fold=on_fold)
    classifier = fit_classifier(examples, version=f"{MODEL_NAME}-{version}", seed=seed)
    target = models_dir / MODEL_NAME / version
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    classifier.save(staging)
    config = json.loads((staging / "config.json").read_text())
    training = {
        "provisions": len(examples),
        "labelled_provisions": sum(bool(e.annotation.labels) for e in examples),
        "agreements": len({e.annotation.source_id for e in examples}),
        "annotations_sha256": annotations_digest(),
        "min_positives": MIN_POSITIVES,
    }
    write_metrics(staging, {**report, "training": training})
    write_model_card(staging, report, config, training)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)  # a half-written model folder is never picked up as the newest version
    return target

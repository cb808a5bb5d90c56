"""Grouped cross-validation of the trained classifier against the lexicon baseline.

No agreement is in both the training and the test part of a fold. Provision-level scores
use the annotated provisions; agreement-level scores run the classifier over *every*
article of each held-out agreement (an article nobody annotated counts as unlabelled:
the annotators swept each agreement for cyber provisions), so a false label anywhere in
an agreement counts against it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.model_selection import GroupKFold

from pipeline.classify.annotations import AnnotatedProvision
from pipeline.classify.base import ClassifierInput, NormClassifier, provision_heading
from pipeline.classify.lexicon import LexiconClassifier
from pipeline.classify.train import fit_classifier, label_matrix
from pipeline.model import Document, Prediction
from pipeline.nlp.bindingness import provision_bindingness
from pipeline.taxonomy import LABEL_IDS

OUTER_FOLDS = 10


@dataclass
class Scores:
    """Counts accumulated over folds; metrics are computed from the pooled counts."""

    tp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fn: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    agreement_tp: int = 0
    agreement_fp: int = 0
    agreement_fn: int = 0
    bindingness_correct: int = 0
    bindingness_total: int = 0
    instrument_tp: int = 0
    instrument_fp: int = 0
    instrument_fn: int = 0

    def add_provisions(self, truth: np.ndarray, predicted: np.ndarray) -> None:
        for k, label in enumerate(LABEL_IDS):
            self.tp[label] += int((truth[:, k] & predicted[:, k]).sum())
            self.fp[label] += int((~truth[:, k] & predicted[:, k]).sum())
            self.fn[label] += int((truth[:, k] & ~predicted[:, k]).sum())

    def add_agreement(self, gold: set[str], predicted: set[str]) -> None:
        self.agreement_tp += len(gold & predicted)
        self.agreement_fp += len(predicted - gold)
        self.agreement_fn += len(gold - predicted)

    def metrics(self) -> dict:
        per_label = {}
        for label in LABEL_IDS:
            tp, fp, fn = self.tp[label], self.fp[label], self.fn[label]
            per_label[label] = {
                "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn), "f1": _ratio(2 * tp, 2 * tp + fp + fn),
                "support": tp + fn, "predicted": tp + fp,
            }
        supported = [label for label in LABEL_IDS if per_label[label]["support"] > 0]
        tp, fp, fn = (sum(d.values()) for d in (self.tp, self.fp, self.fn))
        return {
            "micro_f1": _ratio(2 * tp, 2 * tp + fp + fn),
            "micro_precision": _ratio(tp, tp + fp),
            "micro_recall": _ratio(tp, tp + fn),
            "macro_f1": round(float(np.mean([per_label[label]["f1"] for label in supported])), 4) if supported else 0.0,
            "macro_f1_labels": len(supported),
            "agreement_f1": _ratio(2 * self.agreement_tp, 2 * self.agreement_tp + self.agreement_fp + self.agreement_fn),
            "agreement_precision": _ratio(self.agreement_tp, self.agreement_tp + self.agreement_fp),
            "agreement_recall": _ratio(self.agreement_tp, self.agreement_tp + self.agreement_fn),
            "bindingness_accuracy": _ratio(self.bindingness_correct, self.bindingness_total),
            "bindingness_n": self.bindingness_total,
            "instruments_precision": _ratio(self.instrument_tp, self.instrument_tp + self.instrument_fp),
            "instruments_recall": _ratio(self.instrument_tp, self.instrument_tp + self.instrument_fn),
            "per_label": per_label,
        }


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def _predicted_matrix(predictions: Sequence[Prediction]) -> np.ndarray:
    return np.array([[label in p.labels for label in LABEL_IDS] for p in predictions], dtype=bool).reshape(-1, len(LABEL_IDS))


def score_fold(classifier: NormClassifier, test: Sequence[AnnotatedProvision], documents: dict[str, Document],
               scores: Scores, bindingness_of, with_headings: bool = True) -> None:
    """Add one held-out fold's counts for one classifier to `scores`."""
    items = [ClassifierInput(f"{i}", e.text, e.lang, e.heading if with_headings else "") for i, e in enumerate(test)]
    predictions = classifier.predict(items)
    scores.add_provisions(label_matrix(test), _predicted_matrix(predictions))
    for example, prediction in zip(test, predictions):
        if example.annotation.labels:
            scores.bindingness_total += 1
            scores.bindingness_correct += bindingness_of(example) == example.annotation.bindingness
            gold, found = set(example.annotation.instruments), set(prediction.instruments)
            scores.instrument_tp += len(gold & found)
            scores.instrument_fp += len(found - gold)
            scores.instrument_fn += len(gold - found)
    gold_by_agreement: dict[str, set[str]] = defaultdict(set)
    for example in test:
        gold_by_agreement[example.annotation.source_id].update(example.annotation.labels)
    for source_id, gold in gold_by_agreement.items():
        document = documents[source_id]
        language = document.agreement.language
        every = classifier.predict([
            ClassifierInput(p.id, p.text, language, provision_heading(p.article_title, p.chapter) if with_headings else "")
            for p in document.provisions])
        scores.add_agreement(gold, {label for p in every for label in p.labels})


def cross_validate(examples: Sequence[AnnotatedProvision], documents: dict[str, Document], *,
                   folds: int = OUTER_FOLDS, seed: int = 0, on_fold=None) -> dict:
    """Grouped k-fold scores of the trained model and, in the same folds, the lexicon baseline."""
    groups = np.array([e.annotation.source_id for e in examples])
    trained, trained_text_only, baseline = Scores(), Scores(), Scores()
    lexicon = LexiconClassifier()
    splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for fold, (train_index, test_index) in enumerate(splitter.split(np.zeros(len(examples)), groups=groups)):
        train = [examples[i] for i in train_index]
        test = [examples[i] for i in test_index]
        model = fit_classifier(train, version=f"cv-fold-{fold}", seed=seed)

        def model_bindingness(example: AnnotatedProvision, model=model) -> str:
            from pipeline.classify.trained import provision_frame

            return str(model.bindingness_model.predict(provision_frame([example.text], [example.lang]))[0])

        score_fold(model, test, documents, trained, model_bindingness)
        score_fold(model, test, documents, trained_text_only, model_bindingness, with_headings=False)
        score_fold(lexicon, test, documents, baseline,
                   lambda example: provision_bindingness(example.text, example.lang))
        if on_fold:
            on_fold(fold + 1, folds)
    languages = defaultdict(int)
    for example in examples:
        languages[example.lang] += 1
    return {
        "folds": folds,
        "seed": seed,
        "provisions": len(examples),
        "labelled_provisions": sum(bool(e.annotation.labels) for e in examples),
        "agreements": len(set(groups)),
        "languages": dict(languages),
        "trained": trained.metrics(),
        "trained_text_only": trained_text_only.metrics(),
        "lexicon_baseline": baseline.metrics(),
    }

"""Training the norm classifier from annotations (deterministic: fixed seeds, liblinear)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline

from pipeline.classify.annotations import AnnotatedParagraph, AnnotatedProvision
from pipeline.classify.features import BindingnessRuleFeatures, CueFeatures, ModalityFeatures, cached_cue_analysis
from pipeline.classify.heading_rules import allowed_matrix, passing_mention_matrix
from pipeline.classify.labelwise import OwnCueOneVsRest
from pipeline.classify.lexicon import fast_concept_counts
from pipeline.classify.trained import (LabelRule, TrainedClassifier, cue_decisions, provision_frame,
                                      with_others_thresholds)
from pipeline.nlp.canonical import canonical_labels
from pipeline.taxonomy import LABEL_IDS

# A label needs this many positive provisions before a statistical model is trusted with it;
# rarer labels (source code, data localisation, ... in the pre-2016 corpus) use the cue rules.
MIN_POSITIVES = 8
INNER_FOLDS = 4
# A canonical-wording union rule stays on for a label when at least this share of the annotated
# provisions it fires on carry the label.
CANONICAL_MIN_PRECISION = 0.8
# Labels with at least this many positive provisions keep their own tuned threshold.
FULL_TRUST_POSITIVES = 30
# A label gets a second threshold for provisions that already carry another label only when it
# raises the label's out-of-fold F1 by at least this much (a smaller gain is noise).
WITH_OTHERS_MIN_GAIN = 0.01
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.025), 3)
BINDINGNESS_CLASSES = ("hard", "mixed", "soft")


def build_labels_pipeline(model_labels: Sequence[str], seed: int = 0) -> Pipeline:
    """TF-IDF words and headings plus cue counts -> one logistic regression per label, each
    seeing only its own label's cue count (pipeline.classify.labelwise)."""
    features = ColumnTransformer([
        # First, so that the classifier finds label k's cue count in column k.
        ("cues", CueFeatures(labels=LABEL_IDS, concepts=True), ["text", "lang"]),
        ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_df=0.9, sublinear_tf=True,
                                  max_features=60_000, dtype=np.float32), "text"),
        ("heading", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, dtype=np.float32), "heading"),
    ])
    classifier = OwnCueOneVsRest(LogisticRegression(C=8.0, class_weight="balanced", solver="liblinear",
                                                    max_iter=2000, random_state=seed),
                                 cue_columns=len(LABEL_IDS),
                                 own_cue=tuple(LABEL_IDS.index(label) for label in model_labels))
    return Pipeline([("features", features), ("classifier", classifier)])


def build_bindingness_pipeline(seed: int = 0) -> Pipeline:
    features = ColumnTransformer([
        ("words", TfidfVectorizer(ngram_range=(1, 3), min_df=2, sublinear_tf=True, max_features=40_000,
                                  dtype=np.float32), "text"),
        ("rules", BindingnessRuleFeatures(), ["text", "lang"]),
    ])
    classifier = LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000, random_state=seed)
    return Pipeline([("features", features), ("classifier", classifier)])


def label_matrix(examples: Sequence[AnnotatedProvision]) -> np.ndarray:
    return np.array([[label in e.annotation.labels for label in LABEL_IDS] for e in examples], dtype=bool)


def examples_frame(examples: Sequence[AnnotatedProvision], with_headings: bool = True) -> pd.DataFrame:
    headings = [e.heading for e in examples] if with_headings else None
    return provision_frame([e.text for e in examples], [e.lang for e in examples], headings)


def with_and_without_headings(examples: Sequence[AnnotatedProvision]) -> tuple[pd.DataFrame, np.ndarray]:
    """Training rows: each provision with its heading and, again, without it, so the model
    uses titles when a source has them and still works on bare text (`classify` input)."""
    frame = pd.concat([examples_frame(examples), examples_frame(examples, with_headings=False)], ignore_index=True)
    rows = np.concatenate([np.arange(len(examples)), np.arange(len(examples))])
    return frame, rows


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    tp = int((truth & predicted).sum())
    denominator = int(truth.sum() + predicted.sum())
    return 2 * tp / denominator if denominator else 0.0


def fit_calibration(probabilities: np.ndarray, truth: np.ndarray) -> tuple[float, float] | None:
    """Platt scaling on out-of-fold probabilities: (a, b) of sigmoid(a * logit(p) + b)."""
    if truth.sum() < 2 or (~truth).sum() < 2:
        return None
    clipped = np.clip(probabilities, 1e-6, 1 - 1e-6)
    logits = np.log(clipped / (1 - clipped)).reshape(-1, 1)
    platt = LogisticRegression(C=1.0, solver="lbfgs").fit(logits, truth)
    return float(platt.coef_[0, 0]), float(platt.intercept_[0])


def global_threshold(truth: np.ndarray, calibrated: np.ndarray) -> float:
    """The one threshold with the best micro-F1 over all model labels' calibrated scores."""
    scores = [_f1(truth, calibrated >= t) for t in THRESHOLDS]
    return float(THRESHOLDS[int(np.argmax(scores))])


def choose_rule(truth: np.ndarray, probabilities: np.ndarray | None, cue: np.ndarray, canonical: np.ndarray,
                *, calibration: tuple[float, float] | None = None, fallback: float = 0.5,
                positives: int | None = None) -> LabelRule:
    """The decision rule with the best out-of-fold F1 (ties go to the simpler rule).

    A label with fewer than FULL_TRUST_POSITIVES positives has a noisy F1 curve: its threshold
    is pulled towards the global one in proportion to how few positives it has. The canonical
    union rule stays on unless it lowers the out-of-fold F1."""
    best = LabelRule("rule", calibration=calibration)
    best_f1 = _f1(truth, cue)
    if probabilities is not None:
        calibrated = best.calibrate(probabilities)
        weight = min(1.0, (truth.sum() if positives is None else positives) / FULL_TRUST_POSITIVES)
        for strategy in ("model", "model_or_rule"):
            extra = cue if strategy == "model_or_rule" else np.zeros_like(cue)
            own = max(THRESHOLDS, key=lambda t: _f1(truth, (calibrated >= t) | extra))
            threshold = round(float(weight * own + (1 - weight) * fallback), 4)
            score = _f1(truth, (calibrated >= threshold) | extra)
            if score > best_f1 + 1e-9:
                best, best_f1 = LabelRule(strategy, threshold, calibration), score
    # The canonical wording is a fixed rule, not fitted: its precision on the annotations says
    # whether the wording reliably means the label (no hits: no evidence against it).
    hits = int(canonical.sum())
    keeps_canonical = hits == 0 or (truth & canonical).sum() / hits >= CANONICAL_MIN_PRECISION
    return LabelRule(best.strategy, best.threshold, best.calibration, bool(keeps_canonical))


def choose_thresholds_with_others(truth: np.ndarray, scores: np.ndarray, by_rule: np.ndarray,
                                  rules: dict[str, LabelRule]) -> dict[str, LabelRule]:
    """Each well-attested model label's threshold for provisions that already carry another
    label, chosen on the out-of-fold scores (n x labels, calibrated) when it beats the plain
    threshold by WITH_OTHERS_MIN_GAIN. A provision's first-pass labels say whether it has
    another label, as at prediction time (trained.with_others_thresholds)."""
    ordered = [rules[label] for label in LABEL_IDS]
    by_model = np.column_stack([(scores[:, k] >= rule.threshold) & (rule.strategy != "rule")
                                for k, rule in enumerate(ordered)])
    chosen = dict(rules)
    for k, label in enumerate(LABEL_IDS):
        rule = ordered[k]
        if rule.strategy == "rule" or truth[:, k].sum() // 2 < FULL_TRUST_POSITIVES:  # two rows per provision
            continue
        def f1_with(threshold: float | None) -> float:
            trial = [replace(r, threshold_with_others=None) for r in ordered]
            trial[k] = replace(rule, threshold_with_others=threshold)
            return _f1(truth[:, k], with_others_thresholds(by_model, by_rule, scores, trial)[:, k])
        plain = f1_with(None)
        best = max((t for t in THRESHOLDS if t > rule.threshold), key=f1_with, default=None)
        if best is not None and f1_with(best) >= plain + WITH_OTHERS_MIN_GAIN:
            chosen[label] = replace(rule, threshold_with_others=float(best))
    return chosen


def fit_classifier(examples: Sequence[AnnotatedProvision], version: str, seed: int = 0,
                   paragraphs: Sequence[AnnotatedParagraph] = ()) -> TrainedClassifier:
    frame, rows = with_and_without_headings(examples)
    truth = label_matrix(examples)[rows]
    groups = np.array([e.agreement_id for e in examples])[rows]
    model_labels = [label for k, label in enumerate(LABEL_IDS) if truth[:, k].sum() >= 2 * MIN_POSITIVES]
    model_columns = [LABEL_IDS.index(label) for label in model_labels]

    # Out-of-fold probabilities (grouped by agreement, both copies of a provision on the same
    # side) choose each label's rule and threshold for inputs with and without headings alike.
    out_of_fold = np.zeros((len(frame), len(model_labels)))
    folds = GroupKFold(n_splits=min(INNER_FOLDS, len(set(groups))), shuffle=True, random_state=seed)
    for train, test in folds.split(frame, groups=groups):
        inner = build_labels_pipeline(model_labels, seed).fit(frame.iloc[train], truth[train][:, model_columns])
        out_of_fold[test] = inner.predict_proba(frame.iloc[test])
    cues = cached_cue_analysis(list(frame["text"]), list(frame["lang"]))
    canonical = canonical_labels(list(frame["text"]), list(frame["lang"]))
    calibrations = {label: fit_calibration(out_of_fold[:, j], truth[:, LABEL_IDS.index(label)])
                    for j, label in enumerate(model_labels)}
    calibrated = np.column_stack([
        LabelRule("model", calibration=calibrations[label]).calibrate(out_of_fold[:, j])
        for j, label in enumerate(model_labels)]) if model_labels else np.zeros((len(frame), 0))
    # Rules and thresholds are chosen on what prediction will see: labels the heading rules out
    # (heading_rules) are never decided, whatever the score, and a passing mention in an article
    # titled by another topic is not decided by a middling score.
    allowed = allowed_matrix(list(frame["heading"]))
    full_calibrated = np.zeros(truth.shape)
    for j, label in enumerate(model_labels):
        full_calibrated[:, LABEL_IDS.index(label)] = calibrated[:, j]
    model_allowed = allowed & passing_mention_matrix(list(frame["heading"]), full_calibrated)
    fallback = (global_threshold(truth[:, model_columns], calibrated * model_allowed[:, model_columns])
                if model_labels else 0.5)
    texts, langs = list(frame["text"]), list(frame["lang"])
    cue = cue_decisions(texts, langs, list(frame["heading"]), cues, concepts=fast_concept_counts(texts, langs)) & allowed
    by_canonical = np.column_stack([[label in c for c in canonical] for label in LABEL_IDS]) & allowed
    rules = {}
    for k, label in enumerate(LABEL_IDS):
        probabilities = (np.where(model_allowed[:, k], out_of_fold[:, model_labels.index(label)], 0.0)
                         if label in model_labels else None)
        rules[label] = choose_rule(truth[:, k], probabilities, cue[:, k], by_canonical[:, k],
                                   calibration=calibrations.get(label), fallback=fallback,
                                   positives=int(truth[:, k].sum()) // 2)  # every provision is in `frame` twice

    scores = np.zeros(truth.shape)
    for j, label in enumerate(model_labels):
        scores[:, LABEL_IDS.index(label)] = calibrated[:, j] * model_allowed[:, LABEL_IDS.index(label)]
    by_rule = np.column_stack([
        (cue[:, k] if rules[label].strategy != "model" else np.zeros(len(frame), dtype=bool))
        | (by_canonical[:, k] if rules[label].canonical else np.zeros(len(frame), dtype=bool))
        for k, label in enumerate(LABEL_IDS)])
    rules = choose_thresholds_with_others(truth, scores, by_rule, rules)

    labels_model = build_labels_pipeline(model_labels, seed).fit(frame, truth[:, model_columns])
    labelled = [i for i, e in enumerate(examples) if e.annotation.labels]
    bindingness = np.array([examples[i].annotation.bindingness for i in labelled])
    bindingness_model = build_bindingness_pipeline(seed).fit(frame.iloc[labelled], bindingness)
    paragraph_model = fit_paragraph_model(paragraphs, seed) if paragraphs else None
    return TrainedClassifier(labels_model, bindingness_model, model_labels, rules, version, paragraph_model)


def build_paragraph_pipeline(seed: int = 0) -> Pipeline:
    features = ColumnTransformer([
        ("words", TfidfVectorizer(ngram_range=(1, 3), min_df=2, sublinear_tf=True, max_features=30_000,
                                  dtype=np.float32), "text"),
        # No character n-grams: the modality rules already carry the inflected modal verbs
        # ("procurarán", "endeavours"), and the n-grams cost a third of classification time.
        ("modality", ModalityFeatures(sentences=True, take_into_account_binding=True), ["text", "lang"]),
    ])
    classifier = LogisticRegression(C=2.0, class_weight="balanced", max_iter=3000, random_state=seed)
    return Pipeline([("features", features), ("classifier", classifier)])


def paragraph_examples_frame(paragraphs: Sequence[AnnotatedParagraph]) -> pd.DataFrame:
    return provision_frame([p.text for p in paragraphs], [p.provision.lang for p in paragraphs],
                           [p.provision.heading for p in paragraphs])


def fit_paragraph_model(paragraphs: Sequence[AnnotatedParagraph], seed: int = 0) -> Pipeline:
    """binding / weak / hortatory / neither per paragraph, from the paragraph annotations."""
    return build_paragraph_pipeline(seed).fit(paragraph_examples_frame(paragraphs),
                                              np.array([p.bindingness for p in paragraphs]))

"""Evaluation of the trained classifier on agreements it never saw, against the lexicon baseline.

Two splits, both by agreement (no agreement is in both the training and the test part):

- **temporal**: train on agreements signed up to `TRAIN_UNTIL`, test on those signed from
  `TEST_FROM` to `TEST_UNTIL` — the way the model is used: every agreement an analyst adds
  is newer than the ones it learnt from. This is the figure that predicts use.
- **grouped cross-validation**: k folds of agreements drawn at random from all years.

Provision-level scores use the annotated provisions; agreement-level scores run the model
over *every* article of each test agreement (an article nobody annotated counts as
unlabelled: the annotators swept each agreement), so a false label anywhere counts.

Bindingness is scored end to end first: a labelled provision whose labels the model misses
has no bindingness and counts as wrong. Then, as a second figure, only where the model did
label it. Every headline figure carries a 95% bootstrap interval that resamples agreements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.model_selection import GroupKFold

from pipeline.classify.annotations import AnnotatedParagraph, AnnotatedProvision
from pipeline.classify.base import ClassifierInput, NormClassifier, provision_heading
from pipeline.classify.lexicon import LexiconClassifier
from pipeline.classify.train import fit_classifier
from pipeline.model import Document
from pipeline.nlp.screen import could_be_cyber
from pipeline.taxonomy import LABEL_IDS

OUTER_FOLDS = 5
TRAIN_UNTIL = 2012
TEST_FROM, TEST_UNTIL = 2013, 2016
BOOTSTRAP_SAMPLES = 1000
HEADLINE = ("micro_f1", "macro_f1", "agreement_f1", "bindingness_accuracy", "bindingness_accuracy_when_labelled")


@dataclass(frozen=True, slots=True)
class ProvisionOutcome:
    """One annotated test provision: what the annotators said and what the model said."""

    agreement: str  # ToTA treaty identifier
    source_provision_id: str
    truth: frozenset[str]
    predicted: frozenset[str]
    gold_bindingness: str | None
    predicted_bindingness: str | None
    gold_instruments: frozenset[str]
    predicted_instruments: frozenset[str]
    scores: dict[str, float] = field(default_factory=dict)
    heading: str = ""
    text: str = ""
    lang: str = ""  # the agreement's language


@dataclass(frozen=True, slots=True)
class AgreementOutcome:
    agreement: str
    gold: frozenset[str]
    predicted: frozenset[str]
    lang: str = ""


@dataclass
class Outcomes:
    provisions: list[ProvisionOutcome] = field(default_factory=list)
    agreements: list[AgreementOutcome] = field(default_factory=list)

    def extend(self, other: Outcomes) -> None:
        self.provisions.extend(other.provisions)
        self.agreements.extend(other.agreements)


def _ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def metrics(outcomes: Outcomes) -> dict:
    """Pooled scores over all provisions and agreements of `outcomes`."""
    tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
    binding_right = binding_labelled_right = binding_total = binding_labelled = 0
    instruments = [0, 0, 0]
    for o in outcomes.provisions:
        for label in o.truth | o.predicted:
            if label in o.truth and label in o.predicted:
                tp[label] += 1
            elif label in o.predicted:
                fp[label] += 1
            else:
                fn[label] += 1
        if o.truth:
            binding_total += 1
            right = o.predicted_bindingness == o.gold_bindingness
            binding_right += right
            if o.predicted:
                binding_labelled += 1
                binding_labelled_right += right
            instruments[0] += len(o.gold_instruments & o.predicted_instruments)
            instruments[1] += len(o.predicted_instruments - o.gold_instruments)
            instruments[2] += len(o.gold_instruments - o.predicted_instruments)
    per_label = {}
    for label in LABEL_IDS:
        t, p, n = tp[label], fp[label], fn[label]
        per_label[label] = {"precision": _ratio(t, t + p), "recall": _ratio(t, t + n),
                            "f1": _ratio(2 * t, 2 * t + p + n), "support": t + n, "predicted": t + p}
    supported = [label for label in LABEL_IDS if per_label[label]["support"] > 0]
    t, p, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    a_tp = sum(len(a.gold & a.predicted) for a in outcomes.agreements)
    a_fp = sum(len(a.predicted - a.gold) for a in outcomes.agreements)
    a_fn = sum(len(a.gold - a.predicted) for a in outcomes.agreements)
    return {
        "micro_f1": _ratio(2 * t, 2 * t + p + n),
        "micro_precision": _ratio(t, t + p),
        "micro_recall": _ratio(t, t + n),
        "macro_f1": round(float(np.mean([per_label[label]["f1"] for label in supported])), 4) if supported else 0.0,
        "macro_f1_labels": len(supported),
        "agreement_f1": _ratio(2 * a_tp, 2 * a_tp + a_fp + a_fn),
        "agreement_precision": _ratio(a_tp, a_tp + a_fp),
        "agreement_recall": _ratio(a_tp, a_tp + a_fn),
        "bindingness_accuracy": _ratio(binding_right, binding_total),
        "bindingness_n": binding_total,
        "bindingness_accuracy_when_labelled": _ratio(binding_labelled_right, binding_labelled),
        "bindingness_labelled_n": binding_labelled,
        "instruments_precision": _ratio(instruments[0], instruments[0] + instruments[1]),
        "instruments_recall": _ratio(instruments[0], instruments[0] + instruments[2]),
        "per_label": per_label,
    }


def bootstrap_intervals(outcomes: Outcomes, *, samples: int = BOOTSTRAP_SAMPLES, seed: int = 0) -> dict:
    """95% percentile intervals of the headline metrics, resampling agreements with replacement
    (provisions of one agreement are not independent: they share drafters and templates)."""
    by_agreement: dict[str, Outcomes] = defaultdict(Outcomes)
    for o in outcomes.provisions:
        by_agreement[o.agreement].provisions.append(o)
    for a in outcomes.agreements:
        by_agreement[a.agreement].agreements.append(a)
    names = sorted(by_agreement)
    if not names:
        return {}
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = defaultdict(list)
    for _ in range(samples):
        sample = Outcomes()
        for index in rng.integers(0, len(names), len(names)):
            sample.extend(by_agreement[names[index]])
        m = metrics(sample)
        for key in HEADLINE:
            draws[key].append(m[key])
    return {key: [round(float(np.percentile(values, 2.5)), 4), round(float(np.percentile(values, 97.5)), 4)]
            for key, values in draws.items()}


def score(classifier: NormClassifier, test: Sequence[AnnotatedProvision], documents: dict[str, Document],
          with_headings: bool = True) -> Outcomes:
    """Outcomes of one classifier on held-out provisions and on every article of their agreements."""
    items = [ClassifierInput(f"{i}", e.text, e.lang, e.heading if with_headings else "") for i, e in enumerate(test)]
    outcomes = Outcomes()
    for example, prediction in zip(test, classifier.predict(items)):
        a = example.annotation
        outcomes.provisions.append(ProvisionOutcome(
            a.source_id, a.source_provision_id, frozenset(a.labels), frozenset(prediction.labels), a.bindingness,
            prediction.bindingness if prediction.labels else None, frozenset(a.instruments),
            frozenset(prediction.instruments) if prediction.labels else frozenset(), dict(prediction.scores),
            example.heading, example.text, example.lang))
    gold_by_agreement: dict[str, set[str]] = defaultdict(set)
    for example in test:
        gold_by_agreement[example.annotation.source_id].update(example.annotation.labels)
    for source_id, gold in sorted(gold_by_agreement.items()):
        document = documents[source_id]
        language = document.agreement.language
        every = classifier.predict([
            ClassifierInput(p.id, p.text, language, provision_heading(p.article_title, p.chapter) if with_headings else "")
            for p in document.provisions])
        outcomes.agreements.append(AgreementOutcome(source_id, frozenset(gold),
                                                    frozenset(label for p in every for label in p.labels),
                                                    language or "en"))
    return outcomes


@dataclass
class SplitOutcomes:
    trained: Outcomes = field(default_factory=Outcomes)
    trained_text_only: Outcomes = field(default_factory=Outcomes)
    lexicon_baseline: Outcomes = field(default_factory=Outcomes)

    def extend(self, other: SplitOutcomes) -> None:
        for name in ("trained", "trained_text_only", "lexicon_baseline"):
            getattr(self, name).extend(getattr(other, name))


def evaluate_split(train: Sequence[AnnotatedProvision], test: Sequence[AnnotatedProvision],
                   paragraphs: Sequence[AnnotatedParagraph], documents: dict[str, Document], *,
                   seed: int = 0, name: str = "split") -> SplitOutcomes:
    """Fit on `train` (and the paragraph annotations of its agreements only), score on `test`."""
    train_agreements = {e.annotation.source_id for e in train}
    model = fit_classifier(train, version=name, seed=seed,
                           paragraphs=[p for p in paragraphs if p.provision.annotation.source_id in train_agreements])
    return SplitOutcomes(score(model, test, documents), score(model, test, documents, with_headings=False),
                         score(LexiconClassifier(), test, documents))


def cross_validate(examples: Sequence[AnnotatedProvision], documents: dict[str, Document],
                   paragraphs: Sequence[AnnotatedParagraph] = (), *, folds: int = OUTER_FOLDS, seed: int = 0,
                   on_fold: Callable[[int, int], None] | None = None) -> SplitOutcomes:
    """Grouped k-fold outcomes of the trained model and, in the same folds, the lexicon baseline."""
    groups = np.array([e.annotation.source_id for e in examples])
    pooled = SplitOutcomes()
    splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for fold, (train_index, test_index) in enumerate(splitter.split(np.zeros(len(examples)), groups=groups)):
        pooled.extend(evaluate_split([examples[i] for i in train_index], [examples[i] for i in test_index],
                                     paragraphs, documents, seed=seed, name=f"cv-fold-{fold}"))
        if on_fold:
            on_fold(fold + 1, folds)
    return pooled


def signing_year(document: Document) -> int | None:
    signed = document.agreement.date_signed
    return signed.year if signed else None


def temporal_split(examples: Sequence[AnnotatedProvision], documents: dict[str, Document], *,
                   train_until: int = TRAIN_UNTIL, test_from: int = TEST_FROM,
                   test_until: int = TEST_UNTIL) -> tuple[list[AnnotatedProvision], list[AnnotatedProvision]]:
    """Provisions of agreements signed up to `train_until`, and of those signed in [test_from, test_until]."""
    years = {source_id: signing_year(document) for source_id, document in documents.items()}
    test = [e for e in examples if test_from <= (years[e.annotation.source_id] or 0) <= test_until]
    return signed_until(examples, documents, train_until), test


def signed_until(examples: Sequence[AnnotatedProvision], documents: dict[str, Document],
                 until: int) -> list[AnnotatedProvision]:
    """Provisions of agreements signed up to `until` (an agreement without a date is not)."""
    years = {source_id: signing_year(document) for source_id, document in documents.items()}
    return [e for e in examples if (years[e.annotation.source_id] or 9999) <= until]


def cross_validation_scope(examples: Sequence[AnnotatedProvision], documents: dict[str, Document],
                           test_until: int) -> list[AnnotatedProvision]:
    """What grouped cross-validation runs on beside a temporal split testing up to `test_until`: with
    the shipped split, every annotated agreement; with a development split (one that ends before
    TEST_UNTIL), only the agreements it may see, so that neither its figures nor its error listing
    show the test agreements of the shipped split."""
    return list(examples) if test_until >= TEST_UNTIL else signed_until(examples, documents, test_until)


def screen_recall(examples: Sequence[AnnotatedProvision]) -> dict:
    """Share of annotated labelled provisions that pass the cyber screen (a provision the screen
    drops can never be labelled, so this caps the whole system's recall)."""
    labelled = [e for e in examples if e.annotation.labels]
    missed = [e for e in labelled if not could_be_cyber(f"{e.text} {e.heading}")]
    return {"labelled_provisions": len(labelled), "screened_out": len(missed),
            "recall": _ratio(len(labelled) - len(missed), len(labelled)),
            "screened_out_ids": [f"{e.annotation.source_id}:{e.annotation.source_provision_id}" for e in missed]}


def by_language(outcomes: Outcomes, *, seed: int = 0, samples: int = BOOTSTRAP_SAMPLES) -> dict:
    """The headline metrics of each language's agreements apart, with their intervals: a split can
    hold few agreements of a language, or none (the 2013-2016 test agreements are all English), and
    a Spanish user should read the figures that come from Spanish agreements."""
    split: dict[str, Outcomes] = defaultdict(Outcomes)
    for o in outcomes.provisions:
        split[o.lang or "en"].provisions.append(o)
    for a in outcomes.agreements:
        split[a.lang or "en"].agreements.append(a)
    report = {}
    for lang, part in sorted(split.items()):
        m = metrics(part)
        report[lang] = {**{key: m[key] for key in (*HEADLINE, "micro_precision", "micro_recall")},
                        "agreements": len({o.agreement for o in part.provisions}),
                        "labelled_provisions": sum(bool(o.truth) for o in part.provisions),
                        "intervals": bootstrap_intervals(part, seed=seed, samples=samples)}
    return report


def summarise(outcomes: SplitOutcomes, *, seed: int = 0, samples: int = BOOTSTRAP_SAMPLES) -> dict:
    report = {}
    for name in ("trained", "trained_text_only", "lexicon_baseline"):
        result = getattr(outcomes, name)
        report[name] = {**metrics(result), "intervals": bootstrap_intervals(result, seed=seed, samples=samples)}
    report["by_language"] = by_language(outcomes.trained, seed=seed, samples=samples)
    report["agreements"] = len({o.agreement for o in outcomes.trained.provisions})
    report["provisions"] = len(outcomes.trained.provisions)
    report["labelled_provisions"] = sum(bool(o.truth) for o in outcomes.trained.provisions)
    return report


def error_rows(outcomes: Outcomes, documents: dict[str, Document], split: str) -> list[dict]:
    """Every false positive and false negative, with its text, agreement and scores."""
    rows = []
    for o in outcomes.provisions:
        agreement = documents[o.agreement].agreement
        for label in sorted(o.truth ^ o.predicted):
            rows.append({
                "split": split, "error": "false_positive" if label in o.predicted else "false_negative",
                "label": label, "score": o.scores.get(label, 0.0), "agreement_id": agreement.id,
                "agreement_name": agreement.name, "date_signed": str(agreement.date_signed or ""),
                "source_provision_id": o.source_provision_id, "heading": o.heading,
                "gold_labels": sorted(o.truth), "predicted_labels": sorted(o.predicted),
                "gold_bindingness": o.gold_bindingness, "predicted_bindingness": o.predicted_bindingness,
                "scores": o.scores, "text": o.text,
            })
        if o.truth and o.predicted and o.gold_bindingness != o.predicted_bindingness:
            rows.append({
                "split": split, "error": "bindingness", "label": None, "score": None, "agreement_id": agreement.id,
                "agreement_name": agreement.name, "date_signed": str(agreement.date_signed or ""),
                "source_provision_id": o.source_provision_id, "heading": o.heading,
                "gold_labels": sorted(o.truth), "predicted_labels": sorted(o.predicted),
                "gold_bindingness": o.gold_bindingness, "predicted_bindingness": o.predicted_bindingness,
                "scores": o.scores, "text": o.text,
            })
    return rows

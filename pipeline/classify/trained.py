"""The trained norm classifier: TF-IDF + spaCy cue features -> one logistic regression
per label, per-label decision rules, and a bindingness model.

Saved with skops (never plain pickle): `model.skops` holds the two scikit-learn pipelines
(their TF-IDF terms are in `vocabularies.json`, see pipeline.classify.vocabularies),
`config.json` the label list, decision rules and version, `manifest.json` the SHA-256 of each
(pipeline.classify.integrity). Loading checks the manifest, then builds only the types in
integrity.TRUSTED_TYPES, a constant in code: nothing in the model folder decides what is trusted.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import skops.io as sio
from skops.io.exceptions import UntrustedTypesFoundException

from pipeline.classify import fast_tfidf
from pipeline.classify.base import ClassifierInput
from pipeline.classify.features import cached_cue_analysis, items_on_topic
from pipeline.classify.heading_rules import allowed_matrix, cue_rule_matrix, passing_mention_matrix
from pipeline.classify.integrity import RETRAIN, TRUSTED_TYPES, check_types, pin, verify
from pipeline.classify.lexicon import CueResult, fast_concept_counts, fast_cue_counts, sharing_cue_counts
from pipeline.classify.vocabularies import VOCABULARIES_FILE, put_back, vocabularies_taken_out
from pipeline.errors import ModelError
from pipeline.model import ParagraphPrediction, Prediction
from pipeline.nlp.canonical import canonical_labels
from pipeline.nlp.citations import join_article_suffixes, mask_cited_titles
from pipeline.nlp.commitment import makes_commitment
from pipeline.nlp.lexicon import lexicon_language
from pipeline.nlp.paragraphs import aggregate_bindingness, split_paragraphs
from pipeline.nlp.screen import could_be_cyber, normalise_whitespace
from pipeline.nlp.spacing import split_run_together_words
from pipeline.nlp.topics import topics_named
from pipeline.taxonomy import LABEL_IDS

MODEL_FILE = "model.skops"
CONFIG_FILE = "config.json"
_BATCH = 4096
# What the models' inputs and union rules are, by version of this code: 1 (models 1.0.0 and
# 1.1.0): the text as written; 2 (1.2.0): cited articles' titles taken out of the text, and
# privacy safeguard sentences (pipeline.nlp.safeguards) among the union rules; 3: a label
# decided by its cue rule needs a provision that commits to something
# (pipeline.nlp.commitment), and the paragraph model also counts its sentences' modality; 4: a
# labelled paragraph whose list items are only partly about its labels is classed on its opening
# words and those items (features.items_on_topic), and "Article XIV bis" is one word
# (citations.join_article_suffixes); 5: an article whose heading rules a label out
# (heading_rules: definitions articles, government procurement) never gets it; 6: a label is
# also carried by its provision's paragraphs that name its topic (pipeline.nlp.topics), not only
# by those with its cue phrases; 7: a sentence that makes GATS Article XIV apply is a privacy
# safeguard (safeguards.applies_general_exceptions), and in an article titled by one topic only
# that topic's cue phrases decide a label (heading_rules.cue_rule_matrix); 8: there, another
# label's model score decides it only when nearly certain (heading_rules.passing_mention_matrix);
# 9: a label's concept patterns (pipeline.nlp.concepts) count as its cues, in the model's cue
# features and in the cue rules, and a provision commits when a sentence of any of its
# paragraphs does (commitment.commitment_units: a definition paragraph no longer hides them);
# 10: the self-contained wording of a privacy safeguard (GATS Article XIV(c)(ii) written out) is
# also found with the spaces the source text lost ("the privacy of individualsin relation to the
# processing anddissemination of personal data": safeguards.privacy_safeguards, `joined_words`);
# 11: the paragraph model reads "shall take into account" as binding, not weak, as the annotators
# code it (features.ModalityFeatures.take_into_account_binding, pickled with the model);
# 12: English words the source text ran together are split again ("realizingpaperless trading":
# pipeline.nlp.spacing).
# A model records the features it was trained with and is always given the same ones.
FEATURES = 12


@dataclass(frozen=True, slots=True)
class LabelRule:
    """How a label is decided: by the model's probability, by the spaCy cue rules, or either."""

    strategy: str  # "model" | "rule" | "model_or_rule"
    threshold: float = 0.5  # on the calibrated probability
    # Platt scaling of the model's probability, fitted on grouped out-of-fold scores:
    # calibrated = sigmoid(a * logit(p) + b). None: the raw probability.
    calibration: tuple[float, float] | None = None
    canonical: bool = True  # also label provisions that commit in the label's canonical wording
    # The threshold when the provision already has another label (by any rule): an article of
    # an electronic-commerce chapter about customs duties scores high for `ecommerce_general`
    # from its chapter's words, yet is coded only with its own topic. None: `threshold`.
    threshold_with_others: float | None = None

    def calibrate(self, probabilities: np.ndarray) -> np.ndarray:
        if self.calibration is None:
            return probabilities
        a, b = self.calibration
        clipped = np.clip(probabilities, 1e-6, 1 - 1e-6)
        return 1.0 / (1.0 + np.exp(-(a * np.log(clipped / (1 - clipped)) + b)))


def provision_frame(texts: Sequence[str], langs: Sequence[str | None],
                    headings: Sequence[str] | None = None, *, features: int = FEATURES) -> pd.DataFrame:
    """The model's input columns; from features 2 on, without the titles of cited articles
    (pipeline.nlp.citations); from 4 on, with "XIV bis" written as one word; from 12 on, with the
    English words the source ran together split again (pipeline.nlp.spacing)."""
    languages = [lexicon_language(lang) for lang in langs]
    if features >= 4:
        clean = lambda t: join_article_suffixes(normalise_whitespace(mask_cited_titles(t)))  # noqa: E731
    elif features >= 2:
        clean = lambda t: normalise_whitespace(mask_cited_titles(t))  # noqa: E731
    else:
        clean = normalise_whitespace
    cleaned = [clean(t) for t in texts]
    if features >= 12:
        english = [i for i, lang in enumerate(languages) if lang == "en"]
        for i, text in zip(english, split_run_together_words([cleaned[i] for i in english])):
            cleaned[i] = text
    return pd.DataFrame({"text": cleaned,
                         "lang": languages,
                         "heading": [normalise_whitespace(h) for h in headings] if headings else [""] * len(texts)})


def rule_cues_commit(texts: Sequence[str], langs: Sequence[str], cues: Sequence[CueResult | None],
                     features: int = FEATURES, concepts: Sequence[dict[str, int]] | None = None) -> list[bool]:
    """Whether each provision's cue phrases (or concept patterns) may decide a label: from
    features 3 on, only where the provision commits to something (a definitions article names
    every topic it defines); from 9 on, judged paragraph by paragraph (commitment_units)."""
    if features < 3:
        return [True] * len(texts)
    concepts = concepts or [{}] * len(texts)
    rows = [i for i, (c, k) in enumerate(zip(cues, concepts)) if (c is not None and c.counts) or k]
    asks = [False] * len(texts)
    judged = makes_commitment([texts[i] for i in rows], [langs[i] for i in rows], by_paragraph=features >= 9)
    for i, commits in zip(rows, judged):
        asks[i] = commits
    return asks


def cue_decisions(texts: Sequence[str], langs: Sequence[str], headings: Sequence[str],
                  cues: Sequence[CueResult | None], features: int = FEATURES,
                  concepts: Sequence[dict[str, int]] | None = None) -> np.ndarray:
    """n x labels: where a label's cue rule fires. Its cue phrases (from features 9 on, or its
    concept patterns, pipeline.nlp.concepts) occur in a provision that commits to something and,
    from features 7 on, in an article whose title does not name another topic
    (heading_rules.cue_rule_matrix)."""
    if features < 9 or concepts is None:
        concepts = [{}] * len(texts)
    asks = rule_cues_commit(texts, langs, cues, features, concepts)
    found = [(set(c.counts) if c is not None else set()) | set(k) for c, k in zip(cues, concepts)]
    matrix = np.array([[label in f and ok for label in LABEL_IDS] for f, ok in zip(found, asks)],
                      dtype=bool).reshape(len(texts), len(LABEL_IDS))
    if features >= 7:
        matrix &= cue_rule_matrix(headings)
    return matrix


def with_others_thresholds(by_model: np.ndarray, by_rule: np.ndarray, scores: np.ndarray,
                           rules: Sequence[LabelRule]) -> np.ndarray:
    """The decisions (n x labels): a label's model decision or its rules' (cue, canonical), where
    a label with a `threshold_with_others` needs that score from its model when another label is
    decided too. "Another label" is read before this step, in training as here."""
    first = by_model | by_rule
    decisions = first.copy()
    for k, rule in enumerate(rules):
        if rule.threshold_with_others is None:
            continue
        others = np.delete(first, k, axis=1).any(axis=1)
        kept = by_model[:, k] & (~others | (scores[:, k] >= rule.threshold_with_others))
        decisions[:, k] = kept | by_rule[:, k]
    return decisions


class TrainedClassifier:
    def __init__(self, labels_model, bindingness_model, model_labels: Sequence[str],
                 rules: dict[str, LabelRule], version: str, paragraph_model=None,
                 features: int = FEATURES) -> None:
        self.labels_model = labels_model
        self.bindingness_model = bindingness_model  # whole-article bindingness: the fallback
        self.paragraph_model = paragraph_model  # binding / weak / hortatory / neither per paragraph
        self.model_labels = list(model_labels)
        self.rules = rules
        self.version = version
        self.features = features

    # -- prediction ------------------------------------------------------------------------
    def predict(self, items: Sequence[ClassifierInput]) -> list[Prediction]:
        predictions: list[Prediction | None] = [None] * len(items)
        # The heading counts: "Transparency" is cyber only in the Electronic Commerce chapter.
        screened = [i for i, item in enumerate(items) if could_be_cyber(f"{item.text} {item.heading}")]
        for start in range(0, len(screened), _BATCH):
            chunk = screened[start:start + _BATCH]
            frame = provision_frame([items[i].text for i in chunk], [items[i].lang for i in chunk],
                                    [items[i].heading for i in chunk], features=self.features)
            raw = [items[i].text for i in chunk]
            with sharing_cue_counts():  # the model's cue features and the rules read the same texts
                chunk_predictions = self._predict_frame(frame, [items[i].id for i in chunk], raw)
            for index, prediction in zip(chunk, chunk_predictions):
                predictions[index] = prediction
        empty = (i for i, p in enumerate(predictions) if p is None)
        for index in empty:
            predictions[index] = Prediction(items[index].id, (), model_version=self.version)
        return predictions  # type: ignore[return-value]

    def decide(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, list[CueResult | None]]:
        """Per-label scores and decisions (n x labels, taxonomy order) and the spaCy cue results.

        spaCy runs only where it can matter: provisions whose phrases hint at a label decided by
        the cue rules, and provisions that end up labelled (for their instruments)."""
        n = len(frame)
        # Plain lists: a pandas column looked up per row costs more than the rules themselves.
        texts, langs = frame["text"].tolist(), frame["lang"].tolist()
        probabilities = self.labels_model.predict_proba(frame) if n else np.zeros((0, len(self.model_labels)))
        column = {label: j for j, label in enumerate(self.model_labels)}
        rules = [self.rules.get(label, LabelRule("rule")) for label in LABEL_IDS]
        scores = np.zeros((n, len(LABEL_IDS)))
        by_model = np.zeros((n, len(LABEL_IDS)), dtype=bool)
        for k, label in enumerate(LABEL_IDS):
            if label in column:
                scores[:, k] = rules[k].calibrate(probabilities[:, column[label]])
                by_model[:, k] = rules[k].strategy != "rule" and scores[:, k] >= rules[k].threshold
        if self.features >= 8:
            by_model &= passing_mention_matrix(frame["heading"].tolist(), scores)
        rule_labels = {label for label, rule in zip(LABEL_IDS, rules) if rule.strategy != "model"}
        hints = fast_cue_counts(texts, langs)
        concepts = fast_concept_counts(texts, langs) if self.features >= 9 else None
        wanted = [i for i in range(n) if by_model[i].any() or rule_labels & hints[i].keys()
                  or (concepts is not None and rule_labels & concepts[i].keys())]
        cues: list[CueResult | None] = [None] * n
        for i, result in zip(wanted, cached_cue_analysis([texts[i] for i in wanted], [langs[i] for i in wanted])):
            cues[i] = result
        by_rule = np.zeros_like(by_model)
        cue_fires = cue_decisions(texts, langs, frame["heading"].tolist(), cues, self.features, concepts)
        for k, label in enumerate(LABEL_IDS):
            if rules[k].strategy == "model":
                continue
            by_rule[:, k] |= cue_fires[:, k]
            if label not in column:
                scores[:, k] = cue_fires[:, k].astype(float)
        canonical = canonical_labels(texts, langs, safeguards=self.features >= 2,
                                     general_exceptions=self.features >= 7, joined_words=self.features >= 10)
        for k, label in enumerate(LABEL_IDS):
            if rules[k].canonical:
                by_rule[:, k] |= np.array([label in found for found in canonical], dtype=bool)
        if self.features >= 5:
            allowed = allowed_matrix(frame["heading"].tolist())
            by_model &= allowed
            by_rule &= allowed
        decisions = with_others_thresholds(by_model, by_rule, scores, rules)
        # A provision labelled only now (by a rule) still needs its instruments.
        late = [i for i in range(n) if decisions[i].any() and cues[i] is None]
        for i, result in zip(late, cached_cue_analysis([texts[i] for i in late], [langs[i] for i in late])):
            cues[i] = result
        return scores, decisions, cues

    def _predict_frame(self, frame: pd.DataFrame, ids: list[str], raw_texts: Sequence[str]) -> list[Prediction]:
        scores, decisions, cues = self.decide(frame)
        labelled = np.flatnonzero(decisions.any(axis=1))
        langs, headings = frame["lang"].tolist(), frame["heading"].tolist()
        by_paragraph = self.paragraph_bindingness(
            [raw_texts[i] for i in labelled], [langs[i] for i in labelled], [headings[i] for i in labelled],
            [tuple(label for k, label in enumerate(LABEL_IDS) if decisions[i, k]) for i in labelled])
        paragraphs = dict(zip(labelled, by_paragraph))
        aggregated = {i: aggregate_bindingness(p.bindingness for p in rows if p.labels) if rows else None
                      for i, rows in paragraphs.items()}
        # The whole-article model only where the paragraphs give no answer (no paragraph model).
        fallback = [i for i in labelled if aggregated[i] is None]
        article_level = (dict(zip(fallback, self.bindingness_model.predict(frame.iloc[fallback])))
                         if fallback else {})
        out = []
        for i, provision_id in enumerate(ids):
            labels = tuple(label for k, label in enumerate(LABEL_IDS) if decisions[i, k])
            rows = paragraphs.get(i, ())
            out.append(Prediction(
                provision_id=provision_id,
                labels=labels,
                scores={label: round(float(scores[i, k]), 4) for k, label in enumerate(LABEL_IDS) if scores[i, k] >= 0.05},
                bindingness=(aggregated[i] or str(article_level[i])) if labels else None,
                instruments=cues[i].instruments if labels and cues[i] is not None else (),
                model_version=self.version,
                paragraphs=rows,
            ))
        return out

    def paragraph_bindingness(self, texts: Sequence[str], langs: Sequence[str], headings: Sequence[str],
                              labels: Sequence[tuple[str, ...]]) -> list[tuple[ParagraphPrediction, ...]]:
        """Each labelled provision's paragraphs with their class and the labels they carry.

        A paragraph carries a label of its provision when the label's cue phrases occur in it or,
        from features 6 on, words that name the label's topic (pipeline.nlp.topics); a label no
        paragraph reaches goes to the paragraph the model scores highest for it.
        (On the annotated paragraphs, cue phrases attribute labels better than the model's
        paragraph-level scores, which spread a label over the neighbouring paragraphs.)"""
        if self.paragraph_model is None or not texts:
            return [()] * len(texts)
        split = [split_paragraphs(text) for text in texts]
        flat = [(i, p) for i, paragraphs in enumerate(split) for p in paragraphs]
        frame = provision_frame([texts[i][p.start:p.end] for i, p in flat], [langs[i] for i, _ in flat],
                                [headings[i] for i, _ in flat], features=self.features)
        hints = fast_cue_counts(frame["text"].tolist(), frame["lang"].tolist())
        carried: list[set[str]] = [{label for label in labels[i] if label in hints[row]} for row, (i, _) in enumerate(flat)]
        if self.features >= 6:
            for row, text in enumerate(frame["text"].tolist()):
                carried[row] |= topics_named(text, labels[flat[row][0]])
        reached = {(i, label) for row, (i, _) in enumerate(flat) for label in carried[row]}
        unreached = {(i, label) for i in range(len(texts)) for label in labels[i]} - reached
        # Only the provisions with a label no cue phrase places need the model's paragraph scores.
        placing = {i for i, _ in unreached}
        rows = [row for row, (i, _) in enumerate(flat) if i in placing]
        column = {label: j for j, label in enumerate(self.model_labels)}
        # ... and of those, only the ones with a choice to make: a provision of one paragraph
        # puts its labels there whatever the score, and a label outside the model scores 0.
        choosing = {i for i, label in unreached if label in column and len(split[i]) > 1}
        scored = [row for row in rows if flat[row][0] in choosing]
        probabilities = (dict(zip(scored, self.labels_model.predict_proba(frame.iloc[scored])))
                         if scored else {})
        best: dict[tuple[int, str], tuple[float, int]] = {}
        for row in rows:
            i = flat[row][0]
            for label in labels[i]:
                if (i, label) not in unreached:
                    continue
                score = float(probabilities[row][column[label]]) if row in probabilities and label in column else 0.0
                if (i, label) not in best or score > best[(i, label)][0]:
                    best[(i, label)] = (score, row)
        for (i, label), (_, row) in best.items():
            carried[row].add(label)
        # Classed once every label has its paragraphs: from features 4 on, a paragraph is classed on
        # its list items about its labels (one prediction call for all: each call costs a spaCy pass).
        classified = self._on_topic_items(frame, carried) if self.features >= 4 else frame
        classes = self.paragraph_model.predict(classified) if flat else []
        results: list[list[ParagraphPrediction]] = [[] for _ in texts]
        for row, (i, p) in enumerate(flat):
            results[i].append(ParagraphPrediction(p.index, p.number, p.kind, p.start, p.end, str(classes[row]),
                                                  tuple(label for label in labels[i] if label in carried[row])))
        return [tuple(r) for r in results]

    @staticmethod
    def _on_topic_items(frame: pd.DataFrame, carried: Sequence[set[str]]) -> pd.DataFrame:
        """`frame` with each labelled paragraph whose list items are only partly about its labels cut
        down to its opening words and those items (features.items_on_topic)."""
        texts, langs = frame["text"].tolist(), frame["lang"].tolist()
        narrowed = [items_on_topic(text, lang, labels) if labels else None
                    for text, lang, labels in zip(texts, langs, carried)]
        if all(text is None for text in narrowed):
            return frame
        return frame.assign(text=[cut if cut is not None else text for cut, text in zip(narrowed, texts)])

    # -- persistence -----------------------------------------------------------------------
    def pipelines(self) -> dict:
        """The scikit-learn pipelines by the names they are saved under."""
        models = {"labels": self.labels_model, "bindingness": self.bindingness_model}
        if self.paragraph_model is not None:
            models["paragraphs"] = self.paragraph_model
        return models

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        models = self.pipelines()
        with vocabularies_taken_out(models) as vocabularies, fast_tfidf.removed(models):
            sio.dump(models, directory / MODEL_FILE, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
        (directory / VOCABULARIES_FILE).write_text(json.dumps(vocabularies, ensure_ascii=False) + "\n",
                                                   encoding="utf-8")
        config = {"version": self.version, "model_labels": self.model_labels,
                  "features": self.features,
                  "rules": {label: asdict(rule) for label, rule in sorted(self.rules.items())}}
        (directory / CONFIG_FILE).write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
        pin(directory)  # last: the manifest vouches for the files as written

    @classmethod
    def load(cls, directory: Path) -> TrainedClassifier:
        model_path, config_path = directory / MODEL_FILE, directory / CONFIG_FILE
        if not model_path.exists() or not config_path.exists():
            raise ModelError(f"{directory}: expected {MODEL_FILE} and {CONFIG_FILE} (rebuild with `cybernorms train`)")
        verify(directory)  # an unknown or changed folder is refused before anything is decoded
        check_types(model_path)  # every type at any depth, skops' default-trusted ones included
        try:
            config = json.loads(config_path.read_text())
        except ValueError as exc:
            raise ModelError(f"{config_path}: not readable JSON ({exc}); {RETRAIN}") from exc
        try:
            bundle = sio.load(model_path, trusted=sorted(TRUSTED_TYPES))
        except UntrustedTypesFoundException as exc:
            raise ModelError(f"{model_path}: refuses to load untrusted types: {exc}; {RETRAIN}") from exc
        except Exception as exc:  # noqa: BLE001 - any unreadable file is the same problem to the user
            raise ModelError(f"{model_path}: not a readable skops file: {exc}; {RETRAIN}") from exc
        if not isinstance(bundle, dict) or not {"labels", "bindingness"} <= bundle.keys():
            raise ModelError(f"{model_path}: not a cybernorms model (no labels and bindingness models); {RETRAIN}")
        vocabularies_path, vocabularies = directory / VOCABULARIES_FILE, None
        if vocabularies_path.exists():  # models saved before vocabularies.json keep them in the archive
            try:
                vocabularies = json.loads(vocabularies_path.read_text(encoding="utf-8"))
            except ValueError as exc:
                raise ModelError(f"{vocabularies_path}: not readable JSON: {exc}") from exc
        put_back(bundle, vocabularies, vocabularies_path)
        fast_tfidf.install(bundle)
        rules = {label: LabelRule(**{**rule, "calibration": tuple(rule["calibration"]) if rule.get("calibration") else None})
                 for label, rule in config["rules"].items()}
        return cls(bundle["labels"], bundle["bindingness"], config["model_labels"], rules, config["version"],
                   bundle.get("paragraphs"), features=int(config.get("features", 1)))

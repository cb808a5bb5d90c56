"""Feature transformers for the trained classifier (scikit-learn estimator contract).

Both take a DataFrame with columns `text` and `lang` and are stateless: the language
knowledge lives in the spaCy cue lexicons, which map English and Spanish phrases onto the
same label ids; that is what lets Spanish provisions get the same labels as English ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from pipeline.classify.base import ClassifierInput
from pipeline.classify.lexicon import CueResult, cue_analysis, fast_concept_counts, fast_cue_counts
from pipeline.nlp.bindingness import clause_kinds
from pipeline.nlp.modality import KINDS as MODALITY_KINDS
from pipeline.nlp.modality import modality_cues, rule_class
from pipeline.nlp.paragraphs import PARAGRAPH_CLASSES, sentence_spans
from pipeline.taxonomy import LABEL_IDS

# The spaCy cue analysis (decision rules, instruments); cross-validation asks for the same
# texts many times.
_CUE_CACHE: dict[tuple[str, str], CueResult] = {}
_CUE_CACHE_LIMIT = 200_000


def cached_cue_analysis(texts: list[str], langs: list[str]) -> list[CueResult]:
    missing = [(t, l) for t, l in zip(texts, langs) if (l, t) not in _CUE_CACHE]
    if missing:
        if len(_CUE_CACHE) + len(missing) > _CUE_CACHE_LIMIT:
            _CUE_CACHE.clear()
        unique = list(dict.fromkeys(missing))
        results = cue_analysis([ClassifierInput(str(i), t, l) for i, (t, l) in enumerate(unique)])
        _CUE_CACHE.update({(l, t): r for (t, l), r in zip(unique, results)})
    return [_CUE_CACHE[(l, t)] for t, l in zip(texts, langs)]


class CueFeatures(TransformerMixin, BaseEstimator):
    """log(1 + number of cue matches) per taxonomy label (the lexicons' phrases, matched by
    the phrase automaton; the spaCy matcher itself is kept for the decision rules) and, with
    `concepts` (models of features 9 on), the matches of the label's concept patterns
    (pipeline.nlp.concepts).

    `labels` fixes the columns at training time, so a model keeps its feature layout when the
    taxonomy grows."""

    def __init__(self, labels: tuple[str, ...] | None = None, concepts: bool = False) -> None:
        self.labels = labels
        self.concepts = concepts

    def fit(self, X: pd.DataFrame, y=None) -> CueFeatures:  # noqa: N803 - scikit-learn naming
        return self

    def _columns(self) -> tuple[str, ...]:
        labels = getattr(self, "labels", None)  # absent in models saved before taxonomy 1.3
        return tuple(labels) if labels else tuple(label for label in LABEL_IDS if label != "data_ownership")

    def transform(self, X: pd.DataFrame) -> sparse.csr_matrix:  # noqa: N803
        texts, langs = list(X["text"]), list(X["lang"])
        counts = fast_cue_counts(texts, langs)
        columns = self._columns()
        matrix = np.array([[c.get(label, 0) for label in columns] for c in counts], dtype=np.float32)
        if getattr(self, "concepts", False):  # absent in models saved before features 9
            found = fast_concept_counts(texts, langs)
            matrix += np.array([[c.get(label, 0) for label in columns] for c in found], dtype=np.float32)
        return sparse.csr_matrix(np.log1p(matrix).reshape(len(counts), len(columns)))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.array([f"cue_{label}" for label in self._columns()], dtype=object)


class BindingnessRuleFeatures(TransformerMixin, BaseEstimator):
    """Counts of hard, soft and weak ("shall cooperate") clauses found by the bindingness rules."""

    KINDS = ("hard", "soft", "cooperate")

    def fit(self, X: pd.DataFrame, y=None) -> BindingnessRuleFeatures:  # noqa: N803
        return self

    def transform(self, X: pd.DataFrame) -> sparse.csr_matrix:  # noqa: N803
        rows = []
        for text, lang in zip(X["text"], X["lang"]):
            kinds = clause_kinds(text, lang)
            counts = [kinds.count(kind) for kind in self.KINDS]
            rows.append([np.log1p(c) for c in counts] + [float(c > 0) for c in counts])
        return sparse.csr_matrix(np.array(rows, dtype=np.float32))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.array([f"{p}_{k}" for p in ("log", "has") for k in self.KINDS], dtype=object)


class ModalityFeatures(TransformerMixin, BaseEstimator):
    """Per paragraph: log counts of each modality cue kind (spaCy Matcher rules,
    pipeline/nlp/modality.py) and the rule's own class, one-hot.

    With `sentences`, also the log count of the paragraph's sentences and list items in each rule
    class (`sentence_classes`): "Each Party shall adopt a framework. In developing it, each Party
    should take into account ..." has a binding sentence beside a hortatory one, which the
    annotators code `binding`, while the paragraph-wide rule class only sees that a hortatory
    cue occurs.

    With `take_into_account_binding` (model features 11), "shall take into account" counts as
    binding, not weak (modality.modality_cues)."""

    def __init__(self, sentences: bool = False, take_into_account_binding: bool = False) -> None:
        self.sentences = sentences
        self.take_into_account_binding = take_into_account_binding

    def fit(self, X: pd.DataFrame, y=None) -> ModalityFeatures:  # noqa: N803
        return self

    def _by_sentence(self) -> bool:
        return bool(getattr(self, "sentences", False))  # absent in models saved before it existed

    def _take_into_account_binding(self) -> bool:
        return bool(getattr(self, "take_into_account_binding", False))  # likewise

    def transform(self, X: pd.DataFrame) -> sparse.csr_matrix:  # noqa: N803
        rows: list[list[float]] = [[] for _ in range(len(X))]
        positions: dict[str, list[int]] = {}
        for i, lang in enumerate(X["lang"]):
            positions.setdefault(lang, []).append(i)
        binding = self._take_into_account_binding()
        for lang, indices in positions.items():
            texts = [X["text"].iat[i] for i in indices]
            for i, cues in zip(indices, modality_cues(texts, lang, take_into_account_binding=binding)):
                kind = rule_class(cues)
                rows[i] = ([float(np.log1p(cues.counts.get(k, 0))) for k in MODALITY_KINDS]
                           + [float(kind == c) for c in PARAGRAPH_CLASSES])
            if self._by_sentence():
                for i, counts in zip(indices, sentence_classes(texts, lang, take_into_account_binding=binding)):
                    rows[i] += [float(np.log1p(counts.get(c, 0))) for c in PARAGRAPH_CLASSES]
        return sparse.csr_matrix(np.array(rows, dtype=np.float32).reshape(len(X), len(self.get_feature_names_out())))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        names = [f"modality_{k}" for k in MODALITY_KINDS] + [f"rule_{c}" for c in PARAGRAPH_CLASSES]
        if self._by_sentence():
            names += [f"sentences_{c}" for c in PARAGRAPH_CLASSES]
        return np.array(names, dtype=object)


# A lettered or roman item of a list, after the colon or semicolon that introduces it:
# "each Party shall: (a) make use of ...; (b) simplify ...; and (c) to the extent possible, ...".
_LIST_ITEM = re.compile(r"(?<=[:;])(?:\s+(?:and|or|y|o))?\s+\((?:[a-z]|[ivx]{1,4})\)\s")


def sentence_classes(texts: Sequence[str], lang: str, *, take_into_account_binding: bool = False) -> list[dict[str, int]]:
    """How many of each text's sentences, and list items within them, the modality rules class
    binding, weak, hortatory or neither. An item without a modal verb of its own takes the class
    of the sentence's opening words ("each Party shall:"), so a qualifier in one item ("(c) to the
    extent possible, harmonise ...") no longer hides the binding items beside it."""
    owners, units = [], []
    for i, text in enumerate(texts):
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            cuts = [0] + [m.start() for m in _LIST_ITEM.finditer(sentence)] + [len(sentence)]
            for k in range(len(cuts) - 1):
                owners.append((i, k == 0))
                units.append(sentence[cuts[k]:cuts[k + 1]])
    counts: list[dict[str, int]] = [{} for _ in texts]
    opening = "neither"
    for (i, first), cues in zip(owners, modality_cues(units, lang, take_into_account_binding=take_into_account_binding)):
        kind = rule_class(cues)
        if first:
            opening = kind
        elif kind == "neither":
            kind = opening
        counts[i][kind] = counts[i].get(kind, 0) + 1
    return counts


def items_on_topic(text: str, lang: str, labels: frozenset[str] | set[str]) -> str | None:
    """The paragraph without the list items that are about none of `labels`, when some item is
    about one of them (its cue phrases occur in it); None when nothing is left out.

    The taxonomy reads a qualifier where it is attached: in "each Party shall: (a) provide for the
    electronic submission of ...; (b) simplify ...; (c) to the extent possible, harmonise ..." the
    paperless-trading commitment is item (a), binding, whatever item (c) says."""
    units: list[tuple[str, bool]] = []  # (text, is a list item)
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        cuts = [0] + [m.start() for m in _LIST_ITEM.finditer(sentence)] + [len(sentence)]
        units += [(sentence[cuts[k]:cuts[k + 1]], k > 0) for k in range(len(cuts) - 1)]
    items = [i for i, (_, is_item) in enumerate(units) if is_item]
    if not items:
        return None
    hints = fast_cue_counts([units[i][0] for i in items], [lang] * len(items))
    on_topic = {i for i, found in zip(items, hints) if labels & found.keys()}
    if not on_topic or len(on_topic) == len(items):
        return None
    return " ".join(unit.strip() for i, (unit, is_item) in enumerate(units) if not is_item or i in on_topic)

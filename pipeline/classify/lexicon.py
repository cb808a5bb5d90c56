"""The lexicon baseline: spaCy cue matchers per label, rule-based bindingness.

An honest, transparent baseline: a provision gets every label whose cue phrases occur
in it. It is what an analyst's keyword search does, and the trained classifier is
scored against it in the same evaluation run. `cue_analysis` is also the cue component
that the trained classifier uses as features and as rules for rare labels.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache

import ahocorasick

from pipeline.classify.base import LEXICON_VERSION, ClassifierInput
from pipeline.model import Bindingness, Prediction
from pipeline.nlp import build_nlp
from pipeline.nlp.components import doc_with_text
from pipeline.nlp.concepts import concept_counts
from pipeline.nlp.bindingness import provision_bindingness
from pipeline.nlp.lexicon import LEXICON_LANGUAGES, instrument_names, label_cues, lexicon_language
from pipeline.nlp.screen import PhraseScreen, could_be_cyber, normalise_whitespace, stands_alone

_BATCH_SIZE = 64


@dataclass(frozen=True, slots=True)
class CueResult:
    counts: dict[str, int] = field(default_factory=dict)  # label -> number of cue matches
    instruments: tuple[str, ...] = ()
    bindingness: Bindingness | None = None  # rule-based, set when any label cue matched


def cue_analysis(items: Sequence[ClassifierInput]) -> list[CueResult]:
    """Run the spaCy cue pipeline on the items whose text contains a cue or instrument phrase."""
    results: list[CueResult] = [CueResult()] * len(items)
    by_lang: dict[str, list[int]] = defaultdict(list)
    texts: dict[int, str] = {}
    for index, item in enumerate(items):
        lang = lexicon_language(item.lang)
        text = normalise_whitespace(item.text)
        if _phrase_screen(lang).hits(text.lower()):
            by_lang[lang].append(index)
            texts[index] = text
    for lang, indexes in by_lang.items():
        nlp = build_nlp(lang)
        docs = nlp.pipe((doc_with_text(nlp, texts[i]) for i in indexes), batch_size=_BATCH_SIZE)
        for index, doc in zip(indexes, docs, strict=True):
            results[index] = CueResult(dict(doc._.cue_counts or {}), doc._.instruments, doc._.bindingness)
    return results


class LexiconClassifier:
    version = LEXICON_VERSION

    def predict(self, items: Sequence[ClassifierInput]) -> list[Prediction]:
        predictions = []
        for item, cues in zip(items, cue_analysis(items), strict=True):
            labels = tuple(sorted(cues.counts))
            predictions.append(Prediction(
                provision_id=item.id,
                labels=labels,
                scores={label: 1.0 for label in labels},
                bindingness=cues.bindingness if labels else None,
                instruments=cues.instruments,
                model_version=self.version,
            ))
        return predictions


# Counts already found for (lang, text) inside `sharing_cue_counts()`; None outside it.
_SHARED_COUNTS: ContextVar[dict[tuple[str, str, str], dict[str, int]] | None] = ContextVar("shared_cue_counts",
                                                                                      default=None)


@contextmanager
def sharing_cue_counts() -> Iterator[None]:
    """Within the block, `fast_cue_counts` finds each text's counts once. A classifier call asks
    for the same texts twice, through the model's cue features (CueFeatures, inside the
    scikit-learn pipeline) and for its own rules; the memory lasts one block, never longer."""
    if _SHARED_COUNTS.get() is not None:  # nested: the outer block's memory serves
        yield
        return
    token = _SHARED_COUNTS.set({})
    try:
        yield
    finally:
        _SHARED_COUNTS.reset(token)


def fast_cue_counts(texts: Sequence[str], langs: Sequence[str | None]) -> list[dict[str, int]]:
    """Cue matches per label found by the phrase automaton alone (no spaCy): the same phrases
    as the spaCy matcher, matched between non-alphanumeric neighbours. Cheap enough to run on
    every screened provision as classifier features. (Inside `sharing_cue_counts()` the dicts
    may be shared between calls: read them, never change them.)"""
    return _counted_once(texts, langs, "cues", _cue_counts)


def fast_concept_counts(texts: Sequence[str], langs: Sequence[str | None]) -> list[dict[str, int]]:
    """Concept-pattern matches per label (pipeline.nlp.concepts), shared like `fast_cue_counts`."""
    return _counted_once(texts, langs, "concepts", concept_counts)


def _counted_once(texts: Sequence[str], langs: Sequence[str | None], kind: str,
                  count: Callable[[str, str], dict[str, int]]) -> list[dict[str, int]]:
    shared = _SHARED_COUNTS.get()
    counts = []
    for text, lang in zip(texts, langs):
        lang = lexicon_language(lang)
        found = shared.get((kind, lang, text)) if shared is not None else None
        if found is None:
            found = count(text, lang)
            if shared is not None:
                shared[(kind, lang, text)] = found
        counts.append(found)
    return counts


def _cue_counts(text: str, lang: str) -> dict[str, int]:
    automaton = _label_automaton(lang)
    lowered = normalise_whitespace(text).lower()
    found: dict[str, int] = {}
    for end, (phrase, labels) in automaton.iter(lowered):
        if stands_alone(lowered, end, len(phrase)):
            for label in labels:
                found[label] = found.get(label, 0) + 1
    return found


def prepare_cue_analysis() -> None:
    """Build now what cue analysis otherwise builds on first use (the spaCy pipelines, phrase
    automata and patterns of every lexicon language): the worker pool's forkserver calls this
    once, so workers start with them instead of each building its own."""
    # The canonical-wording, modality and safeguard rules too (model 1.2.0's decision step):
    # built on a worker's first batch they cost it about half a second, which is most of the
    # time a one-document refresh spends analysing. Imported here: spaCy is loaded by now.
    from pipeline.nlp.canonical import canonical_labels
    from pipeline.nlp.modality import modality_cues

    for lang in LEXICON_LANGUAGES:
        build_nlp(lang)
        _label_automaton(lang)
        _phrase_screen(lang)
        provision_bindingness("", lang)
        canonical_labels([""], [lang])  # its rules, and the safeguard rules it calls
        modality_cues([""], lang)
    could_be_cyber("")


@cache
def _label_automaton(lang: str) -> ahocorasick.Automaton:
    labels_by_phrase: dict[str, list[str]] = defaultdict(list)
    for label, phrases in label_cues(lang).items():
        for phrase in phrases:
            labels_by_phrase[normalise_whitespace(phrase.lower())].append(label)
    automaton = ahocorasick.Automaton()
    for phrase, labels in labels_by_phrase.items():
        automaton.add_word(phrase, (phrase, tuple(labels)))
    automaton.make_automaton()
    return automaton


@cache
def _phrase_screen(lang: str) -> PhraseScreen:
    phrases = [phrase for phrases in label_cues(lang).values() for phrase in phrases]
    phrases += [phrase for names in instrument_names().values() for phrase in names]
    return PhraseScreen(phrases)

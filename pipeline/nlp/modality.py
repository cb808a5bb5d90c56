"""Modality of a paragraph: binding, weak, hortatory or neither, by spaCy Matcher rules.

The cue phrases live in `data/modality_<lang>.json`; they match lower-cased tokens, '*'
standing for up to four tokens, so "shall, where appropriate,
endeavour" is caught by "shall * endeavour". A binding or permissive match that lies inside
a weak, hortatory or negation match is not counted again ("shall" in "shall endeavour").

The rule class (`rule_class`) follows the taxonomy: a qualifier attached to a commitment
("to the extent possible", "subject to its laws") makes it hortatory; "shall cooperate"
alone is weak; an unqualified "shall" or a prohibition is binding; recitals, definitions and
text without a modal verb are neither. The counts also feed the trained paragraph model
(`pipeline.classify.paragraph_model`), which learns where the annotators depart from them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import spacy
from spacy.attrs import IS_ALPHA, LOWER
from spacy.matcher import PhraseMatcher

from pipeline.nlp.lexicon import _load, lexicon_language

KINDS: tuple[str, ...] = ("binding", "negation", "weak", "hortatory", "permissive", "qualifier", "recital",
                          "definition")
# Matches of these kinds swallow the binding / permissive words inside them.
_ENCLOSING = frozenset({"negation", "weak", "hortatory", "qualifier"})
_ENCLOSED = frozenset({"binding", "permissive"})
_GAP = 4


@dataclass(frozen=True, slots=True)
class ModalityCues:
    counts: dict[str, int]

    def has(self, kind: str) -> bool:
        return self.counts.get(kind, 0) > 0


class PhraseRules:
    """spaCy matchers for cue phrases: one PhraseMatcher for plain phrases and for the parts of
    phrases with '*' gaps, and lexeme flags for word rules (Spanish future-tense endings).

    A PhraseMatcher costs one hash lookup per token whatever the number of phrases. Gapped
    phrases ("shall * endeavour") used to be token-Matcher patterns with wildcard tokens, whose
    partial matches multiply at every "shall": chaining their parts' phrase matches over gaps of
    0 to `_GAP` tokens finds the same spans at a fraction of the cost. A word rule used to be a
    token-Matcher pattern too, whose regex ran in Python at every token of every text (more
    than tokenizing them took); as a lexeme flag it is decided once per word of the vocabulary
    and read for a whole Doc at once (`Doc.to_array`)."""

    def __init__(self, nlp: spacy.language.Language, phrases_by_key: dict[str, list[str]]) -> None:
        self.vocab = nlp.vocab
        self.strings = nlp.vocab.strings
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.parts = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.words: list[tuple[str, int]] = []  # (key, lexeme flag id) of each word rule
        self.gapped: list[tuple[str, tuple[int, ...]]] = []  # (key, ids of its parts in order)
        part_ids: dict[str, int] = {}
        for key, phrases in phrases_by_key.items():
            plain = [p for p in phrases if "*" not in p]
            if plain:
                self.phrases.add(key, list(nlp.tokenizer.pipe(plain)))
            for phrase in (p for p in phrases if "*" in p):
                parts = [part.strip() for part in phrase.split("*")]
                if not all(parts):
                    raise ValueError(f"cue phrase {phrase!r}: '*' must stand between words")
                for part in parts:
                    if part not in part_ids:
                        part_ids[part] = self.strings.add(f"part:{part}")
                        self.parts.add(f"part:{part}", [nlp.make_doc(part)])
                self.gapped.append((key, tuple(part_ids[part] for part in parts)))

    def add_word_rule(self, key: str, rule: Callable[[str], bool]) -> None:
        """Match every token whose text satisfies `rule` (a function of the word alone)."""
        self.words.append((key, self.vocab.add_flag(rule)))

    def __call__(self, doc) -> list[tuple[str, int, int]]:
        found = [(self.strings[m], start, end) for m, start, end in self.phrases(doc)]
        for key, flag in self.words:
            found += [(key, int(i), int(i) + 1) for i in np.flatnonzero(doc.to_array(flag))]
        if self.gapped:
            found += self._gapped_matches(doc)
        return found

    def _gapped_matches(self, doc) -> list[tuple[str, int, int]]:
        """Every chain of a gapped phrase's parts in order, each part starting 0 to `_GAP`
        tokens after the previous one ends."""
        spans_by_part: dict[int, list[tuple[int, int]]] = {}
        for part, start, end in self.parts(doc):
            spans_by_part.setdefault(part, []).append((start, end))
        found = []
        for key, parts in self.gapped:
            if not all(part in spans_by_part for part in parts):
                continue
            chains = list(spans_by_part[parts[0]])
            for part in parts[1:]:
                chains = [(first, end) for first, last in chains for start, end in spans_by_part[part]
                          if last <= start <= last + _GAP]
            found += [(key, start, end) for start, end in chains]
        return found


# The phrases that make "shall take into account" weak in paragraph models before features 11.
_TAKE_INTO_ACCOUNT = "weak_take_into_account"


@cache
def _matcher(code: str) -> tuple[spacy.language.Language, PhraseRules]:
    """One tokenizer and one set of rules per language for both readings of "take into account":
    its phrases have their own key, counted as weak or not at all (`_counts`)."""
    nlp = spacy.blank(code)
    data = _load(f"modality_{code}.json")
    phrases = {kind: data.get(kind, []) for kind in KINDS}
    phrases[_TAKE_INTO_ACCOUNT] = data.get(_TAKE_INTO_ACCOUNT, [])
    rules = PhraseRules(nlp, phrases)
    suffixes = data.get("binding_suffixes")
    if suffixes:
        rules.add_word_rule("binding", _ends_with(nlp.vocab, suffixes, min_length=6))
    return nlp, rules


def _ends_with(vocab, suffixes: list[str], *, min_length: int) -> Callable[[str], bool]:
    """A word of at least `min_length` letters, all alphabetic, whose lower case ends with one
    of the suffixes (the token pattern {"LOWER": {"REGEX": "(...)$"}, "IS_ALPHA": True,
    "LENGTH": {">=": min_length}}, with the vocabulary's own LOWER and IS_ALPHA)."""
    ending = re.compile("(" + "|".join(suffixes) + ")$")
    lower, is_alpha = vocab.lex_attr_getters[LOWER], vocab.lex_attr_getters[IS_ALPHA]
    return lambda word: len(word) >= min_length and bool(is_alpha(word)) and ending.search(lower(word)) is not None


# Each text's cues under both readings, by (language, text). A provision's sentences are read by
# the commitment rules, the canonical-wording rules and the paragraph model, each asking for
# them: classifying all of ToTA, 37% of the characters asked for had been tokenized before.
_CUES: dict[tuple[str, str], tuple[ModalityCues, ModalityCues]] = {}
_CUES_LIMIT = 200_000


def clear_cache() -> None:
    """Forget every text's cues (the benchmark times runs without help from earlier ones)."""
    _CUES.clear()


def modality_cues(texts: Sequence[str], lang: str | None = "en", *,
                  take_into_account_binding: bool = False) -> list[ModalityCues]:
    """The cue counts of each text (one paragraph each).

    "Shall take into account" international standards is a weak process duty to paragraph models
    trained before model features 11; with `take_into_account_binding` it is an ordinary "shall",
    as the annotators code it: the taxonomy calls it weak only in dialogue articles, and every
    blind re-labelling sample coded the customs clause "shall take into account the methods
    agreed by the World Customs Organization" binding. (The label rules only ask whether a text
    commits to something, which either reading says it does.)"""
    code = lexicon_language(lang)
    missing = list(dict.fromkeys(text for text in texts if (code, text) not in _CUES))
    if missing:
        if len(_CUES) + len(missing) > _CUES_LIMIT:
            _CUES.clear()
        nlp, matcher = _matcher(code)
        for text, doc in zip(missing, nlp.tokenizer.pipe(missing, batch_size=256)):
            spans = matcher(doc)
            _CUES[(code, text)] = (_counts(spans, take_into_account_binding=False),
                                   _counts(spans, take_into_account_binding=True))
    return [_CUES[(code, text)][take_into_account_binding] for text in texts]


def _counts(spans: list[tuple[str, int, int]], *, take_into_account_binding: bool) -> ModalityCues:
    """The cue counts of one text's matches: a binding or permissive match inside an enclosing one
    is not counted, nor a second match of one kind from the same token."""
    if take_into_account_binding:
        spans = [span for span in spans if span[0] != _TAKE_INTO_ACCOUNT]
    else:
        spans = [("weak" if kind == _TAKE_INTO_ACCOUNT else kind, start, end) for kind, start, end in spans]
    enclosing = [(start, end) for kind, start, end in spans if kind in _ENCLOSING]
    counts: dict[str, int] = {}
    seen: set[tuple[str, int]] = set()
    for kind, start, end in spans:
        if kind in _ENCLOSED and any(s <= start and end <= e for s, e in enclosing):
            continue
        if (kind, start) in seen:  # overlapping patterns of one kind from the same token count once
            continue
        seen.add((kind, start))
        counts[kind] = counts.get(kind, 0) + 1
    return ModalityCues(counts)


def rule_class(cues: ModalityCues) -> str:
    """'binding', 'weak', 'hortatory' or 'neither' from the cues alone."""
    if cues.has("hortatory") or cues.has("qualifier"):
        return "hortatory"
    if cues.has("binding") or cues.has("negation"):
        return "binding"
    if cues.has("weak"):
        return "weak"
    # "may" in a recital ("recognise that each Party may have its own requirements") or a
    # definition asks nothing of anyone.
    if cues.has("permissive") and not cues.has("definition") and not cues.has("recital"):
        return "hortatory"
    return "neither"


def commits_to_something(cues: ModalityCues) -> bool:
    """A binding, weak or hortatory sentence that is not a definition ("... means ...")."""
    return rule_class(cues) != "neither" and not cues.has("definition")

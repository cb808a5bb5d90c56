"""Modality of a paragraph: binding, weak, hortatory or neither, by spaCy Matcher rules.

The cue phrases live in `data/modality_<lang>.json`; each becomes a token pattern over
lower-cased tokens, '*' standing for up to four tokens, so "shall, where appropriate,
endeavour" is caught by "shall * endeavour". A binding or permissive match that lies inside
a weak, hortatory or negation match is not counted again ("shall" in "shall endeavour").

The rule class (`rule_class`) follows the taxonomy: a qualifier attached to a commitment
("to the extent possible", "subject to its laws") makes it hortatory; "shall cooperate"
alone is weak; an unqualified "shall" or a prohibition is binding; recitals, definitions and
text without a modal verb are neither. The counts also feed the trained paragraph model
(`pipeline.classify.paragraph_model`), which learns where the annotators depart from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.matcher import Matcher, PhraseMatcher

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
    """spaCy matchers for cue phrases: a PhraseMatcher for plain phrases and a token Matcher for
    phrases with '*' gaps (and token rules such as Spanish future-tense endings).

    The PhraseMatcher costs one hash lookup per token whatever the number of phrases; the token
    Matcher costs per pattern and token, so only the few phrases that need it go there."""

    def __init__(self, nlp: spacy.language.Language, phrases_by_key: dict[str, list[str]]) -> None:
        self.strings = nlp.vocab.strings
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tokens = Matcher(nlp.vocab)
        for key, phrases in phrases_by_key.items():
            plain = [p for p in phrases if "*" not in p]
            gapped = [p for p in phrases if "*" in p]
            if plain:
                self.phrases.add(key, list(nlp.tokenizer.pipe(plain)))
            if gapped:
                self.tokens.add(key, [pattern for phrase in gapped for pattern in token_patterns(nlp, phrase)])

    def add_token_rule(self, key: str, pattern: list[dict]) -> None:
        self.tokens.add(key, [pattern])

    def __call__(self, doc) -> list[tuple[str, int, int]]:
        found = [*self.phrases(doc), *(self.tokens(doc) if len(self.tokens) else ())]
        return [(self.strings[match_id], start, end) for match_id, start, end in found]


def token_patterns(nlp: spacy.language.Language, phrase: str) -> list[list[dict]]:
    """The Matcher patterns of one cue phrase, tokenised as texts are ("co-operate" splits);
    '*' becomes a gap of 0 to 4 tokens of any kind, one pattern per length."""
    words = [t.text for t in nlp.make_doc(phrase.replace("*", " * ")) if not t.is_space]
    patterns: list[list[dict]] = [[]]
    for word in words:
        if word == "*":
            patterns = [pattern + [{}] * gap for pattern in patterns for gap in range(_GAP + 1)]
        else:
            patterns = [pattern + [{"LOWER": word}] for pattern in patterns]
    return patterns


@cache
def _matcher(lang: str) -> tuple[spacy.language.Language, PhraseRules]:
    code = lexicon_language(lang)
    nlp = spacy.blank(code)
    data = _load(f"modality_{code}.json")
    rules = PhraseRules(nlp, {kind: data.get(kind, []) for kind in KINDS})
    suffixes = data.get("binding_suffixes")
    if suffixes:
        rules.add_token_rule("binding", [{"LOWER": {"REGEX": "(" + "|".join(suffixes) + ")$"}, "IS_ALPHA": True,
                                          "LENGTH": {">=": 6}}])
    return nlp, rules


def modality_cues(texts: Sequence[str], lang: str | None = "en") -> list[ModalityCues]:
    """The cue counts of each text (one paragraph each)."""
    nlp, matcher = _matcher(lexicon_language(lang))
    results = []
    for doc in nlp.tokenizer.pipe(texts, batch_size=256):
        spans = matcher(doc)
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
        results.append(ModalityCues(counts))
    return results


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

"""Concept patterns: a label's topic as two ideas near each other in one clause.

The cue phrases (data/lexicon_*.json) are the wordings of the annotated agreements, matched
exactly. The trained model leans on them (a label's own cue count is its heaviest feature), so
an agreement that drafts a known commitment in new words got nothing: "A Party shall not
prohibit ... the transfer of information across its borders by electronic means" scored 0.01
for `cross_border_data_flows`, because the lexicon says "across borders by electronic means".
The patterns in data/concepts_*.json pair the two ideas a clause on the topic needs ("transfer
of information" and "across its borders"), with a bounded gap that stays inside the clause.
From model features 9 on, each match counts as a cue of its label.

A regular expression with a leading alternation is tried at every position of the text, so
each pattern has `needs`: literal strings (one of each group) that its matches contain. One
Aho-Corasick pass finds which literals a text holds; a pattern whose needs are not met is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import ahocorasick

from pipeline.nlp.lexicon import _load, lexicon_language
from pipeline.nlp.screen import normalise_whitespace


@dataclass(frozen=True, slots=True)
class ConceptPattern:
    needs: tuple[frozenset[str], ...]  # one literal of each group must occur in the lower-cased text
    pattern: re.Pattern[str]

    def count(self, lowered: str, present: set[str]) -> int:
        """Matches in `lowered`, whose literals among all patterns' needs are `present`."""
        for group in self.needs:
            if present.isdisjoint(group):
                return 0
        return len(self.pattern.findall(lowered))


@dataclass(frozen=True, slots=True)
class ConceptPatterns:
    by_label: dict[str, tuple[ConceptPattern, ...]]
    literals: ahocorasick.Automaton  # every literal of every pattern's needs

    def present(self, lowered: str) -> set[str]:
        return {literal for _end, literal in self.literals.iter(lowered)}


@cache
def concept_patterns(lang: str) -> ConceptPatterns:
    """The concept patterns of a language, by label id."""
    data = _load(f"concepts_{lexicon_language(lang)}.json")
    by_label = {label: tuple(ConceptPattern(tuple(frozenset(group) for group in entry["needs"]), re.compile(entry["pattern"]))
                             for entry in entries)
                for label, entries in data.items()}
    automaton = ahocorasick.Automaton()
    for patterns in by_label.values():
        for literal in {literal for p in patterns for group in p.needs for literal in group}:
            automaton.add_word(literal, literal)
    automaton.make_automaton()
    return ConceptPatterns(by_label, automaton)


def concept_counts(text: str, lang: str | None) -> dict[str, int]:
    """Label id -> how many times its concept patterns match the text (labels with none left out)."""
    patterns = concept_patterns(lexicon_language(lang))
    lowered = normalise_whitespace(text).lower()
    present = patterns.present(lowered)
    found: dict[str, int] = {}
    if not present:
        return found
    for label, label_patterns in patterns.by_label.items():
        hits = 0
        for pattern in label_patterns:
            hits += pattern.count(lowered, present)
        if hits:
            found[label] = hits
    return found

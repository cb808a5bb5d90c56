"""Concept patterns: a label's topic as two ideas near each other in one clause.

The cue phrases (data/lexicon_*.json) are the wordings of the annotated agreements, matched
exactly. The trained model leans on them (a label's own cue count is its heaviest feature), so
an agreement that drafts a known commitment in new words got nothing: "A Party shall not
prohibit ... the transfer of information across its borders by electronic means" scored 0.01
for `cross_border_data_flows`, because the lexicon says "across borders by electronic means".
The patterns in data/concepts_*.json pair the two ideas a clause on the topic needs ("transfer
of information" and "across its borders"), with a bounded gap that stays inside the clause.
From model features 9 on, each match counts as a cue of its label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from pipeline.nlp.lexicon import _load, lexicon_language
from pipeline.nlp.screen import normalise_whitespace


@cache
def concept_patterns(lang: str) -> dict[str, tuple[re.Pattern[str], ...]]:
    """Label id -> its compiled concept patterns for a language."""
    data = _load(f"concepts_{lexicon_language(lang)}.json")
    return {label: tuple(re.compile(p) for p in patterns) for label, patterns in data.items()}


def concept_counts(text: str, lang: str | None) -> dict[str, int]:
    """Label id -> how many times its concept patterns match the text (labels with none left out)."""
    lowered = normalise_whitespace(text).lower()
    found: dict[str, int] = {}
    for label, patterns in concept_patterns(lexicon_language(lang)).items():
        hits = sum(len(p.findall(lowered)) for p in patterns)
        if hits:
            found[label] = hits
    return found


def concept_counts_many(texts: Sequence[str], langs: Sequence[str | None]) -> list[dict[str, int]]:
    return [concept_counts(text, lang) for text, lang in zip(texts, langs)]

"""Rule-based bindingness (hard / soft / mixed) of a provision, per the taxonomy.

Each clause (sentence or numbered paragraph) is soft when it carries a hortatory cue or a
qualifier, hard when it carries an unqualified binding cue, and neutral otherwise. "Shall
cooperate" alone is binding in form but weak in content: it counts as hard only when the
provision also carries another binding commitment.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.model import Bindingness
from pipeline.nlp.lexicon import bindingness_cues

_CLAUSE_SPLIT = re.compile(r"(?<=[.;:])\s+|\n\s*\n|\n(?=\s*(?:\(?[a-z0-9]{1,4}[.)]))")


@cache
def _cue_patterns(lang: str) -> dict[str, re.Pattern[str]]:
    cues = bindingness_cues(lang)
    return {
        kind: re.compile(r"\b(?:" + "|".join(re.escape(c) for c in sorted(phrases, key=len, reverse=True)) + r")\b")
        for kind, phrases in cues.items()
    }


def clause_kind(clause: str, lang: str = "en") -> str | None:
    """'soft', 'hard', 'cooperate' or None for one clause."""
    lowered = clause.lower()
    patterns = _cue_patterns(lang)
    if patterns["soft"].search(lowered):
        return "soft"
    if patterns["cooperate_only"].search(lowered):
        # A clause whose only binding verb is "shall cooperate" is weak.
        remainder = patterns["cooperate_only"].sub(" ", lowered)
        return "hard" if patterns["hard"].search(remainder) else "cooperate"
    if patterns["hard"].search(lowered):
        return "hard"
    return None


def clause_kinds(text: str, lang: str = "en") -> list[str]:
    """The kind of every clause that carries a cue, in order."""
    kinds = (clause_kind(clause, lang) for clause in _CLAUSE_SPLIT.split(text) if clause.strip())
    return [kind for kind in kinds if kind is not None]


def provision_bindingness(text: str, lang: str = "en") -> Bindingness:
    """Hard, soft or mixed for the whole provision text."""
    kinds = set(clause_kinds(text, lang))
    has_hard = "hard" in kinds
    has_soft = "soft" in kinds or ("cooperate" in kinds and not has_hard)
    if has_hard and has_soft:
        return "mixed"
    if has_hard:
        return "hard"
    return "soft"

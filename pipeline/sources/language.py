"""Guess the language of an agreement text from its commonest function words.

Agreements are long and formal, so counting a few dozen stop words per language separates
English, Spanish, French, Portuguese, German and Italian reliably without a model.
"""

from __future__ import annotations

import re
from collections import Counter

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the of and to in shall be or any this that for with by as party parties such".split()),
    "es": frozenset("de la el los las y en que del por para con se una su sus partes cada lo".split()),
    "fr": frozenset("de la le les et des du en que pour par une au aux sur est sont chaque ou".split()),
    "pt": frozenset("de o os as e do da dos das em que para com uma por cada não ao pelo".split()),
    "de": frozenset("der die das und zu den von mit des dem im ist sich eine nicht auf für".split()),
    "it": frozenset("di il la e che le dei delle per con una del della gli nel alla ogni".split()),
}
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str, *, sample_chars: int = 200_000) -> str | None:
    """ISO 639-1 code of the most likely language, or None when the text is too short to tell."""
    words = [w.lower() for w in _WORD.findall(text[:sample_chars])]
    if len(words) < 20:
        return None
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    ranked = sorted(scores.values(), reverse=True)
    # Demand a clear winner: shared words ("de", "la") must not decide alone.
    if ranked[0] < 0.1 * len(words) or ranked[0] < 1.2 * ranked[1]:
        return None
    return best

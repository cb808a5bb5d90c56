"""English words the source text ran together, split again before the classifier reads them.

Where a PDF sets its words tight, text extraction loses the spaces between them. Eight ToTA
agreements (most of them Japanese economic partnership agreements) lose them in 2 to 6% of their
words: "the progress made in realizingpaperless trading", "a Partyshallnot impose
customsdutiesonelectronic transmissions". No cue phrase, n-gram or rule sees "paperless" or
"customs duties" there, so those agreements got fewer labels, and their bindingness was read
from the words that happened to survive.

A run of letters is split when it is not an English word, or a rare one (the web counts of
glued pairs such as "theother" or "crossborder" are low but not zero), and wordsegment's
unigram and bigram model splits it into common English words only: "theParties" becomes
"the Parties", while "CARIFORUM" ("car i forum"), "rectifications" ("rectification s") and
foreign words stay as they are. Words of the project's own lexicons ("fintech", "ecommerce")
are never split. Only the classifier's copy of a text is changed: the stored text, and every
offset into it, stays as the source has it. Spanish text is left alone (wordsegment is English).
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from importlib import resources

import wordsegment

# A run of letters long enough to hold two words ("aparty" is the shortest that occurs).
_RUN = re.compile(r"[A-Za-z]{6,}")
# A run more frequent than this in wordsegment's web counts is a word in its own right
# ("cannot", "thereto", "forgoing"); below it, most runs in treaty text are glued pairs.
_RARE_WORD = 60_000
# Each part of a split must be at least this common (about the 26,000 most frequent words), or
# a word of the lexicons ("paperless"), so that a rare or foreign word is not cut into
# fragments ("fusion able", "hand tekening").
_COMMON_PART = 1_000_000


@cache
def _model() -> tuple[dict[str, float], frozenset[str]]:
    """wordsegment's unigram counts (loaded once: half a second) and the lexicons' own words."""
    wordsegment.load()
    return wordsegment.UNIGRAMS, _lexicon_words()


def _lexicon_words() -> frozenset[str]:
    """Every run of letters in the project's phrase lists (pipeline/nlp/data/*.json)."""
    words: set[str] = set()
    for entry in resources.files("pipeline.nlp").joinpath("data").iterdir():
        if entry.name.endswith(".json"):
            words.update(match.lower() for match in _RUN.findall(json.dumps(json.loads(entry.read_text("utf-8")),
                                                                             ensure_ascii=False)))
    return frozenset(words)


@lru_cache(maxsize=65_536)
def split_word(word: str) -> tuple[str, ...]:
    """`word` (a run of letters) as the words it is made of; `(word,)` when it is one word."""
    unigrams, protected = _model()
    lower = word.lower()
    if lower in protected or unigrams.get(lower, 0.0) >= _RARE_WORD:
        return (word,)
    parts = wordsegment.segment(lower)
    if len(parts) < 2 or not all(_is_word(part, unigrams, protected) for part in parts):
        return (word,)
    # wordsegment lower-cases; cut the original at the same places to keep its capitals.
    pieces, start = [], 0
    for part in parts:
        pieces.append(word[start:start + len(part)])
        start += len(part)
    return tuple(pieces)


def _is_word(part: str, unigrams: dict[str, float], lexicon: frozenset[str]) -> bool:
    if part in lexicon:
        return True
    return (len(part) >= 2 or part == "a") and unigrams.get(part, 0.0) >= _COMMON_PART


def split_run_together_words(text: str) -> str:
    """`text` with every run-together run of English words split at the spaces it lost."""
    return _RUN.sub(lambda match: " ".join(split_word(match.group())), text)

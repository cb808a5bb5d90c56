"""Decide whether a hyphen at a line end belongs to the word or only to the line break.

A typesetter's soft break ("agree-/ment") must be joined; a compound broken at its own hyphen
("cross-/border") must keep it. Nothing on the page tells them apart, so the decision uses the
document itself as the dictionary: a form seen elsewhere in running text wins. Word processors
(which produce most agreement PDFs) do not hyphenate at all, so when the document gives no
evidence, a split whose halves are both words is taken as a compound.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Prefixes that are written with a hyphen far more often than closed up.
_HYPHEN_PREFIXES = frozenset("non self cross quasi semi anti co ex multi post pre re sub ultra".split())
_STEM = 4  # shortest shared beginning that makes a fragment "look like" a known word


@dataclass(frozen=True, slots=True)
class Vocabulary:
    counts: Counter[str]  # words and hyphenated compounds of running text, lower-cased
    stems: frozenset[str]  # beginnings of those words, to recognise "exported" from "export"

    def get(self, word: str, default: int = 0) -> int:
        return self.counts.get(word, default)

    def word_like(self, word: str) -> bool:
        """Seen, or shares its beginning with a word seen ("owned" with "ownership")."""
        if self.counts.get(word, 0):
            return True
        return len(word) >= _STEM and word[: max(_STEM, len(word) - 3)] in self.stems


def build_vocabulary(lines: Iterable[str]) -> Vocabulary:
    """Count lower-cased words and hyphenated compounds of running text.

    The fragments on either side of a line-end hyphen are left out: they are what is being
    decided, and counting "agree" and "ment" as words would bias the decision.
    """
    vocab: Counter[str] = Counter()
    skip_first = False
    for line in lines:
        words = _WORD.findall(line)
        ends_hyphen = line.rstrip().endswith(("-", "\ufffe"))
        start = 1 if skip_first else 0
        stop = len(words) - 1 if ends_hyphen else len(words)
        for word in words[start:stop]:
            word = word.lower()
            vocab[word] += 1
            if "-" in word:
                for part in word.split("-"):
                    vocab[part] += 1
        skip_first = ends_hyphen
    stems = {word[:n] for word in vocab if "-" not in word for n in range(_STEM, len(word) + 1)}
    return Vocabulary(vocab, frozenset(stems))


def keep_hyphen(head: str, tail: str, vocab: Vocabulary) -> bool:
    """True when "head-" + "tail" (split across lines) is a hyphenated compound."""
    head_word = _last_word(head)
    tail_word = _first_word(tail)
    if not head_word or not tail_word:
        return True
    if head_word[-1].isdigit() or tail_word[0].isupper() and not head_word.isupper():
        return True  # "Non-/Agricultural", "2-/3": never a soft break ("TRANSITIO-/NAL" may be)
    h, t = head_word.lower(), tail_word.lower()
    hyphenated, joined = vocab.get(f"{h}-{t}", 0), vocab.get(h + t, 0)
    if hyphenated or joined:
        return hyphenated >= joined
    if h in _HYPHEN_PREFIXES and vocab.word_like(t):
        return True  # "non-/discriminatory", "re-/exported"
    # A word and a word-like half: "state-/owned"; a soft break leaves "impa-/rtial".
    return vocab.get(h, 0) > 0 and vocab.word_like(t)


def _last_word(text: str) -> str:
    match = re.search(r"([^\W_]+)\W*$", text)
    return match.group(1) if match else ""


def _first_word(text: str) -> str:
    match = re.match(r"\W*([^\W_]+)", text)
    return match.group(1) if match else ""

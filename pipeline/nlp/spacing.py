"""English words the source text ran together, split again before the classifier reads them.

Where a PDF sets its words tight, text extraction loses the spaces between them. Eight ToTA
agreements (most of them Japanese economic partnership agreements) lose them in 2 to 6% of their
words: "the progress made in realizingpaperless trading", "a Partyshallnot impose
customsdutiesonelectronic transmissions". No cue phrase, n-gram or rule sees "paperless" or
"customs duties" there, so those agreements got fewer labels, and their bindingness was read
from the words that happened to survive.

A run of letters is split when it is not an English word, or a rare one (the web counts of
glued pairs such as "theother" or "betweenthe" are low but not zero), and its most likely
segmentation under wordsegment's English word counts is into common English words only:
"theParties" becomes "the Parties", while "CARIFORUM" ("car i forum"), "rectifications"
("rectification s"), rare words ("governmentally") and most foreign words ("handtekening") stay as
they are. Words of the project's own lexicons ("fintech", "paperless") are never split and count as
common. Only the classifier's copy of a text is changed: the stored text, and every offset into it,
stays as the source has it. Spanish text is left alone (the counts are English).

What it still gets wrong (features 12, which model 1.12.0 was trained with, so kept as it is): a run
is a run of ASCII letters, so a word with an accented letter is judged by its ASCII part
("Communauté" is read "Commun auté", "Flämische" "Flämisc he"); and a foreign word that happens to
segment into common English words is cut ("inaudita" becomes "in audit a", "fusionable" "fusion
able", "Comunitatea" "com unit a tea"). Over the screened ToTA articles, 376 English texts change;
in ToTA these words stand in the multilingual signature blocks of EU agreements and in the Latin
"inaudita altera parte" of IP enforcement articles. A next model's features should bound a run by
any letter and refuse such cuts.

Why a dynamic program here rather than `wordsegment.segment`: over the 5,443 screened ToTA articles
`segment` took 5.1 s, twenty times the rest of the classifier's text preparation, because it
recurses over every prefix with its bigram back-off. The same unigram scoring over wordsegment's
counts, computed bottom-up, reads the 2,568 rare runs of those articles as `segment` does but for
25 (it keeps "crossborder", which only the bigram "cross border" splits), in about a tenth of the
time (benchmarks/classify_tota.py measures the whole classification).
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import re
import string
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources

import ahocorasick
import wordsegment
from spacy.lang.en.stop_words import STOP_WORDS

# A run of letters long enough to hold two words ("aparty" is the shortest that occurs).
_RUN = re.compile(r"[A-Za-z]{6,}")
# A run more frequent than this in wordsegment's web counts is a word in its own right
# ("cannot", "thereto", "forgoing"); below it, most runs in treaty text are glued pairs.
_RARE_WORD = 60_000
# Each part of a split must be at least this common (about the 26,000 most frequent words), or
# a word of the lexicons ("paperless"), so that a rare or foreign word is not cut into
# fragments ("fusion able", "hand tekening").
_COMMON_PART = 1_000_000
_LETTERS = frozenset(string.ascii_letters)
_SHORT_WORDS = frozenset(word for word in STOP_WORDS if len(word) <= 2 and word.isalpha() and word != "i")
# The longest piece a segmentation considers (wordsegment's own limit).
_LONGEST_PIECE = wordsegment.Segmenter.LIMIT


class WordCounts:
    """wordsegment's unigram counts, read as ranks: the file lists its 333,213 words from the most
    frequent down, so a word's rank says whether it is frequent or common without converting
    every count (which costs more than reading the file)."""

    def __init__(self) -> None:
        with open(wordsegment.Segmenter.UNIGRAMS_FILENAME, encoding="utf-8") as file:
            fields = file.read().split()
        self._counts = fields[1::2]  # as text; converted when a piece is scored
        self.rank = dict(zip(fields[0::2], range(len(self._counts))))
        by_count = lambda count: -float(count)  # noqa: E731
        self.frequent_until = bisect.bisect_left(self._counts, -_RARE_WORD, key=by_count)
        self.common_until = bisect.bisect_left(self._counts, -_COMMON_PART, key=by_count)
        self.lexicon = _lexicon_words()
        self.log_total = math.log(wordsegment.Segmenter.TOTAL)
        self._log_probability: dict[str, float] = {}

    def is_word(self, word: str) -> bool:
        """A word in its own right: frequent, or one of the lexicons'."""
        return self.rank.get(word, self.frequent_until) < self.frequent_until or word in self.lexicon

    def is_common(self, word: str) -> bool:
        """A word a split may produce: a common word of three letters or more, a word of the
        lexicons, or a short English function word ("a", "of", "to"; spaCy's stop words). The web
        counts many two-letter strings ("tu", "et", "na") that are no English words, and with them
        the words of the foreign-language signature blocks split into fragments."""
        if word in self.lexicon:
            return True
        if len(word) <= 2:
            return word in _SHORT_WORDS
        return self.rank.get(word, self.common_until) < self.common_until

    def log_probability(self, word: str) -> float | None:
        """The log of a known word's share of wordsegment's total count (a word of the lexicons that
        the web counts rarely as likely as a common one); None for a word it does not know."""
        score = self._log_probability.get(word)
        if score is None:
            rank = self.rank.get(word)
            if rank is None and word not in self.lexicon:
                return None
            count = float(self._counts[rank]) if rank is not None else 0.0
            if word in self.lexicon:
                count = max(count, _COMMON_PART)
            score = self._log_probability[word] = math.log(count) - self.log_total
        return score


@cache
def word_counts() -> WordCounts:
    return WordCounts()


def _lexicon_words() -> frozenset[str]:
    """Every run of letters in the project's phrase lists (pipeline/nlp/data/*.json)."""
    words: set[str] = set()
    for entry in resources.files("pipeline.nlp").joinpath("data").iterdir():
        if entry.name.endswith(".json"):
            text = json.dumps(json.loads(entry.read_text("utf-8")), ensure_ascii=False)
            words.update(match.lower() for match in _RUN.findall(text))
    return frozenset(words)


def _most_likely_pieces(word: str, counts: WordCounts) -> list[str]:
    """The segmentation of `word` (lower case) into known words with the highest product of
    unigram probabilities; `[word]` when it has none. A piece wordsegment does not know scores so
    low (10 / (total * 10 ** length)) that its reading would only win where no known word fits, and
    such a reading is refused anyway (its parts must all be common words)."""
    known, lexicon, score = counts.rank, counts.lexicon, counts.log_probability
    length = len(word)
    best = [0.0] + [-math.inf] * length
    start_of = [0] * (length + 1)
    for start in range(length):  # every piece ending at `start` came before: best[start] is final
        base = best[start]
        if base == -math.inf:
            continue
        for end in range(start + 1, min(length, start + _LONGEST_PIECE) + 1):
            piece = word[start:end]
            if piece in known or piece in lexicon:
                candidate = base + score(piece)
                if candidate > best[end]:
                    best[end], start_of[end] = candidate, start
    if best[-1] == -math.inf:
        return [word]
    pieces, end = [], length
    while end > 0:
        pieces.append(word[start_of[end]:end])
        end = start_of[end]
    return pieces[::-1]


@lru_cache(maxsize=65_536)
def split_word(word: str) -> tuple[str, ...]:
    """`word` (a run of letters) as the words it is made of; `(word,)` when it is one word."""
    counts = word_counts()
    lower = word.lower()
    if counts.is_word(lower):
        return (word,)
    parts = _most_likely_pieces(lower, counts)
    if len(parts) < 2 or not all(counts.is_common(part) for part in parts):
        return (word,)
    # Cut the original at the same places, to keep its capitals.
    pieces, start = [], 0
    for part in parts:
        pieces.append(word[start:start + len(part)])
        start += len(part)
    return tuple(pieces)


def split_run_together_words(texts: Sequence[str]) -> list[str]:
    """Each text with every run-together run of English words split at the spaces it lost.

    Few texts hold such a run, and the screened ToTA articles hold half a million runs of letters:
    calling anything per run, or even finding the runs of every text with a regex, costs more than
    the splitting. So the runs are found once in the texts' distinct whitespace-separated tokens,
    each distinct run is judged once, a pyahocorasick automaton of the runs that split finds the
    tokens that hold one, and only the texts with such a token are rewritten."""
    counts = word_counts()
    lowered = [text.lower() for text in texts]
    tokens_of = [low.split() for low in lowered]
    distinct = list(set(itertools.chain.from_iterable(tokens_of)))
    joined = " ".join(distinct)
    splitting = [run for run in set(_RUN.findall(joined)) if not counts.is_word(run) and len(split_word(run)) > 1]
    if not splitting:
        return list(texts)
    automaton = ahocorasick.Automaton()
    for run in splitting:
        automaton.add_word(run, run)
    automaton.make_automaton()
    token_starts = list(itertools.accumulate((len(token) + 1 for token in distinct[:-1]), initial=0))
    # The tokens in which a splitting run stands whole (a run found inside a longer run of letters
    # is not split there), so that only the texts that change are rewritten.
    holding = {distinct[bisect.bisect_right(token_starts, last) - 1] for last, run in automaton.iter(joined)
               if _stands_whole(joined, last + 1 - len(run), last)}
    return [_split_found_runs(text, automaton) if not holding.isdisjoint(tokens) else text
            for text, tokens in zip(texts, tokens_of)]


def _stands_whole(text: str, start: int, last: int) -> bool:
    """Whether text[start:last + 1] is not part of a longer run of (ASCII) letters."""
    return not ((start > 0 and text[start - 1] in _LETTERS) or text[last + 1:last + 2] in _LETTERS)


def _split_found_runs(text: str, automaton: ahocorasick.Automaton) -> str:
    """`text` with the automaton's runs split where they stand as whole runs of letters."""
    lowered = text.lower()
    if len(lowered) != len(text):  # lower() changed the length (a rare Unicode letter): no offsets
        return _RUN.sub(lambda match: " ".join(split_word(match.group())), text)
    pieces, done = [], 0
    for last, run in automaton.iter(lowered):
        start = last + 1 - len(run)
        if start < done or not _stands_whole(text, start, last):
            continue
        pieces += [text[done:start], " ".join(split_word(text[start:last + 1]))]
        done = last + 1
    return "".join(pieces) + text[done:] if pieces else text

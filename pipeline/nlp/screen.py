"""Fast screening: which articles could be about cyberspace at all.

Running spaCy or the TF-IDF model over all seven million words of ToTA would cost more than
the rest of a refresh together. Both screens lower-case the text once and run an
Aho-Corasick automaton: one linear pass, about 4x faster than the same literals compiled as a
trie regex and 50x faster than a plain regex alternation. The corpus screen, which reads all 48
million characters of ToTA, uses ahocorasick_rs's DFA on the raw text (half the time of
pyahocorasick over whitespace-normalised text, the same answers: tests/test_screen.py); the
phrase screens, which read only the screened articles, use pyahocorasick.

- `could_be_cyber`: the trained classifier's screen, a few dozen stems chosen so that
  (nearly) every provision the annotators labelled passes (tests/test_annotations.py),
  while most of the corpus (tariffs, rules of origin, SPS, ...) does not.
- `PhraseScreen`: an exact pre-screen for the spaCy phrase matchers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick
import ahocorasick_rs

# Literal, lower-case stems. Both accent variants are listed where Spanish text drops accents.
SCREEN_STEMS: tuple[str, ...] = (
    "electr", "digital", "privacy", "privacidad", "intimidad", "personal", "comput", "informátic", "informatic",
    "internet", "online", "on-line", "en línea", "en linea", "cyber", "ciber", "spam", "unsolicited", "no solicitad",
    "no deseado", "software", "source code", "código fuente", "codigo fuente", "códigos fuente",
    "algorithm", "algoritm", "crypt", "cripto", "cifrad", "encript", "single window", "ventanilla única",
    "ventanilla unica", "automat", "automatiz", "caching", "hosting", "interoperab",
    "fintech", "sandbox", "artificial intelligence", "inteligencia artificial", "paperless", "sin papel", "e-commerce",
    "malicious", "malicioso", "information society", "information security", "information technolog",
    "information and communication", "information flow", "flow of information", "flows of information",
    "transfer of information", "transfers of information", "movement of information", "government information",
    "public sector information", "información gubernamental", "información personal", "sociedad de la informaci",
    "tecnologías de la informaci", "tecnologias de la informaci", "tecnología de la informaci",
    "tecnologia de la informaci", "dentro y fuera de su territorio", "end-user devices", "dispositivos de usuario",
    "service provider", "mere conduit", "monitoring obligation", "obligation to monitor", "notice and take",
    "notice-and-take", "trade administration", "administración del comercio", "pre-arrival", "network",
    "high-tech", "high technology", "financial technology", "tecnología financiera", "adequate level of protection",
    "localisation", "localization", "individual records", "affairs and accounts", "information system",
    "services and applications", "databas", "base de datos", "bases de datos", "compilations of data",
    "compilaciones de datos", "sui generis", "telecommunication", "telecomunicaci", "communications technolog",
    "informationtechnolog", "individual customers", "clientes individuales", "interconnection", "link-up",
    # Linking customs transit systems is paperless trading (corpora/annotations/README.md).
    "transit system", "transit arrangement", "sistemas de tránsito", "sistemas de transito",
)
# Short words that must stand alone ("ict" must not fire inside "strict").
SCREEN_WORDS: tuple[str, ...] = ("ict", "tic", "xiv", "data", "datos", "gats")


@dataclass(frozen=True, slots=True)
class _ScreenPattern:
    """What a literal of the screen's automaton means where it occurs in a lower-cased text."""

    passes: bool  # a stem without a space: the text passes wherever it occurs
    alone: bool  # a short word: the text passes where it stands alone
    piece: int | None  # a word of stems of several words: its bit in `_SpacedStems.needs`


@dataclass(frozen=True, slots=True)
class _SpacedStems:
    """The stems of several words, and for each the bits of the words it cannot occur without."""

    needs: tuple[int, ...]
    automaton: ahocorasick_rs.AhoCorasick  # the stems themselves, for the normalised text

    def could_occur(self, found: int) -> bool:
        """Whether all the words of some stem are among `found` (bits)."""
        return _all_words_of_some_stem(self.needs, found)

    def occur(self, lowered_normalised: str) -> bool:
        return any(True for _ in _windowed_matches(self.automaton, lowered_normalised))


@lru_cache(maxsize=65_536)
def _all_words_of_some_stem(needs: tuple[int, ...], found: int) -> bool:
    # Cached: the articles share a few hundred combinations of words (bounded: a hostile corpus
    # could hold more).
    return any(need & found == need for need in needs)


# Characters searched at a time. ahocorasick_rs returns a window's matches as one list: a hostile
# article of one short word repeated for 64 MB would otherwise be a list of millions of tuples.
_WINDOW = 1 << 20
# Longer than any screen literal: the windows overlap by this much, so no match is cut in two.
_OVERLAP = 64


def _windowed_matches(automaton: ahocorasick_rs.AhoCorasick, text: str) -> Iterator[tuple[int, int, int]]:
    """(pattern index, start, end) of every match in `text`, overlapping ones included, a window at
    a time (a match in two windows' overlap comes twice)."""
    for offset in range(0, max(len(text), 1), _WINDOW):
        window = text[offset:offset + _WINDOW + _OVERLAP]
        for index, start, end in automaton.find_matches_as_indexes(window, overlapping=True):
            yield index, start + offset, end + offset


# A word of a stem of several words shorter than this is not looked for: "of", "de" and "la"
# occur in every article. Every such stem has a longer word.
_MIN_PIECE = 4


@cache
def _screen_automaton() -> tuple[ahocorasick_rs.AhoCorasick, tuple[_ScreenPattern, ...], _SpacedStems]:
    """One automaton over the raw lower-cased text: the stems without a space, the short words,
    and the longer words of the stems of several words. Normalising the whitespace of every
    article first cost as much as the search itself (the corpus is 48 million characters, most
    of them in articles no stem occurs in), and only a stem of several words needs it: such a stem
    occurs in the normalised text only where each of its words occurs in the raw text."""
    spaced = [stem for stem in SCREEN_STEMS if " " in stem]
    bits = {word: 1 << k for k, word in enumerate(sorted({w for s in spaced for w in s.split() if len(w) >= _MIN_PIECE}))}
    needs = tuple(sum(bits[w] for w in set(stem.split()) if w in bits) for stem in spaced)
    if not all(needs):
        raise ValueError(f"every screen stem of several words needs a word of {_MIN_PIECE} letters or more")
    if max(map(len, SCREEN_STEMS + SCREEN_WORDS)) > _OVERLAP:
        raise ValueError(f"a screen literal is longer than the windows' overlap ({_OVERLAP})")
    passes = {stem for stem in SCREEN_STEMS if " " not in stem}
    patterns = sorted(passes | set(SCREEN_WORDS) | set(bits))
    meanings = tuple(_ScreenPattern(p in passes, p in SCREEN_WORDS, bits.get(p)) for p in patterns)
    # A DFA explicitly: for this many patterns the library's default picks an NFA, 2.4x slower here.
    automaton = ahocorasick_rs.AhoCorasick(patterns, implementation=ahocorasick_rs.Implementation.DFA)
    return (automaton, meanings,
            _SpacedStems(needs, ahocorasick_rs.AhoCorasick(spaced)))


def stands_alone(text: str, end: int, length: int) -> bool:
    start = end - length + 1
    before = text[start - 1] if start > 0 else " "
    after = text[end + 1] if end + 1 < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def could_be_cyber(text: str) -> bool:
    """True when the text contains any stem that a cyber cue could start from.

    Whitespace counts as collapsed: ToTA keeps the printed line breaks, and "accounts of individual
    \n customers" must still match "individual customers"."""
    lowered = text.lower()
    automaton, meanings, spaced = _screen_automaton()
    found = 0  # the bits of the words of stems of several words that occur
    for index, start, end in _windowed_matches(automaton, lowered):
        meaning = meanings[index]
        if meaning.passes or (meaning.alone and stands_alone(lowered, end - 1, end - start)):
            return True
        if meaning.piece is not None:
            found |= meaning.piece
    return spaced.could_occur(found) and spaced.occur(normalise_whitespace(lowered))


class PhraseScreen:
    """Exact pre-screen for a phrase matcher: does any phrase occur in the normalised text?

    A token-level match implies the phrase occurs in the whitespace-normalised, lower-cased
    text between non-alphanumeric neighbours, so texts this screen rejects do not match the
    phrases in spaCy (tests/test_screen.py checks this on the corpus).
    """

    def __init__(self, phrases: list[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for phrase in phrases:
            key = normalise_whitespace(phrase.lower())
            self._automaton.add_word(key, key)
        self._automaton.make_automaton()

    def hits(self, lowered_normalised: str) -> bool:
        for end, phrase in self._automaton.iter(lowered_normalised):
            if stands_alone(lowered_normalised, end, len(phrase)):
                return True
        return False


def normalise_whitespace(text: str) -> str:
    """Collapse runs of whitespace (ToTA keeps the line breaks of the printed page)."""
    if is_normalised(text):
        return text
    return " ".join(text.split())


def is_normalised(text: str) -> bool:
    """True when `normalise_whitespace` would return the text as it is. The classifier's rules
    are handed texts normalised already, many times over; checking costs less than half of
    splitting and joining again. Every whitespace character but the space is unprintable
    (tests/test_screen.py checks each code point), so a printable text's only whitespace is
    spaces: single, and neither leading nor trailing, it is normalised."""
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "

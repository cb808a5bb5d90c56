"""Fast screening: which articles could be about cyberspace at all.

Running spaCy or the TF-IDF model over all seven million words of ToTA would cost more than
the rest of a refresh together. Both screens lower-case the text once and run an
Aho-Corasick automaton (pyahocorasick): one linear pass, about 4x faster than the same
literals compiled as a trie regex and 50x faster than a plain regex alternation.

- `could_be_cyber`: the trained classifier's screen, a few dozen stems chosen so that
  (nearly) every provision the annotators labelled passes (tests/test_annotations.py),
  while most of the corpus (tariffs, rules of origin, SPS, ...) does not.
- `PhraseScreen`: an exact pre-screen for the spaCy phrase matchers.
"""

from __future__ import annotations

from functools import cache

import ahocorasick

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


@cache
def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for stem in SCREEN_STEMS:
        automaton.add_word(stem, (stem, False))
    for word in SCREEN_WORDS:
        automaton.add_word(word, (word, True))
    automaton.make_automaton()
    return automaton


def stands_alone(text: str, end: int, length: int) -> bool:
    start = end - length + 1
    before = text[start - 1] if start > 0 else " "
    after = text[end + 1] if end + 1 < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def could_be_cyber(text: str) -> bool:
    """True when the text contains any stem that a cyber cue could start from.

    Whitespace is collapsed first: ToTA keeps the printed line breaks, and "accounts of individual
    \n customers" must still match "individual customers"."""
    lowered = normalise_whitespace(text.lower())
    for end, (stem, whole_word) in _automaton().iter(lowered):
        if not whole_word or stands_alone(lowered, end, len(stem)):
            return True
    return False


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

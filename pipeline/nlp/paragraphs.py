"""Split an article into the paragraphs that bindingness is judged on.

The unit is the article's top-level numbered paragraph ("1.", "2)", "(3)"); lettered
subparagraphs stay inside theirs, because "(a) ...; (b) ..." items share the modal verb of
the sentence that introduces them. Text before the first numbered paragraph (a chapeau or
an unnumbered first paragraph) is a paragraph of its own. An article without at least two
numbered paragraphs is split into sentences instead, so that "... shall ... The Parties
shall endeavour ..." in one unnumbered block still yields one binding and one hortatory
unit.

Offsets are character offsets into the article text, trimmed of surrounding white space,
so `text[p.start:p.end]` is exactly the paragraph as printed. The split is deterministic:
paragraph annotations refer to paragraphs by `index` and check `start` against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# A top-level paragraph number at the start of a line: "1.", "2)", "(3)", "4 " before a capital.
_NUMBERED = re.compile(r"^[ \t]*(?:\((\d{1,2})\)|(\d{1,2})(?:[.)](?!\d)|[ \t](?=[A-ZÁÉÍÓÚÑ])))[ \t]*", re.MULTILINE)
# A paragraph number inside a line, after the sentence before it: "... mutatis mutandis. 2. For
# the purposes ...". Texts whose line breaks were lost (ToTA has ~170 such articles among the
# annotated ones; copied or extracted text has more) still number their paragraphs this way.
_INLINE_NUMBERED = re.compile(r"(?<=[.:;])[ \t]+(?:\((\d{1,2})\)|(\d{1,2})[.)](?!\d))[ \t]+(?=[A-ZÁÉÍÓÚÑ(“\"¿])")
# Sentence ends: . ! ? followed by white space and an upper-case letter, quote or bracket.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-ZÁÉÍÓÚÑ¿“\"(])")
# Tokens before a full stop that do not end a sentence.
_ABBREVIATIONS = frozenset(
    "art arts no nos para paras e.g i.e etc u.s u.k mr ms dr inc ltd co corp vol p pp cf viz sec sr st núm"
    " fig annex ch s.a".split()
)


@dataclass(frozen=True, slots=True)
class Paragraph:
    index: int  # position in the article, from 0
    number: str  # "2" for a numbered paragraph; "" for a chapeau, a sentence or a whole article
    kind: str  # "numbered", "chapeau", "sentence" or "whole"
    start: int
    end: int


def split_paragraphs(text: str) -> tuple[Paragraph, ...]:
    """The paragraphs of one article, in order, covering all of its non-blank text."""
    numbered = _numbered_starts(text)
    if len(numbered) >= 2:
        pieces = []
        if text[: numbered[0][1]].strip():
            pieces.append(("", "chapeau", 0, numbered[0][1]))
        for k, (number, at) in enumerate(numbered):
            stop = numbered[k + 1][1] if k + 1 < len(numbered) else len(text)
            pieces.append((number, "numbered", at, stop))
    else:
        spans = sentence_spans(text)
        kind = "sentence" if len(spans) > 1 else "whole"
        pieces = [("", kind, start, end) for start, end in spans]
    paragraphs = []
    for number, kind, start, end in pieces:
        start, end = _trim(text, start, end)
        if start < end:
            paragraphs.append(Paragraph(len(paragraphs), number, kind, start, end))
    return tuple(paragraphs)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, untrimmed and covering the whole text."""
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text) if _ends_sentence(text, m.start())]
    return [(at, starts[k + 1] if k + 1 < len(starts) else len(text)) for k, at in enumerate(starts)]


def _numbered_starts(text: str) -> list[tuple[str, int]]:
    """Numbers that run 1, 2, 3, ... (anything else is a cross-reference or a list): at the start
    of a line; failing two of those, a line-initial 1 followed by numbers that open a sentence
    inside a line."""
    line_initial = [(int(m.group(1) or m.group(2)), m.start() + len(m.group(0)) - len(m.group(0).lstrip()))
                    for m in _NUMBERED.finditer(text)]
    found = _running(line_initial)
    if len(found) >= 2 or not found:
        return found
    inline = [(int(m.group(1) or m.group(2)), m.end() - len(m.group(0).lstrip()))
              for m in _INLINE_NUMBERED.finditer(text, found[0][1])]
    return _running(sorted(line_initial + inline, key=lambda number_at: number_at[1]))


def _running(numbers: Iterable[tuple[int, int]]) -> list[tuple[str, int]]:
    """The numbers, in text order, that continue the run 1, 2, 3, ..."""
    found: list[tuple[str, int]] = []
    for number, at in numbers:
        if number == len(found) + 1:
            found.append((str(number), at))
    return found


def _ends_sentence(text: str, at: int) -> bool:
    """False when the full stop at `at` closes an abbreviation or a single initial."""
    if text[at - 1 : at] != ".":
        return True
    word = re.search(r"([\w.]+)\.$", text[max(0, at - 12) : at])
    if not word:
        return True
    token = word.group(1).lower()
    return token not in _ABBREVIATIONS and not (len(token) == 1 and token.isalpha()) and not token.isdigit()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


PARAGRAPH_CLASSES: tuple[str, ...] = ("binding", "weak", "hortatory", "neither")


def aggregate_bindingness(classes: Iterable[str]) -> str | None:
    """A provision's hard / soft / mixed from the classes of its paragraphs that carry its labels.

    Taxonomy v1.3: binding next to hortatory is mixed; binding alone is hard; hortatory alone is
    soft. A weak duty ("shall cooperate", "shall consider") is binding in form but weak in
    content: hard only beside another binding commitment (which already makes the provision
    hard or mixed), soft otherwise. Paragraphs that ask nothing (recitals, definitions) do not
    count. None when no paragraph asks anything.
    """
    found = set(classes)
    binding, hortatory = "binding" in found, "hortatory" in found
    if binding and hortatory:
        return "mixed"
    if binding:
        return "hard"
    if hortatory or "weak" in found:
        return "soft"
    return None

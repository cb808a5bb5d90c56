"""Legal-structure parser: running text -> preamble, articles, annexes with offsets and pages.

Shared by every non-XML source. The input is text with one paragraph (or one line of a
hard-wrapped file) per line; the output is one `ParsedArticle` per provision, whose `text`
is exactly `source[char_start:char_end]`.

Headings are recognised by a line that begins with a heading word (pipeline/structure_terms.toml)
and a number. Because the same words open cross-references ("Article 5 of the GATT 1994
applies"), a candidate must also look like a heading:

* the rest of the line is empty, a separator and a title, a bracketed title, or a short
  title-like phrase; a lower-case continuation ("of", ",", "shall") rules it out;
* it starts a block (after a blank line, a heading, a line ending a sentence, or set in bold);
* a candidate that fails the block test is still taken when its number is the one expected
  next (14.11 after 14.10), which is what wrapped cross-references almost never are.

A table of contents lists every heading once before the text does; an article whose number
comes again later with a body, while its own body is empty, is dropped as a contents entry.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

UnitKind = Literal["preamble", "article", "annex", "side_letter", "conclusion", "text"]
HeadingKind = Literal["article", "chapter", "section", "annex", "side_letter", "closing"]

TERMS_FILE = Path(__file__).with_name("structure_terms.toml")
_BIS = r"(?:bis|ter|quater|quinquies|sexies|septies|octies|nonies|novies|decies)"
_ROMAN = r"[IVXLC]+"
_TERMINAL = tuple(".;:!?)]}\"”’»")
_SEPARATORS = ":.–—-)|"
_TOC_TAIL = re.compile(r"\s*(?:\.{3,}|…+|\t)\s*\d*\s*$")
_PARAGRAPH_NO = re.compile(r"^\s*(?:(\d{1,3})\.(?!\d)|\((\d{1,3})\)|\(([a-z]{1,2})\))\s")


@dataclass(frozen=True, slots=True)
class ParsedParagraph:
    number: str  # "1", "2" for numbered paragraphs; "a", "b" for lettered subparagraphs
    level: int  # 1: numbered paragraph, 2: lettered subparagraph
    char_start: int
    char_end: int


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """One provision found in running text."""

    kind: UnitKind
    chapter: str | None  # the chapter's title, else its label ("Chapter 14"); annexes likewise
    chapter_no: str | None
    section: str | None
    article_no: str | None  # the number only: "14.11", "5", "3bis", "1-01", "XXIV"
    article_title: str | None
    text: str  # body without the heading; equal to source[char_start:char_end]
    char_start: int
    char_end: int
    heading_start: int  # where the heading begins (char_start when there is none)
    page_start: int | None = None
    page_end: int | None = None
    paragraphs: tuple[ParsedParagraph, ...] = ()
    # Footnote reference numbers printed on the heading ("Scope3" -> "3"), stripped from the title.
    footnote_refs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    start: int
    end: int
    emphasized: bool


@dataclass(frozen=True, slots=True)
class _Heading:
    kind: HeadingKind
    label: str  # "Article", "CHAPTER", "Annex" as written
    number: str | None
    title: str | None
    line: int  # index of the heading line
    title_lines: int  # lines after the heading line taken up by its title (0 or 1)
    body_on_line: int | None  # offset where body text starts on the heading line, if run in
    refs: tuple[str, ...] = ()  # footnote references glued to the heading's words


# -- terms -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Terms:
    heading: dict[str, re.Pattern[str]]
    closing_always: re.Pattern[str]
    closing_final: re.Pattern[str]
    number_words: dict[str, int]
    verbs: frozenset[str]
    number: str
    connectors: frozenset[str]


def _word_pattern(words: Sequence[str]) -> str:
    # First letter as written (capitalised headings), the rest in any case ("ARTICLE").
    parts = []
    for word in sorted(words, key=len, reverse=True):
        head, tail = re.escape(word[0]), re.escape(word[1:])
        parts.append(f"{head}(?i:{tail})" if tail else head)
    return "|".join(parts)


@lru_cache(maxsize=1)
def _terms() -> _Terms:
    data = tomllib.loads(TERMS_FILE.read_text(encoding="utf-8"))
    number_words = {word: int(value) for value, words in data["numbers"].items() for word in words}
    word = "|".join(sorted((re.escape(w) for w in number_words), key=len, reverse=True))
    words = rf"(?:{word})(?:(?:-|\s+(?:y|et|and)\s+)(?:{word}))*"
    designators = "|".join(re.escape(w) for w in data["heading"]["designators"])
    number = (
        rf"(?:[A-Z]{{1,2}}[-.])?\d+(?:\s?[.\-–]\s?\d+)*(?:er|ER|re|º|°|ª)?"
        rf"(?:[.\-]?[A-Za-z](?![A-Za-z]))?(?:\s?{_BIS})?"
        rf"|{_ROMAN}(?:[.\-](?:\d+|[A-Z](?![A-Za-z])))*(?:\s?{_BIS})?(?![A-Za-z])"
        rf"|[A-Z](?![\w-])"
        rf"|(?i:{words})(?![\w-])"
        rf"|(?i:{designators})(?![\w-])"
    )
    heading = {}
    for kind in ("article", "chapter", "section", "annex"):
        keyword = _word_pattern(data["heading"][kind])
        # "Annex" may stand alone (a single annex); other levels need their number.
        num = rf"(?:\s+(?P<num>{number}))" + ("?" if kind == "annex" else "")
        heading[kind] = re.compile(rf"^(?P<label>{keyword})(?![\w]){num}(?P<rest>.*)$")
    heading["side_letter"] = re.compile(
        rf"^(?P<label>{_word_pattern(data['heading']['side_letter'])})(?![\w])(?P<num>)(?P<rest>.*)$"
    )
    return _Terms(
        heading=heading,
        closing_always=re.compile(rf"^(?:{_word_pattern(data['closing']['always'])})\b"),
        closing_final=re.compile(rf"^(?:{_word_pattern(data['closing']['final'])})\b"),
        number_words=number_words,
        verbs=frozenset(data["words"]["verbs"]),
        number=number,
        connectors=frozenset(w.lower() for w in data["words"]["title_connectors"]),
    )


# -- public entry point ----------------------------------------------------------------------


def looks_like_heading(line: str) -> bool:
    """Does `line` open with a chapter, section, article or annex heading word and a number?
    (For the PDF reader: a heading at a page top is text, not a running header.)"""
    text, _ = _clean(line)
    terms = _terms()
    for kind in ("article", "chapter", "section", "annex"):
        match = terms.heading[kind].match(text)
        if match and match.group("num"):
            return True
    return False


def parse_articles(
    text: str,
    *,
    page_offsets: Sequence[int] | None = None,
    emphasis: Sequence[tuple[int, int]] = (),
) -> list[ParsedArticle]:
    """Find the provisions of an agreement in `text`.

    `page_offsets[i]` is the offset where page i+1 begins (PDFs), used for page ranges.
    `emphasis` lists spans set in bold or as headings (PDF, HTML): evidence for headings.
    """
    lines = _split_lines(text, emphasis)
    headings = _find_headings(lines)
    units = _build_units(text, lines, headings)
    units = _drop_contents_entries(text, units)
    units = _split_closing(text, units)
    return [_finish(text, unit, page_offsets) for unit in units if _keep(unit)]


# -- lines -----------------------------------------------------------------------------------


def _split_lines(text: str, emphasis: Sequence[tuple[int, int]]) -> list[_Line]:
    spans = sorted(emphasis)
    starts = [start for start, _ in spans]
    lines: list[_Line] = []
    offset = 0
    for raw in text.split("\n"):
        start, end = offset, offset + len(raw)
        offset = end + 1
        lines.append(_Line(raw, start, end, _inside(spans, starts, start, end, raw)))
    return lines


def _inside(
    spans: list[tuple[int, int]], starts: list[int], start: int, end: int, raw: str
) -> bool:
    if not spans or not raw.strip():
        return False
    lead = len(raw) - len(raw.lstrip())
    index = bisect_right(starts, start + lead) - 1
    return index >= 0 and spans[index][1] >= start + len(raw.rstrip())


# Page numbers and chapter-page labels of official texts ("12-5", "13A-1", "A-3", "- 4 -",
# "Page 3 of 9"): page furniture that a reader may leave in the text between two pages.
_PAGE_FURNITURE = re.compile(
    r"^[\W_]*(?:(?:page|página|pagina|p\.|pág\.)\s*)?[0-9ivxlc]{1,4}"
    r"(?:\s*(?:of|de|sur|/)\s*[0-9]{1,4})?[\W_]*$"
    r"|^[\W_]*(?:\d{1,3}[A-Z]?|[A-Z]{1,3}|[IVXL]{1,5})(?:[-–.][A-Z\d]{1,3})?[-–]\d{1,4}[\W_]*$",
    re.IGNORECASE,
)


def is_page_label(text: str) -> bool:
    """A page number or chapter-page label standing alone: never a heading or text of its own."""
    stripped = text.strip()
    return bool(stripped) and len(stripped) <= 24 and bool(_PAGE_FURNITURE.match(stripped))


# Digits glued to the end of a word of three letters or more: a footnote reference the reader
# could not tell from the word ("Scope3", "ACTIVITIES1"); "G20", "ISO 9001" are left alone.
_GLUED_REF = re.compile(r"(?<=[^\W\d_]{3})(\d{1,3})(?=[\s,;:.)]|$)")


def _split_refs(title: str | None) -> tuple[str | None, tuple[str, ...]]:
    """Strip footnote reference numbers from a heading title; return them apart."""
    if not title:
        return title, ()
    refs = tuple(_GLUED_REF.findall(title))
    if not refs:
        return title, ()
    return _GLUED_REF.sub("", title).strip() or None, refs


def _clean(raw: str) -> tuple[str, int]:
    """Strip Markdown/bullet decoration from a line; return it with the offset of what is kept."""
    match = re.match(r"^[\s#*_>|]*", raw)
    lead = match.end() if match else 0
    return re.sub(r"[\s*_|]+$", "", raw[lead:]), lead


# -- headings --------------------------------------------------------------------------------


def _find_headings(lines: list[_Line]) -> list[_Heading]:
    headings: list[_Heading] = []
    previous_article: str | None = None
    fresh_container = True  # no article yet since the last chapter or annex heading
    skip_until = -1
    for index, line in enumerate(lines):
        if index <= skip_until:
            continue
        candidate = _candidate(lines, index)
        if candidate is None:
            continue
        heading, strength = candidate
        if heading.kind == "article":
            expected = _follows(previous_article, heading.number or "", fresh_container)
            if strength == "weak" and not expected:
                # A short line of its own after a finished sentence is a heading all the same.
                if not (_block_start(lines, index, headings) and len(line.text.split()) <= 12):
                    continue
            if strength == "run_in" and not (expected and _block_start(lines, index, headings)):
                continue
            if strength == "strong" and not _block_start(lines, index, headings):
                if not (expected or line.emphasized):
                    continue
            previous_article = heading.number
            fresh_container = False
        else:
            starts_block = _block_start(lines, index, headings)
            short = len(line.text.split()) <= 12
            if not (line.emphasized or starts_block and (strength == "strong" or strength == "weak" and short)):
                continue
            if heading.kind in ("chapter", "annex", "side_letter"):
                fresh_container = True
        headings.append(heading)
        skip_until = index + heading.title_lines
    return headings


def _candidate(lines: list[_Line], index: int) -> tuple[_Heading, str] | None:
    """Recognise a heading on line `index`; strength is "strong", "weak" or "run_in"."""
    text, lead = _clean(lines[index].text)
    if not text or len(text) > 400:
        return None
    terms = _terms()
    if terms.closing_always.match(text):
        return _Heading("closing", text, None, None, index, 0, lines[index].start + lead), "strong"
    for kind in ("article", "chapter", "section", "annex", "side_letter"):
        match = terms.heading[kind].match(text)
        if not match:
            continue
        number = match.group("num") or None
        rest = match.group("rest")
        if kind == "side_letter":
            # "Side Letter on Data Flows", "Exchange of Letters between ...": the line is the title.
            if len(text.split()) > 16 or text.rstrip().endswith((".", ",", ";")):
                return None
            heading = _Heading("side_letter", text, None, text, index, 0, None)
            return heading, "strong"
        shape = _shape(rest, lines[index].emphasized)
        if shape is None:
            return None
        form, title, body_at = shape
        if kind in ("annex", "side_letter") and number is None and form == "run_in":
            return None  # "Annex" alone must stand as a heading, not open a sentence
        title_lines = 0
        if form == "bare" and title is None:
            title = _title_below(lines, index)
            title_lines = 1 if title else 0
        if title and lines[index + title_lines].emphasized:
            title, extra = _title_continued(lines, index + title_lines, title)
            title_lines += extra
        elif title and body_at is None and _title_wraps(lines, index + title_lines, title):
            title = f"{title} {_clean(lines[index + title_lines + 1].text)[0]}"
            title_lines += 1
        title, refs = _split_refs(title)
        body_on_line = None
        if body_at is not None:
            body_on_line = lines[index].start + lead + match.start("rest") + body_at
        heading = _Heading(
            kind,  # type: ignore[arg-type]
            match.group("label"),
            _normalise_number(number) if number else None,
            title,
            index,
            title_lines,
            body_on_line,
            refs,
        )
        strength = {"bare": "strong", "title": "strong", "loose": "weak", "run_in": "run_in"}[form]
        return heading, strength
    return None


def _shape(rest: str, emphasized: bool) -> tuple[str, str | None, int | None] | None:
    """Classify what follows a heading number: (form, title, offset of run-in body)."""
    stripped = rest.strip()
    if not stripped:
        return "bare", None, None
    lead = len(rest) - len(rest.lstrip())
    had_separator = stripped[0] in _SEPARATORS
    if stripped[0] in "([":
        closing = stripped.find(")" if stripped[0] == "(" else "]")
        if closing > 0 and not stripped[closing + 1 :].strip():
            return "title", stripped[1:closing].strip() or None, None
    if had_separator:
        body = stripped.lstrip(_SEPARATORS + " \t")
        lead += len(stripped) - len(body)
        stripped = body
        if not stripped:
            return "bare", None, None
    first = stripped[0]
    if not (first.isupper() or first.isdigit() and had_separator or first in "\"“«'‘"):
        return None  # "Article 5 of the GATT", "Article 5, the Parties", "Article 5.2"
    title = _TOC_TAIL.sub("", stripped).strip()
    if _title_like(title) or emphasized and len(title) <= 200:
        return ("title" if had_separator or _title_like(title, strict=True) else "loose"), title, None
    return "run_in", None, lead


def _title_like(text: str, strict: bool = False) -> bool:
    """A heading title: short, no sentence verb, mostly capitalised or very short."""
    words = text.split()
    if not words or len(words) > 30 or len(text) > 250:
        return False
    lowered = {w.strip(",.;:()").lower() for w in words}
    if lowered & _terms().verbs:
        return False
    if text.endswith((",", ";")):
        return False
    long_words = [w for w in words if len(w.strip("()[],.;:")) >= 4]
    capitalised = sum(1 for w in long_words if w.lstrip("(\"“'")[:1].isupper())
    ratio = capitalised / len(long_words) if long_words else 1.0
    if strict:
        return ratio >= 0.6 and not text.endswith(":")
    if text.endswith("."):
        return len(words) <= 8 and ratio >= 0.5
    return ratio >= 0.5 or len(words) <= 8 and not text.endswith(":")


def _title_below(lines: list[_Line], index: int) -> str | None:
    """The title of a bare heading ("ARTICLE 5" / "Electronic Authentication") on the next line."""
    following = index + 1
    if following >= len(lines):
        return None
    text, _ = _clean(lines[following].text)
    if not text or _PARAGRAPH_NO.match(text + " ") or _candidate_kind(text):
        return None
    if lines[index].emphasized and not lines[following].emphasized:
        return None  # the document sets headings in bold, and this line is not
    if following + 1 >= len(lines) or not lines[following + 1].text.strip():
        # A title has something after it; a one-line article body does not look like one.
        if not lines[following].emphasized:
            return None
    if lines[following].emphasized and len(text) <= 200:
        return _TOC_TAIL.sub("", text).strip() or None
    words = text.split()
    if len(words) > 14 or text.endswith((":", ",", ";")) or not text[0].isupper():
        return None
    if text.isupper() or _title_like(text, strict=True):
        return _TOC_TAIL.sub("", text).strip() or None
    # A short sentence-case line is a title only if what follows starts afresh.
    after = lines[following + 1].text.lstrip()[:1]
    if len(words) <= 8 and not text.endswith(".") and _title_like(text) and not after.islower():
        return text
    return None


def _title_continued(lines: list[_Line], index: int, title: str) -> tuple[str, int]:
    """Bold lines right after a bold title carry on a title that wrapped (in a narrow column
    a long title takes several lines)."""
    extra = 0
    while extra < 8 and len(title) < 300 and index + extra + 1 < len(lines):
        line = lines[index + extra + 1]
        text, _ = _clean(line.text)
        if not (line.emphasized and text) or _candidate_kind(text) or _PARAGRAPH_NO.match(text + " "):
            break
        title = title + text if title.endswith("-") else f"{title} {text}"
        extra += 1
    return title, extra


def _title_wraps(lines: list[_Line], index: int, title: str) -> bool:
    """Does a title go on with the next line (a heading wrapped in a narrow measure)?

    Yes when it was cut after a word no title ends with ("… against", "… and the") and the
    next line is short and no sentence; or when the next line is a few capitalised words with
    nothing to end a sentence ("Signature4", "Anti-Competitive Activities") and a block
    starts after it: a body's first line is a sentence, not a fragment of a title.
    """
    if index + 2 >= len(lines):
        return False
    text, _ = _clean(lines[index + 1].text)
    words = text.split()
    if not words or len(words) > 8 or _candidate_kind(text) or _PARAGRAPH_NO.match(text + " "):
        return False
    if text.endswith((".", ":", ";", ",")) or not _title_like(text):
        return False
    last = title.split()[-1].lower() if title.split() else ""
    if title.endswith("-") or last in _terms().connectors:
        return True
    after, _ = _clean(lines[index + 2].text)
    return (len(words) <= 4 and _title_like(text, strict=True) and text[0].isupper()
            and bool(after) and (after[0].isupper() or after[0].isdigit() or after[0] == "("))


def _candidate_kind(text: str) -> bool:
    terms = _terms()
    return any(pattern.match(text) for pattern in terms.heading.values())


def _block_start(lines: list[_Line], index: int, headings: list[_Heading]) -> bool:
    """Does line `index` begin a block: after a blank line, a heading or a finished sentence?"""
    if lines[index].emphasized:
        return True
    previous = index - 1
    # A page label left between two pages ("12-5") stands where the page broke: look past it.
    while previous >= 0 and is_page_label(lines[previous].text):
        previous -= 1
    if previous < 0:
        return True
    if headings and headings[-1].line + headings[-1].title_lines == previous:
        return True
    text = lines[previous].text.strip()
    if not text:
        return True
    return text.endswith(_TERMINAL) or lines[previous].emphasized


# -- numbers ---------------------------------------------------------------------------------


def _normalise_number(number: str) -> str:
    number = re.sub(r"\s+", "", number) if re.match(r"^[\dA-Z]", number) else number.strip()
    number = re.sub(r"^(\d+)(?:er|ER|re|º|°|ª)$", r"\1", number)  # "1er", "1º": first
    words = _terms().number_words
    parts = [p for p in re.split(r"[-\s]+", number.lower()) if p not in ("y", "et", "and")]
    if parts and all(p in words for p in parts):
        return str(sum(words[p] for p in parts))
    return number


def _roman(token: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    if not token or any(ch not in values for ch in token):
        return None
    total = 0
    for ch, nxt in zip(token, token[1:] + " "):
        value = values[ch]
        total += -value if nxt in values and values[nxt] > value else value
    return total


def _components(number: str) -> list[int | str]:
    parts: list[int | str] = []
    for token in re.findall(r"\d+|[A-Za-z]+", number):
        if token.isdigit():
            parts.append(int(token))
        elif (value := _roman(token)) is not None and len(parts) == 0 and token == number.split(".")[0]:
            parts.append(value)
        else:
            parts.append(token.lower())
    return parts


def _follows(previous: str | None, current: str, fresh: bool) -> bool:
    """Is `current` the article number expected after `previous`?"""
    cur = _components(current)
    if not cur:
        return False
    if previous is None or fresh:
        if isinstance(cur[-1], int) and cur[-1] == 1:
            return True
        if previous is None:
            return False
    prev = _components(previous)
    if not prev:
        return False
    if len(prev) == len(cur) and prev[:-1] == cur[:-1]:
        last_p, last_c = prev[-1], cur[-1]
        if isinstance(last_p, int) and isinstance(last_c, int):
            return last_c == last_p + 1
    if cur[: len(prev)] == prev and len(cur) == len(prev) + 1:
        return isinstance(cur[-1], str) or cur[-1] == 1  # 5 -> 5bis, 5A, 5.1
    if isinstance(prev[-1], str) and len(cur) == len(prev) - 1 and isinstance(prev[-2], int):
        return cur[:-1] == prev[:-2] and cur[-1] == prev[-2] + 1  # 5bis -> 6
    if len(prev) == len(cur) >= 2 and isinstance(prev[0], int) and isinstance(cur[0], int):
        return cur[0] == prev[0] + 1 and cur[-1] == 1  # 14.11 -> 15.1
    return False


# -- units -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Unit:
    kind: UnitKind
    chapter: str | None
    chapter_no: str | None
    section: str | None
    article_no: str | None
    title: str | None
    heading_start: int
    body_start: int
    body_end: int
    refs: tuple[str, ...] = ()


def _label(heading: _Heading) -> str:
    return f"{heading.label} {heading.number}" if heading.number else heading.label


def _build_units(text: str, lines: list[_Line], headings: list[_Heading]) -> list[_Unit]:
    units: list[_Unit] = []
    chapter: str | None = None
    chapter_no: str | None = None
    section: str | None = None
    open_unit: _Unit | None = None
    first_heading = lines[headings[0].line].start if headings else len(text)
    if text[:first_heading].strip():
        open_unit = _Unit("preamble", None, None, None, None, None, 0, 0, 0)

    pending_refs: tuple[str, ...] = ()  # of a chapter or section heading: go with its first unit

    def close(at: int) -> None:
        nonlocal open_unit, pending_refs
        if open_unit is not None:
            units.append(replace(open_unit, body_end=at, refs=pending_refs + open_unit.refs))
            pending_refs = ()
        open_unit = None

    for heading in headings:
        line = lines[heading.line]
        close(line.start)
        if heading.kind in ("chapter", "section"):
            pending_refs += heading.refs
        body_start = heading.body_on_line
        if body_start is None:
            last = lines[heading.line + heading.title_lines]
            body_start = min(last.end + 1, len(text))
        if heading.kind == "chapter":
            chapter, chapter_no, section = heading.title or _label(heading), heading.number, None
            if _has_text(text[body_start : _next_start(lines, headings, heading, text)]):
                open_unit = _Unit("text", chapter, chapter_no, None, None, None, line.start, body_start, 0)
            continue
        if heading.kind == "section":
            section = _label(heading) + (f": {heading.title}" if heading.title else "")
            if _has_text(text[body_start : _next_start(lines, headings, heading, text)]):
                open_unit = _Unit("text", chapter, chapter_no, section, None, None, line.start, body_start, 0)
            continue
        if heading.kind in ("annex", "side_letter"):
            chapter = heading.title if heading.kind == "side_letter" else _label(heading)
            if heading.kind == "annex" and heading.title:
                chapter += f": {heading.title}"
            chapter_no, section = heading.number, None
            open_unit = _Unit(heading.kind, chapter, chapter_no, None, None, heading.title,
                              line.start, body_start, 0, heading.refs)  # fmt: skip
            continue
        if heading.kind == "closing":
            open_unit = _Unit("conclusion", chapter, chapter_no, section, None, None,
                              line.start, line.start, 0)  # fmt: skip
            continue
        open_unit = _Unit("article", chapter, chapter_no, section, heading.number, heading.title,
                          line.start, body_start, 0, heading.refs)  # fmt: skip
    close(len(text))
    return units


def _has_text(segment: str) -> bool:
    """Text of its own under a chapter heading, page labels ("13-1") aside."""
    return any(line.strip() and not is_page_label(line) for line in segment.split("\n"))


def _next_start(lines: list[_Line], headings: list[_Heading], heading: _Heading, text: str) -> int:
    later = [h for h in headings if h.line > heading.line]
    return lines[later[0].line].start if later else len(text)


def _drop_contents_entries(text: str, units: list[_Unit]) -> list[_Unit]:
    """Drop empty articles whose number comes again later in the same part (contents lists)."""
    def key(unit: _Unit) -> tuple[str | None, str | None]:
        return unit.chapter_no, unit.article_no

    later_with_body: set[tuple[str | None, str | None]] = set()
    keep: list[_Unit] = []
    for unit in reversed(units):
        empty = not re.search(r"[^\W\d_]{2}", text[unit.body_start : unit.body_end])
        if unit.kind == "article" and empty and key(unit) in later_with_body:
            continue
        if unit.kind == "article" and not empty:
            later_with_body.add(key(unit))
            later_with_body.add((None, unit.article_no))
        keep.append(unit)
    return list(reversed(keep))


def _split_closing(text: str, units: list[_Unit]) -> list[_Unit]:
    """Split a signature block ("Done at ...") off the last article before an annex or the end."""
    final = _terms().closing_final
    result: list[_Unit] = []
    for index, unit in enumerate(units):
        following = units[index + 1] if index + 1 < len(units) else None
        last_article = unit.kind == "article" and (following is None or following.kind != "article")
        if last_article:
            body = text[unit.body_start : unit.body_end]
            offset = 0
            for raw in body.split("\n"):
                cleaned, lead = _clean(raw)
                if offset and final.match(cleaned):
                    cut = unit.body_start + offset + lead
                    result.append(replace(unit, body_end=cut))
                    result.append(_Unit("conclusion", unit.chapter, unit.chapter_no, unit.section,
                                        None, None, cut, cut, unit.body_end))  # fmt: skip
                    break
                offset += len(raw) + 1
            else:
                result.append(unit)
            continue
        result.append(unit)
    return result


def _keep(unit: _Unit) -> bool:
    # A chapter with no text of its own before its first article yields no provision.
    return unit.kind == "article" or unit.kind in ("annex", "side_letter") or unit.body_end > unit.body_start


def _finish(text: str, unit: _Unit, page_offsets: Sequence[int] | None) -> ParsedArticle:
    start, end = unit.body_start, max(unit.body_start, unit.body_end)
    body = text[start:end]
    start += len(body) - len(body.lstrip())
    end -= len(body) - len(body.rstrip())
    end = max(start, end)
    page_start = page_end = None
    if page_offsets:
        page_start = max(1, bisect_right(page_offsets, unit.heading_start))
        page_end = max(page_start, bisect_right(page_offsets, max(start, end - 1)))
    return ParsedArticle(
        kind=unit.kind,
        chapter=unit.chapter,
        chapter_no=unit.chapter_no,
        section=unit.section,
        article_no=unit.article_no,
        article_title=unit.title,
        text=text[start:end],
        char_start=start,
        char_end=end,
        heading_start=min(unit.heading_start, start),
        page_start=page_start,
        page_end=page_end,
        paragraphs=_paragraphs(text, start, end),
        footnote_refs=unit.refs,
    )


def _paragraphs(text: str, start: int, end: int) -> tuple[ParsedParagraph, ...]:
    """Numbered paragraphs ("1.", "(2)") and lettered subparagraphs ("(a)") of an article."""
    found: list[tuple[str, int, int]] = []
    offset = start
    for raw in text[start:end].split("\n"):
        match = _PARAGRAPH_NO.match(raw + " ")
        if match:
            number = match.group(1) or match.group(2) or match.group(3)
            found.append((number, 1 if (match.group(1) or match.group(2)) else 2, offset))
        offset += len(raw) + 1
    result = []
    for i, (number, level, at) in enumerate(found):
        following = [f[2] for f in found[i + 1 :] if f[1] <= level]
        stop = following[0] if following else end
        result.append(ParsedParagraph(number, level, at, min(stop, end)))
    return tuple(result)

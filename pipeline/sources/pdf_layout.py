"""From positioned lines to running text: the engine-independent half of PDF reading.

Both PDF engines reduce a page to `TextLine`s (text plus position, size, weight). Everything
after that is here, as pure functions over those records, so the two engines cannot drift
apart and the rules can be tested without a PDF:

* running headers, footers and page numbers are dropped (learnt from what repeats across
  pages, then applied by position so that a header changing with the chapter goes too);
* footnotes (small type below the body) are kept apart from the text;
* two-column pages are read column by column;
* lines are joined into paragraphs (one per output line) with line-end hyphens repaired;
* the offset where each page begins is recorded, so provisions get page ranges.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.sources.hyphenation import Vocabulary, build_vocabulary, keep_hyphen
from pipeline.structure import is_page_label, looks_like_heading

SOFT_HYPHEN_MARK = "\ufffe"  # pdfium's code for "hyphen that ended a line"
# Engines leave a footnote reference they take out of a line as "\ue000<marker>\ue001" (private
# use characters, never in a text) where it stood, so that the layout can note where in the
# running text each reference was, then drop it: a footnote is cited with its paragraph.
MARKER_OPEN, MARKER_CLOSE = "\ue000", "\ue001"
_MARKER_TOKEN = re.compile(f" ?{MARKER_OPEN}([^{MARKER_CLOSE}]*){MARKER_CLOSE}")


def marker_token(marker: str) -> str:
    return f"{MARKER_OPEN}{marker}{MARKER_CLOSE}"


def _take_markers(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Remove marker tokens from a line; return it with (position in the result, marker)."""
    if MARKER_OPEN not in text:
        return text, []
    found: list[tuple[int, str]] = []
    parts: list[str] = []
    length = last = 0
    for match in _MARKER_TOKEN.finditer(text):
        parts.append(text[last : match.start()])
        length += match.start() - last
        found.append((length, match.group(1)))
        last = match.end()
    parts.append(text[last:])
    return "".join(parts), found


def _visible(text: str) -> str:
    return _MARKER_TOKEN.sub("", text) if MARKER_OPEN in text else text


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text as an engine found it; coordinates in points from the page's top-left."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False


@dataclass(frozen=True, slots=True)
class PageLines:
    number: int  # 1-based page number in the file
    width: float
    height: float
    lines: tuple[TextLine, ...]


@dataclass(frozen=True, slots=True)
class Footnote:
    page: int
    marker: str
    text: str


@dataclass(frozen=True, slots=True)
class FootnoteReference:
    offset: int  # where in the running text the reference stood (after the word it follows)
    marker: str


@dataclass(frozen=True, slots=True)
class LaidOutText:
    """Running text of a document, one paragraph per line, with where each page begins."""

    text: str
    page_offsets: tuple[int, ...]  # page_offsets[i]: offset in `text` where page i+1 begins
    footnotes: tuple[Footnote, ...]
    emphasis: tuple[tuple[int, int], ...]  # spans set bold or larger: heading evidence
    pages_without_text: tuple[int, ...]
    references: tuple[FootnoteReference, ...] = ()  # superscript markers taken out of the text


@dataclass(frozen=True, slots=True)
class _Placed:
    """A body line in reading order with the column it sits in."""

    line: TextLine
    page: int
    column: int  # 0: single column; 1, 2: left and right; 3: across both
    column_right: float  # the right margin of that column (set once the whole document is seen)


_PAGE_NUMBER = re.compile(
    r"^[\W_]*(?:(?:page|página|pagina|p\.|pág\.)\s*)?[0-9ivxlc]{1,4}"
    r"(?:\s*(?:of|de|sur|/)\s*[0-9]{1,4})?[\W_]*$",
    re.IGNORECASE,
)
_FOOTNOTE_START = re.compile(r"^\s*(\d{1,3}|[*†‡§]+|\(\d{1,3}\))\s*(?=\S)")
_ENUMERATOR = re.compile(r"^\s*(?:\(?[0-9]{1,3}[.)]|\([a-z]{1,4}\)|[a-z]\))\s")


def lay_out(pages: Sequence[PageLines]) -> LaidOutText:
    """Turn the pages of one document into running text (see the module docstring)."""
    all_lines = [line for page in pages for line in page.lines]
    if not all_lines:
        return LaidOutText("", tuple(0 for _ in pages), (), (), tuple(p.number for p in pages), ())
    body_size = _body_size(all_lines)
    running = _running_lines(pages, body_size)
    footnotes: list[Footnote] = []
    placed: list[_Placed] = []
    empty_pages: list[int] = []
    for page in pages:
        body = [line for line in page.lines if id(line) not in running]
        body, notes = _split_footnotes(body, body_size)
        body = _drop_orphan_markers(body, body_size)
        footnotes.extend(Footnote(page.number, marker, text) for marker, text in notes)
        if not page.lines:
            empty_pages.append(page.number)
        placed.extend(_reading_order(page, body))
    placed = _with_margins(placed)
    text, page_offsets, emphasis, references = _paragraphs(placed, pages, body_size)
    return LaidOutText(text, page_offsets, tuple(footnotes), emphasis, tuple(empty_pages), references)


# -- statistics ----------------------------------------------------------------------------


def _body_size(lines: Sequence[TextLine]) -> float:
    """The font size most of the text is set in (weighted by characters)."""
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size * 2) / 2] += len(line.text)
    return weights.most_common(1)[0][0] or 10.0


# -- running headers and footers -----------------------------------------------------------


def _edge_candidates(page: PageLines) -> tuple[list[TextLine], list[TextLine]]:
    """The top two and bottom two lines of a page, when they sit in the outer fifth of it."""
    ordered = sorted(page.lines, key=lambda line: line.top)
    top = [line for line in ordered[:2] if line.bottom < page.height * 0.2]
    bottom = [line for line in ordered[-2:] if line.top > page.height * 0.8]
    return top, bottom


def _shape(line: TextLine) -> tuple[str, int]:
    """What recurs in a running line: its words with digits masked, and where it sits."""
    return re.sub(r"\d+", "#", " ".join(line.text.lower().split())), _place(line)


def _running_lines(pages: Sequence[PageLines], body_size: float) -> set[int]:
    """ids of lines that are running headers, footers or page numbers.

    An edge line set apart from the body is running when it is a bare page number, when its
    text (digits masked) recurs at the same place on several pages, or when most pages have a
    line at that place (a header that changes with the chapter). The band those lines occupy
    is then cleared on every page.
    """
    edges: dict[str, list[tuple[PageLines, TextLine]]] = {"top": [], "bottom": []}
    for page in pages:
        top, bottom = _edge_candidates(page)
        edges["top"].extend((page, line) for line in top if _set_apart(page, line, body_size, "top"))
        edges["bottom"].extend(
            (page, line) for line in bottom if _set_apart(page, line, body_size, "bottom")
        )
    with_text = sum(1 for page in pages if page.lines)
    needed = 2 if with_text < 6 else 3
    running: set[int] = set()
    bands: dict[str, float | None] = {"top": None, "bottom": None}
    for where, candidates in edges.items():
        texts = Counter(_shape(line) for _, line in candidates)
        exact = Counter(_exact(line) for _, line in candidates)
        places = Counter(_place(line) for _, line in candidates)
        for _, line in candidates:
            if _heading_line(line, body_size):
                # A chapter or article heading opening a page sits where a running header
                # would, and "CHAPTER 12" masks like "CHAPTER 13": only its very words, in its
                # very type, repeated on several pages make it a header (a running header
                # repeating the chapter heading is set smaller).
                if exact[_exact(line)] < needed:
                    continue
            else:
                repeated = texts[_shape(line)] >= needed
                # A page's only footnote sits apart at the foot, often at the same height:
                # the place alone does not make it a footer.
                usual_place = places[_place(line)] >= max(2, with_text / 2) and not (
                    where == "bottom" and _footnote_like(line, body_size))
                if not (repeated or usual_place or is_page_label(line.text)):
                    continue
            running.add(id(line))
            edge = line.bottom if where == "top" else line.top
            current = bands[where]
            if current is None:
                bands[where] = edge
            else:
                bands[where] = max(current, edge) if where == "top" else min(current, edge)
    top_band, bottom_band = bands["top"], bands["bottom"]
    for page in pages:
        for line in page.lines:
            in_band = (top_band is not None and line.bottom <= top_band + 0.5
                       or bottom_band is not None and line.top >= bottom_band - 0.5)
            # A heading at the page top is text, whatever the band says.
            if in_band and (id(line) in running or not _heading_line(line, body_size)):
                running.add(id(line))
    return running


def _footnote_like(line: TextLine, body_size: float) -> bool:
    """Small type opening with a note number and going on in words ("3 For greater certainty …")."""
    match = _FOOTNOTE_START.match(line.text)
    return (line.size < body_size * 0.9 and match is not None and not is_page_label(line.text)
            and len(line.text[match.end():].split()) >= 3)


def _exact(line: TextLine) -> tuple[str, float, bool]:
    return " ".join(line.text.split()), round(line.size * 2) / 2, line.bold


def _heading_line(line: TextLine, body_size: float) -> bool:
    """A structural heading ("CHAPTER 12", "Article 12.6: …") set as headings are, not as
    running heads are (in small type)."""
    return (line.bold or line.size >= body_size - 0.25) and looks_like_heading(line.text)


def _place(line: TextLine) -> int:
    return round(line.top / 3)


def _set_apart(page: PageLines, line: TextLine, body_size: float, where: str) -> bool:
    """A header or footer is separated from the body by more than a line of space."""
    if where == "top":
        below = [other.top for other in page.lines if other.top > line.bottom + 0.1]
        return not below or min(below) - line.bottom > body_size * 0.9
    above = [other.bottom for other in page.lines if other.bottom < line.top - 0.1]
    return not above or line.top - max(above) > body_size * 0.9


# -- footnotes -----------------------------------------------------------------------------


def _split_footnotes(
    lines: list[TextLine], body_size: float
) -> tuple[list[TextLine], list[tuple[str, str]]]:
    """Separate the small-type block below the body text; group it into numbered notes."""
    normal = [line for line in lines if line.size >= body_size * 0.9]
    if not normal:
        return lines, []
    body_end = max(line.bottom for line in normal)
    small = [
        line for line in lines if line.size < body_size * 0.9 and line.top >= body_end - 0.5
    ]
    if not small or not any(_FOOTNOTE_START.match(line.text) for line in small):
        return lines, []
    small_ids = {id(line) for line in small}
    notes: list[tuple[str, str]] = []
    for line in sorted(small, key=lambda line: (line.top, line.x0)):
        match = _FOOTNOTE_START.match(line.text)
        if match or not notes:
            marker = match.group(1).strip("()") if match else ""
            notes.append((marker, line.text[match.end() :] if match else line.text))
        else:
            marker, text = notes[-1]
            notes[-1] = (marker, _join(text, line.text, None))
    return [line for line in lines if id(line) not in small_ids], notes


def _drop_orphan_markers(lines: list[TextLine], body_size: float) -> list[TextLine]:
    """Take out footnote reference numbers that an engine returned as lines of their own.

    A superscript set after the last word of a paragraph can land on its own line; it is a
    digit or two in small type beside a line of body text. It goes back onto that line as a
    marker token when it sits at the line's end (so its place is known), else it is dropped.
    """
    def beside(line: TextLine) -> TextLine | None:
        if line.size >= body_size * 0.8 or not re.fullmatch(r"[\d*†‡]{1,3}", line.text.strip()):
            return None
        return next((
            other for other in lines
            if other is not line and other.size >= body_size * 0.9
            and other.top - body_size < line.top < other.bottom
        ), None)  # fmt: skip

    kept: list[TextLine] = []
    tokens: dict[int, str] = {}
    for line in lines:
        other = beside(line)
        if other is None:
            kept.append(line)
        elif abs(line.x0 - other.x1) < body_size:
            tokens[id(other)] = tokens.get(id(other), "") + marker_token(line.text.strip())
    return [replace(line, text=line.text + tokens[id(line)]) if id(line) in tokens else line for line in kept]


# -- columns and reading order -------------------------------------------------------------


def _reading_order(page: PageLines, lines: list[TextLine]) -> list[_Placed]:
    """Order a page's body lines for reading, column by column on two-column pages."""
    split = _column_split(page, lines)
    if split is None:
        return [_Placed(line, page.number, 0, 0.0) for line in _merge_rows(lines)]
    placed: list[_Placed] = []
    band_left: list[TextLine] = []
    band_right: list[TextLine] = []

    def flush() -> None:
        placed.extend(_Placed(line, page.number, 1, 0.0) for line in _merge_rows(band_left))
        placed.extend(_Placed(line, page.number, 2, 0.0) for line in _merge_rows(band_right))
        band_left.clear()
        band_right.clear()

    # A line that crosses the gutter (a full-width heading) ends one band of columns.
    for line in sorted(lines, key=_top):
        if line.x1 <= split + 0.5:
            band_left.append(line)
        elif line.x0 >= split - 0.5:
            band_right.append(line)
        else:
            flush()
            placed.append(_Placed(line, page.number, 3, 0.0))
    flush()
    return placed


def _top(line: TextLine) -> float:
    return line.top


def _column_split(page: PageLines, lines: list[TextLine]) -> float | None:
    """x of the gutter on a two-column page, else None.

    The right column shows as many lines starting at one x in the middle of the page; the page
    is two-column when few lines cross that x and both sides hold text.
    """
    if len(lines) < 6:
        return None
    starts = Counter(
        round(line.x0) for line in lines if page.width * 0.3 < line.x0 < page.width * 0.7
    )
    if not starts:
        return None
    start, count = starts.most_common(1)[0]
    if count < 3:
        return None
    crossing = sum(1 for line in lines if line.x0 < start - 2 and line.x1 > start + 1)
    left = sum(1 for line in lines if line.x1 <= start - 2)
    if left < 3 or crossing > 0.25 * len(lines):
        return None
    gutter_left = max((line.x1 for line in lines if line.x1 <= start - 2), default=start)
    return (gutter_left + start) / 2


def _with_margins(placed: list[_Placed]) -> list[_Placed]:
    """Set each line's column margin from the whole document.

    A page of short lines (a list, a signature block) says nothing about where its column
    ends; most lines of a column across the document end at its margin, so take a high
    percentile of their right edges.
    """
    ends: dict[int, list[float]] = {}
    for item in placed:
        ends.setdefault(item.column, []).append(item.line.x1)
    margins = {}
    for column, values in ends.items():
        values.sort()
        margins[column] = values[min(len(values) - 1, int(len(values) * 0.9))]
    return [replace(item, column_right=margins[item.column]) for item in placed]


def _merge_rows(lines: list[TextLine]) -> list[TextLine]:
    """Sort lines top to bottom; join pieces of one row (a number and its text at a tab stop)."""
    rows: list[list[TextLine]] = []
    for line in sorted(lines, key=_top):
        if rows and abs(line.bottom - rows[-1][0].bottom) < 0.3 * max(rows[-1][0].size, 1.0):
            rows[-1].append(line)
        else:
            rows.append([line])
    merged: list[TextLine] = []
    for row in rows:
        row.sort(key=lambda line: line.x0)
        if len(row) == 1:
            merged.append(row[0])
            continue
        merged.append(
            TextLine(
                " ".join(line.text for line in row),
                row[0].x0,
                max(line.x1 for line in row),
                min(line.top for line in row),
                max(line.bottom for line in row),
                row[0].size,
                all(line.bold for line in row),
            )
        )
    return merged


# -- paragraphs ----------------------------------------------------------------------------


def _typical_pitch(placed: Sequence[_Placed], body_size: float) -> float:
    """The usual baseline-to-baseline distance of body text in one column."""
    pitches: Counter[float] = Counter()
    for prev, cur in zip(placed, placed[1:]):
        if (prev.page, prev.column) != (cur.page, cur.column):
            continue
        pitch = cur.line.bottom - prev.line.bottom
        if 0 < pitch < body_size * 3 and abs(cur.line.size - body_size) < 0.5:
            pitches[round(pitch, 1)] += 1
    if not pitches:
        return body_size * 1.2
    # The tightest pitch in regular use is the one inside paragraphs; wider ones are
    # paragraph spacing (which can be the commonest in a text of one-line paragraphs).
    total = sum(pitches.values())
    common = [pitch for pitch, count in pitches.items() if count >= max(3, total * 0.05)]
    return min(common) if common else pitches.most_common(1)[0][0]


def _starts_paragraph(prev: _Placed, cur: _Placed, pitch: float, body_size: float) -> bool:
    a, b = prev.line, cur.line
    a = replace(a, text=_visible(a.text)) if MARKER_OPEN in a.text else a
    # Bold lines stay apart: a heading's second line and the next heading look the same
    # here, and the structure parser can tell them apart by their words.
    if a.bold or b.bold or abs(a.size - b.size) > 0.6:
        return True
    ends_hyphen = a.text.endswith(("-", SOFT_HYPHEN_MARK))
    full = a.x1 >= prev.column_right - 3.5 * max(a.size, body_size * 0.5)
    if (prev.page, prev.column) != (cur.page, cur.column):
        # No spacing to go by across a column or page break: a full line runs on, unless
        # it closed a sentence and the next line opens one (a heading glued to the paragraph
        # before it costs a provision; a paragraph split in two costs nothing).
        if ends_hyphen:
            return False
        closes = a.text.rstrip().endswith((".", ":", ";", "!", "?"))
        opens = b.text[:1].isupper() or b.text[:1].isdigit() or bool(_ENUMERATOR.match(b.text))
        return not full or closes and opens
    if b.bottom - a.bottom > pitch * 1.25 or b.top < a.top:
        return True
    if ends_hyphen:
        return False
    if _ENUMERATOR.match(b.text) and a.text.rstrip().endswith((".", ";", ":")):
        return True
    column_width = max(prev.column_right - a.x0, 1.0)
    return a.x1 < prev.column_right - 0.3 * column_width


def _join(text: str, nxt: str, vocab: Vocabulary | None) -> str:
    """Append a line to a paragraph, repairing a hyphen that only marks the line break."""
    if text.endswith(SOFT_HYPHEN_MARK):
        text = text[:-1] + "-"
    if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and nxt[:1].isalpha():
        if vocab is not None and not keep_hyphen(text[:-1], nxt, vocab):
            return text[:-1] + nxt
        return text + nxt
    return f"{text} {nxt}"


def _paragraphs(
    placed: Sequence[_Placed], pages: Sequence[PageLines], body_size: float
) -> tuple[str, tuple[int, ...], tuple[tuple[int, int], ...], tuple[FootnoteReference, ...]]:
    vocab = build_vocabulary(_visible(p.line.text) for p in placed)
    references: list[FootnoteReference] = []
    pitch = _typical_pitch(placed, body_size)
    paragraphs: list[str] = []
    emphasis: list[tuple[int, int]] = []
    page_start: dict[int, int] = {}
    offset = 0  # length of the text of all finished paragraphs, with their newlines
    current = ""
    current_bold = False

    def finish() -> None:
        nonlocal offset, current
        if current:
            if current_bold:
                emphasis.append((offset, offset + len(current)))
            paragraphs.append(current)
            offset += len(current) + 1
        current = ""

    prev: _Placed | None = None
    for item in placed:
        line = item.line
        text, markers = _take_markers(" ".join(line.text.split()))
        text = text.strip()
        if not text:
            continue
        if prev is None or _starts_paragraph(prev, item, pitch, body_size):
            finish()
            current = text
            current_bold = line.bold or line.size > body_size + 0.6
            position = offset
        else:
            current = _join(current, text, vocab)
            # The page begins where this line's text begins in the joined paragraph.
            position = offset + len(current) - len(text)
        page_start.setdefault(item.page, position)
        references.extend(FootnoteReference(position + min(at, len(text)), marker) for at, marker in markers)
        prev = item
    finish()
    text = "\n".join(paragraphs)
    page_offsets = _fill_offsets([p.number for p in pages], page_start, len(text))
    return text, page_offsets, tuple(emphasis), tuple(references)


def _fill_offsets(numbers: list[int], starts: dict[int, int], end: int) -> tuple[int, ...]:
    """Give pages without body text the offset of the next page that has some."""
    offsets: list[int] = []
    following = end
    for number in reversed(numbers):
        following = starts.get(number, following)
        offsets.append(following)
    return tuple(reversed(offsets))


def page_of(offset: int, page_offsets: Sequence[int]) -> int | None:
    """1-based page holding char `offset`, given where each page begins."""
    if not page_offsets:
        return None
    return max(1, bisect_right(page_offsets, offset))

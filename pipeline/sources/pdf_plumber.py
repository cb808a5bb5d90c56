"""PDF lines from pdfplumber: words with their size and font, grouped into lines here.

pdfplumber's own `extract_text` clusters a page into rows across its whole width, which runs
the two columns of a page together, so lines are rebuilt from words: footnote markers (small
raised digits) are dropped, the gutter of a two-column page is found as the vertical strip
that no word covers, and words are grouped into lines on each side of it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pdfplumber

from pipeline.sources.pdf_layout import PageLines, TextLine, marker_token

Word = dict[str, Any]
_MARKER_TEXT = re.compile(r"[\d*†‡]{1,3}")


def plumber_pages(path: Path) -> Iterator[PageLines]:
    """Yield the lines of each page of the PDF at `path`."""
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)
            lines = tuple(words_to_lines(words, float(page.width)))
            page.close()  # drop the page's cached objects: memory stays flat on long files
            yield PageLines(index + 1, float(page.width), float(page.height), lines)


def words_to_lines(words: Sequence[Word], width: float) -> list[TextLine]:
    """Group positioned words into lines, column by column."""
    words = _drop_markers(words)
    if not words:
        return []
    gutter = _gutter(words, width)
    lines: list[TextLine] = []
    for row in _rows(words):
        if gutter is not None and not any(w["x0"] < gutter < w["x1"] for w in row):
            left = [w for w in row if w["x1"] <= gutter]
            right = [w for w in row if w["x0"] >= gutter]
            lines.extend(_line(part) for part in (left, right) if part)
        else:
            lines.append(_line(row))
    return lines


def _drop_markers(words: Sequence[Word]) -> list[Word]:
    """Take out superscript footnote markers (small digits raised beside the end of a word),
    leaving a marker token on the word they follow (see pdf_layout.MARKER_OPEN)."""
    normal = sorted(words, key=lambda w: w["x1"])
    ends = [w["x1"] for w in normal]
    tokens: dict[int, str] = {}
    dropped: set[int] = set()
    for word in words:
        if _MARKER_TEXT.fullmatch(word["text"]):
            base = _superscript_of(word, normal, ends)
            if base is not None:
                tokens[id(base)] = tokens.get(id(base), "") + marker_token(word["text"])
                dropped.add(id(word))
    return [{**word, "text": word["text"] + tokens[id(word)]} if id(word) in tokens else word
            for word in words if id(word) not in dropped]


def _superscript_of(word: Word, normal: list[Word], ends: list[float]) -> Word | None:
    """The word a small raised marker is set after, if it is one."""
    start = bisect_left(ends, word["x0"] - 2.0)
    for other in normal[start:]:
        if other["x1"] > word["x0"] + 1.0:
            break
        # Raised above the word's baseline, and on its line (not the line below ending there too).
        raised = other["top"] < word["bottom"] < other["bottom"] - 0.5
        if other is not word and word["size"] < other["size"] * 0.8 and raised:
            return other
    return None


def _gutter(words: Sequence[Word], width: float) -> float | None:
    """x in the middle of the page that (almost) no word covers, with text on both sides.

    Only words in the body's type size count: running heads, page numbers and footnotes
    often run across the gutter.
    """
    sizes = Counter(round(float(w["size"])) for w in words)
    body = sizes.most_common(1)[0][0]
    words = [w for w in words if abs(float(w["size"]) - body) <= 0.6]
    events: list[tuple[float, int]] = []
    for word in words:
        events.append((word["x0"], 1))
        events.append((word["x1"], -1))
    events.sort()
    allowed = max(1, len(words) // 300)  # a full-width line may cross
    low, high = width * 0.25, width * 0.75
    best: tuple[float, float] | None = None
    depth = 0
    gap_start: float | None = None
    for x, step in events:
        if depth <= allowed and gap_start is not None and x > gap_start:
            lo, hi = max(gap_start, low), min(x, high)
            if hi - lo >= 6 and (best is None or hi - lo > best[1] - best[0]):
                best = (lo, hi)
        depth += step
        gap_start = x if depth <= allowed else None
    if best is None:
        return None
    middle = (best[0] + best[1]) / 2
    left = sum(1 for w in words if w["x1"] <= middle)
    right = sum(1 for w in words if w["x0"] >= middle)
    return middle if min(left, right) >= max(10, len(words) * 0.1) else None


def _rows(words: Sequence[Word]) -> list[list[Word]]:
    """Words sharing a baseline, top to bottom."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w["bottom"], w["x0"])):
        if rows and abs(word["bottom"] - rows[-1][0]["bottom"]) <= 0.35 * word["size"]:
            rows[-1].append(word)
        else:
            rows.append([word])
    return rows


def _line(words: list[Word]) -> TextLine:
    words = sorted(words, key=lambda w: w["x0"])
    sizes: Counter[float] = Counter()
    for word in words:
        sizes[round(float(word["size"]), 1)] += len(word["text"])
    fontname = str(words[0].get("fontname", "")).lower()
    text = words[0]["text"]
    for prev, word in zip(words, words[1:]):
        # No gap, no space: a marker in another size ("Scope" + "3") is one word as printed.
        touching = float(word["x0"]) - float(prev["x1"]) < 0.1 * float(word["size"])
        text += word["text"] if touching else " " + word["text"]
    return TextLine(
        text=text,
        x0=float(words[0]["x0"]),
        x1=float(max(w["x1"] for w in words)),
        top=float(min(w["top"] for w in words)),
        bottom=float(max(w["bottom"] for w in words)),
        size=sizes.most_common(1)[0][0],
        bold="bold" in fontname or "black" in fontname,
    )

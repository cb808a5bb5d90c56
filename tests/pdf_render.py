"""Render known texts as PDFs with the features real agreements have (tests and benchmarks only).

The renderer lays out every line itself (rather than leaving it to fpdf2's multi_cell) so that
the tests control exactly what makes PDF extraction hard: running headers that change with the
chapter, page numbers, superscript footnote markers with footnotes at the page foot, words
hyphenated at line ends (both soft breaks "agree-/ment" and breaks at a real hyphen
"cross-/border"), justified text placed word by word, and two-column pages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from fpdf import FPDF

# CYBERNORMS_FONT_DIR: only for the test that checks the CI guard in conftest.
FONT_DIR = Path(os.environ.get("CYBERNORMS_FONT_DIR") or "/usr/share/fonts/truetype/dejavu")
PAGE_W, PAGE_H = 595.28, 841.89
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 60.0, 72.0, 72.0
GUTTER = 22.0
FOOTNOTE_SIZE = 7.5

_NOTE_OPENINGS = (
    "For greater certainty, this applies to",
    "The Parties understand the words",
    "Nothing in this note limits",
    "This footnote concerns",
    "For Party A, read with the schedule:",
)

BlockKind = Literal["chapter", "article", "title", "para", "section", "annex"]


@dataclass(frozen=True)
class Block:
    """One unit of layout: headings are bold and start a new line, paragraphs flow."""

    kind: BlockKind
    text: str
    # Official layouts: a chapter or annex block names the prefix of its page labels ("12",
    # "13A"); an article heading with `marker` gets a footnote reference glued to its last word.
    label: str | None = None
    marker: bool = False
    new_page: bool = False  # start this heading on a fresh page (a heading at a page top)


@dataclass(frozen=True)
class PageStyle:
    columns: int = 1
    # "{chapter}" is replaced by the chapter heading current when the page starts.
    running_header: str | None = "Agreement between the Parties"
    page_number: str | None = "- {n} -"
    footnote_every: int = 0  # every Nth paragraph gets a footnote marker (0: none)
    hyphenate: bool = True
    justify: bool = False
    font_size: float = 10.0
    # Official layouts (treaty texts as governments publish them):
    # chapter-page labels ("{label}-{n}": "12-5", "13A-1"), numbered from 1 in each chapter or
    # annex, at the page top or bottom; chapters and annexes start on a new page; chapter,
    # section and annex headings centred; article headings wrapped within `heading_width` of
    # the column.
    page_label: str | None = None
    page_label_at: Literal["top", "bottom"] = "bottom"
    chapter_new_page: bool = False
    centre_headings: bool = False
    heading_width: float = 1.0


@dataclass
class RenderResult:
    path: Path
    pages: int
    footnotes: list[str] = field(default_factory=list)


def _fonts_available() -> bool:
    return (FONT_DIR / "DejaVuSerif.ttf").exists() and (FONT_DIR / "DejaVuSerif-Bold.ttf").exists()


class _Layout:
    """Greedy line filling over columns and pages; draws as it goes."""

    def __init__(self, style: PageStyle) -> None:
        self.style = style
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        if _fonts_available():
            self.pdf.add_font("body", "", str(FONT_DIR / "DejaVuSerif.ttf"))
            self.pdf.add_font("body", "B", str(FONT_DIR / "DejaVuSerif-Bold.ttf"))
            self.family = "body"
        else:  # core font: callers must keep to Latin-1 text
            self.family = "Times"
        self.col_w = (PAGE_W - 2 * MARGIN_X - GUTTER * (style.columns - 1)) / style.columns
        self.chapter = ""
        self.label_prefix = ""
        self.label_page = 0
        self.page_has_text = False
        self.page_footnotes: list[str] = []
        self.footnotes: list[str] = []
        self.paragraphs_seen = 0
        self.hyphenate_now = style.hyphenate
        self._centre_title = False
        self.pages = 0
        self.col = 0
        self.y = 0.0
        self._new_page()

    # -- geometry -------------------------------------------------------------------------
    @property
    def leading(self) -> float:
        return self.style.font_size * 1.3

    @property
    def body_bottom(self) -> float:
        reserve = 3 * FOOTNOTE_SIZE * 1.3 + 8 if self.style.footnote_every else 0.0
        return PAGE_H - MARGIN_BOTTOM - reserve

    def _x0(self) -> float:
        return MARGIN_X + self.col * (self.col_w + GUTTER)

    def _new_page(self) -> None:
        # Page furniture is set in its own sizes; the running text resumes in the size it had.
        family, style, size = self.pdf.font_family, self.pdf.font_style, self.pdf.font_size_pt
        if self.pages:
            self._finish_page()
        self.pdf.add_page()
        self.pages += 1
        self.label_page += 1
        self.page_has_text = False
        self.col = 0
        self.y = MARGIN_TOP + self.style.font_size
        if self.style.running_header:
            text = self.style.running_header.replace("{chapter}", self.chapter or "Agreement")
            self.pdf.set_font(self.family, "", 8)
            w = self.pdf.get_string_width(text)
            self.pdf.text((PAGE_W - w) / 2, 42, text)
        if self.pages > 1:
            self.pdf.set_font(family, style, size)

    def _finish_page(self) -> None:
        pdf = self.pdf
        if self.page_footnotes:
            top = self.body_bottom + 10
            pdf.line(MARGIN_X, top, MARGIN_X + 120, top)
            pdf.set_font(self.family, "", FOOTNOTE_SIZE)
            for i, note in enumerate(self.page_footnotes):
                pdf.text(MARGIN_X, top + 10 + i * FOOTNOTE_SIZE * 1.3, note)
            self.page_footnotes = []
        if self.style.page_number:
            text = self.style.page_number.format(n=self.pages)
            pdf.set_font(self.family, "", 9)
            pdf.text((PAGE_W - pdf.get_string_width(text)) / 2, PAGE_H - 38, text)
        if self.style.page_label and self.label_prefix:
            text = self.style.page_label.format(label=self.label_prefix, n=self.label_page)
            pdf.set_font(self.family, "", 10)
            y = 44 if self.style.page_label_at == "top" else PAGE_H - 38
            pdf.text((PAGE_W - pdf.get_string_width(text)) / 2, y, text)

    def _advance(self, height: float) -> None:
        """Move to the next line, breaking to the next column or page when full."""
        if self.y + height > self.body_bottom:
            if self.col + 1 < self.style.columns:
                self.col += 1
                self.y = MARGIN_TOP + self.style.font_size
            else:
                self._new_page()
        else:
            self.y += height

    # -- text -----------------------------------------------------------------------------
    def _width(self, text: str) -> float:
        return self.pdf.get_string_width(text)

    def _break_lines(self, words: list[str]) -> list[list[str]]:
        lines: list[list[str]] = []
        line: list[str] = []
        queue = list(words)
        while queue:
            word = queue.pop(0)
            candidate = " ".join([*line, word])
            if self._width(candidate) <= self.col_w or not line and self._width(word) > self.col_w:
                line.append(word)
                continue
            head, tail = self._hyphen_split(line, word) if self.hyphenate_now else ("", word)
            if head:
                line.append(head)
                queue.insert(0, tail)
            else:
                queue.insert(0, word)
            lines.append(line)
            line = []
        if line:
            lines.append(line)
        return lines

    def _hyphen_split(self, line: list[str], word: str) -> tuple[str, str]:
        """Split `word` so that its head fits on `line`: at a real hyphen, or a soft break."""
        if not self.style.hyphenate:
            return "", word
        prefix = " ".join(line) + " "
        if "-" in word[1:-1]:
            cut = word.index("-", 1) + 1
            if self._width(prefix + word[:cut]) <= self.col_w:
                return word[:cut], word[cut:]
            return "", word
        if len(word) < 8 or not word.isalpha():
            return "", word
        for cut in range(len(word) - 3, 3, -1):
            if self._width(prefix + word[:cut] + "-") <= self.col_w:
                return word[:cut] + "-", word[cut:]
        return "", word

    def _draw_line(self, words: list[str], justify: bool, centre: bool = False) -> float:
        """Draw one line at the current position; returns its right edge."""
        x0 = self._x0()
        if centre:
            x0 += (self.col_w - self._width(" ".join(words))) / 2
        if not justify or len(words) < 2:
            text = " ".join(words)
            self.pdf.text(x0, self.y, text)
            self.page_has_text = True
            return x0 + self._width(text)
        widths = [self._width(w) for w in words]
        gap = (self.col_w - sum(widths)) / (len(words) - 1)
        x = x0
        for word, w in zip(words, widths):
            self.pdf.text(x, self.y, word)
            x += w + gap
        return x0 + self.col_w

    def _footnote_marker(self, x: float, words: list[str]) -> None:
        if len(self.page_footnotes) >= 2:
            return
        n = len(self.footnotes) + 1
        quoted = " ".join(words[:4])[:40]
        self._add_note(f"{n} {_NOTE_OPENINGS[n % len(_NOTE_OPENINGS)]} “{quoted}”.")
        size = self.style.font_size
        self.pdf.set_font(self.family, "", size * 0.6)
        self.pdf.text(x + 0.6, self.y - size * 0.38, str(n))

    def _add_note(self, note: str) -> None:
        """A footnote for the document's list and for the bottom of the current page."""
        self.footnotes.append(note)
        self.page_footnotes.append(note)

    def _heading_marker(self, x: float, words: list[str]) -> None:
        """A footnote reference glued to a heading's last word, in nearly the heading's size:
        what official PDFs do and what engines cannot tell from the word by its size."""
        n = len(self.footnotes) + 1
        self._add_note(f"{n} For greater certainty, the heading “{' '.join(words[-3:])}” is explained here.")
        size = self.pdf.font_size_pt
        self.pdf.set_font(self.family, "B", size * 0.85)
        self.pdf.text(x + 0.3, self.y - size * 0.2, str(n))

    def block(self, block: Block) -> None:
        size = self.style.font_size
        heading = block.kind != "para"
        if block.kind in ("chapter", "annex") and self.style.chapter_new_page or block.new_page:
            if self.page_has_text:
                self._new_page()
            if block.kind in ("chapter", "annex"):
                self.label_page = 1
        if block.kind in ("chapter", "annex") and block.label is not None:
            self.label_prefix = block.label
        if block.kind == "chapter":
            self.chapter = block.text
        if heading and block.kind != "title" and self.page_has_text:
            self._advance(self.leading * 0.8)  # extra space above a heading
        self.pdf.set_font(self.family, "B" if heading else "", size + (1 if heading else 0))
        words = block.text.split()
        if not words:
            return
        # Typesetters hyphenate running text, not headings.
        self.hyphenate_now = self.style.hyphenate and not heading
        full_width = self.col_w
        if block.kind == "article":
            self.col_w = full_width * self.style.heading_width
        lines = self._break_lines(words)
        self.col_w = full_width
        centre = self.style.centre_headings and block.kind in ("chapter", "section", "annex", "title") and (
            block.kind != "title" or self._centre_title)
        self._centre_title = centre if block.kind != "title" else self._centre_title
        marker = False
        if block.kind == "para":
            self.paragraphs_seen += 1
            every = self.style.footnote_every
            marker = bool(every) and self.paragraphs_seen % every == 0
        for i, line in enumerate(lines):
            last = i == len(lines) - 1
            right = self._draw_line(line, self.style.justify and not heading and not last, centre)
            if last and marker:
                self._footnote_marker(right, words)
                self.pdf.set_font(self.family, "", size)
            if last and block.marker:
                self._heading_marker(right, words)
            self._advance(self.leading)
        if not heading:
            self._advance(self.leading * 0.4)

    def finish(self, path: Path) -> RenderResult:
        self._finish_page()
        self.pdf.output(str(path))
        return RenderResult(path=path, pages=self.pages, footnotes=self.footnotes)


def render_pdf(blocks: list[Block], path: Path, style: PageStyle = PageStyle()) -> RenderResult:
    """Lay `blocks` out on A4 pages and write the PDF to `path`."""
    layout = _Layout(style)
    for block in blocks:
        layout.block(block)
    return layout.finish(path)


def paragraphs(text: str) -> list[str]:
    """Split a source text into the paragraphs the renderer will set (blank lines or runs of spaces)."""
    import re

    parts = re.split(r"\n\s*\n|\s{2,}|\n", text)
    return [" ".join(p.split()) for p in parts if p.strip()]

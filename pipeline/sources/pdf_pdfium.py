"""PDF lines from pypdfium2: PDFium's own text order, measured line by line.

Asking PDFium for the position of every character costs about four times its whole text
extraction, so this engine takes PDFium's text in one call (PDFium already groups characters
into lines, inserts word spaces and marks line-end hyphens with U+FFFE) and asks for
geometry only at each line's first and last character. Superscript footnote markers are the
one thing needing a closer look: only digits glued to the end of a word are checked, by size.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.sources.pdf_layout import SOFT_HYPHEN_MARK, PageLines, TextLine, marker_token

# A line ends at PDFium's CRLF, or after a hyphen PDFium has joined to the next line.
_LINE = re.compile(r"[^\r\n\ufffe]*\ufffe?")
# Digits glued to what precedes them, at the end of a word: where a superscript marker sits.
_MARKER = re.compile(r"(?<=\S)\d{1,6}(?=[\s,.;:)]|$)")


def pdfium_pages(path: Path) -> Iterator[PageLines]:
    """Yield the lines of each page of the PDF at `path` (opened by the caller's checks)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    lines = tuple(_page_lines(textpage, height))
                finally:
                    textpage.close()
            finally:
                page.close()
            yield PageLines(index + 1, width, height, lines)
    finally:
        pdf.close()


def _page_lines(textpage: pdfium.PdfTextPage, height: float) -> Iterator[TextLine]:
    text = textpage.get_text_range()
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    for match in _LINE.finditer(text):
        segment = match.group()
        stripped = segment.strip()
        if not stripped:
            continue
        first = match.start() + (len(segment) - len(segment.lstrip()))
        last = match.start() + len(segment.rstrip()) - 1
        c_first = pdfium_c.FPDFText_GetCharIndexFromTextIndex(raw, first)
        c_last = pdfium_c.FPDFText_GetCharIndexFromTextIndex(raw, last)
        if c_first < 0 or c_last < 0:
            continue
        pdfium_c.FPDFText_GetLooseCharBox(raw, c_first, rect)
        x0, top, bottom = rect.left, height - rect.top, height - rect.bottom
        pdfium_c.FPDFText_GetLooseCharBox(raw, c_last, rect)
        x1 = rect.right
        size = pdfium_c.FPDFText_GetFontSize(raw, c_first)
        line_text = _drop_markers(raw, stripped, first, size)
        if stripped.endswith(SOFT_HYPHEN_MARK):
            line_text = line_text[:-1] + "-"
        yield TextLine(line_text, x0, max(x1, x0), top, bottom, size, _is_bold(raw, c_first))


def _drop_markers(raw: object, line: str, first: int, size: float) -> str:
    """Take out footnote reference markers (digits set well below the line's type size),
    leaving a marker token where each stood (see pdf_layout.MARKER_OPEN)."""
    cuts: list[tuple[int, int]] = []
    for match in _MARKER.finditer(line):
        # Walk back from the last digit while the digits are small: "article 27" + "27".
        start = match.end()
        while start > match.start() and match.end() - start < 3:
            index = pdfium_c.FPDFText_GetCharIndexFromTextIndex(raw, first + start - 1)
            if index < 0 or pdfium_c.FPDFText_GetFontSize(raw, index) >= size * 0.8:
                break
            start -= 1
        if start < match.end():
            cuts.append((start, match.end()))
    for start, end in reversed(cuts):
        line = line[:start] + marker_token(line[start:end]) + line[end:]
    return line


def _is_bold(raw: object, index: int) -> bool:
    weight = pdfium_c.FPDFText_GetFontWeight(raw, index)
    if weight > 0:
        return weight >= 600
    # No weight in the font descriptor: fall back to the font's name.
    buffer = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(raw, index, buffer, len(buffer), ctypes.byref(flags))
    return b"bold" in buffer.value.lower() or b"black" in buffer.value.lower()

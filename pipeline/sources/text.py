"""Plain-text and Markdown source: bytes -> running text for the structure parser.

Text exported from Word keeps one paragraph per line; text from `pdftotext` keeps the lines
of the page and separates pages with form feeds, which become page offsets here. Markdown
heading marks and bold markers are removed and reported as emphasis (heading evidence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BOLD_LINE = re.compile(r"^(\*\*|__)(.+?)\1\s*$")
_MD_INLINE = re.compile(r"(\*\*|__)(.+?)\1")


@dataclass(frozen=True, slots=True)
class PlainText:
    text: str
    page_offsets: tuple[int, ...] | None  # from form feeds, when the text has them
    emphasis: tuple[tuple[int, int], ...]


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode bytes: a BOM or declared charset first, then UTF-8, then Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    candidates = ["utf-8-sig"] + ([declared] if declared else []) + ["cp1252"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")  # never fails: every byte is a character


def plain_text(data: bytes | str, *, markdown: bool = False) -> PlainText:
    """Normalise line ends, turn form feeds into page offsets, strip Markdown markup."""
    text = data if isinstance(data, str) else decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[str] = []
    emphasis: list[tuple[int, int]] = []
    page_offsets: list[int] = [0]
    offset = 0
    for raw in text.split("\n"):
        while "\f" in raw:  # a page break inside a line: the rest starts a new page
            before, raw = raw.split("\f", 1)
            lines.append(before)
            offset += len(before) + 1
            page_offsets.append(offset)
        line, emphasized = _markdown_line(raw) if markdown else (raw.rstrip(), False)
        if emphasized and line.strip():
            emphasis.append((offset, offset + len(line)))
        lines.append(line)
        offset += len(line) + 1
    joined = "\n".join(lines)
    pages = tuple(page_offsets) if len(page_offsets) > 1 else None
    return PlainText(joined, pages, tuple(emphasis))


def _markdown_line(raw: str) -> tuple[str, bool]:
    line = raw.rstrip()
    heading = _MD_HEADING.match(line)
    if heading:
        return _MD_INLINE.sub(r"\2", heading.group(2)), True
    bold = _MD_BOLD_LINE.match(line.strip())
    if bold:
        return bold.group(2).strip(), True
    return _MD_INLINE.sub(r"\2", line), False

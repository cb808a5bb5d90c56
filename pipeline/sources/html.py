"""HTML source: markup -> running text, one block element per line.

The standard library's tokenizer only reads the markup: nothing is executed and nothing is
fetched (no scripts, styles, images, frames or external entities are followed), so a hostile
page cannot run code or reach the network. The contents of script, style, template and
similar elements are dropped. Headings and bold blocks are reported as emphasis, which the
structure parser takes as evidence of a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from pipeline.sources.text import decode_text

# Elements whose content is never text of the agreement.
_SKIP = frozenset(
    "script style noscript template head svg math iframe object embed canvas select button".split()
)
_BLOCK = frozenset(
    """address article aside blockquote body br caption dd div dl dt fieldset figcaption figure
    footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody tfoot
    thead tr ul""".split()
)
_HEADING = frozenset("h1 h2 h3 h4 h5 h6".split())
_BOLD = frozenset("b strong".split())
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


@dataclass(frozen=True, slots=True)
class HtmlText:
    text: str
    emphasis: tuple[tuple[int, int], ...]
    title: str | None


def html_to_text(data: bytes | str) -> HtmlText:
    """Strip markup safely; one paragraph per line, headings and bold blocks as emphasis."""
    markup = data if isinstance(data, str) else decode_text(data, _declared_charset(data))
    parser = _Collector()
    parser.feed(markup)
    parser.close()
    return parser.result()


def _declared_charset(data: bytes) -> str | None:
    match = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]+)", data[:4096], re.IGNORECASE)
    return match.group(1).decode("ascii") if match else None


class _Collector(HTMLParser):
    """Collects block texts; tracks whether each block is all heading/bold."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._skip_depth = 0
        self._emphasis_depth = 0
        self._in_title = False
        self._title: list[str] = []
        self._blocks: list[tuple[str, bool]] = []
        self._current: list[str] = []
        self._current_plain = False  # any text outside emphasis in this block

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _SKIP:
            if tag not in _VOID:
                self._skip_depth += 1
            return
        if tag in _BLOCK:
            self._flush()
        if tag in _HEADING or tag in _BOLD:
            self._emphasis_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
            return
        if tag in _HEADING or tag in _BOLD:
            self._emphasis_depth = max(0, self._emphasis_depth - 1)
        if tag in _BLOCK:
            self._flush()
        elif tag in ("td", "th"):
            self._current.append(" ")  # cells of a row stay on one line

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        if self._skip_depth:
            return
        if data.strip() and not self._emphasis_depth:
            self._current_plain = True
        self._current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self._blocks.append((text, not self._current_plain))
        self._current = []
        self._current_plain = False

    def result(self) -> HtmlText:
        self._flush()
        parts: list[str] = []
        emphasis: list[tuple[int, int]] = []
        offset = 0
        for text, emphasized in self._blocks:
            if emphasized:
                emphasis.append((offset, offset + len(text)))
            parts.append(text)
            offset += len(text) + 1
        title = " ".join("".join(self._title).split()) or None
        return HtmlText("\n".join(parts), tuple(emphasis), title)

"""Footnotes -> the provisions they belong to (pure).

The PDF reader keeps footnotes apart from the running text (`LaidOutText.footnotes`: page,
marker, text) and notes where each superscript reference stood (`LaidOutText.references`);
the structure parser strips references glued to heading words ("Scope3") into
`ParsedArticle.footnote_refs`. This module pairs notes with references and references with
provisions, so that a clause can be cited as "Art. 12.15(2), fn. 12" (the paragraph from the
`paragraphs` table, whose offsets share the provision's text with `char_offset`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from pipeline.model import Footnote, provision_id
from pipeline.sources.pdf_layout import Footnote as PageNote
from pipeline.sources.pdf_layout import FootnoteReference, page_of
from pipeline.structure import ParsedArticle


class _Notes:
    """Notes by marker, each handed out once; numbering can restart (one file per chapter)."""

    def __init__(self, notes: Sequence[PageNote]) -> None:
        self.notes = list(notes)
        self.used: set[int] = set()

    def take(self, marker: str, page: int | None, pages: tuple[int, int] | None = None) -> PageNote | None:
        candidates = [i for i, n in enumerate(self.notes) if n.marker == marker and i not in self.used]
        if not candidates:
            return None
        def distance(i: int) -> tuple[int, int]:
            note_page = self.notes[i].page
            if pages and pages[0] <= note_page <= pages[1]:
                return (0, note_page)
            if page is None:
                return (1, note_page)
            # A note is printed on the reference's page, or (when the page is full) the next.
            return (0 if note_page == page else 1 + abs(note_page - page), note_page)
        best = min(candidates, key=distance)
        if page is not None and pages is None and abs(self.notes[best].page - page) > 1:
            return None
        self.used.add(best)
        return self.notes[best]

    def left(self) -> list[PageNote]:
        return [n for i, n in enumerate(self.notes) if i not in self.used]


def attach_footnotes(
    agreement_id: str,
    articles: Sequence[ParsedArticle],
    notes: Sequence[PageNote] = (),
    references: Sequence[FootnoteReference] = (),
    page_offsets: Sequence[int] | None = None,
) -> tuple[Footnote, ...]:
    """One Footnote per note or reference, on the provision (article ordinal) it belongs to."""
    if not articles:
        return ()
    pool = _Notes(notes)
    starts = [a.heading_start for a in articles]
    found: list[Footnote] = []
    for ordinal, article in enumerate(articles):
        pages = (article.page_start, article.page_end) if article.page_start else None
        for marker in article.footnote_refs:
            note = pool.take(marker, article.page_start, pages)
            found.append(_footnote(agreement_id, ordinal, marker, note, "heading", None,
                                   article.page_start))
    for reference in references:
        ordinal = max(0, bisect_right(starts, reference.offset) - 1)
        article = articles[ordinal]
        page = page_of(reference.offset, page_offsets) if page_offsets else None
        note = pool.take(reference.marker, page)
        if reference.offset < article.char_start:
            found.append(_footnote(agreement_id, ordinal, reference.marker, note, "heading", None, page))
        else:
            offset = min(reference.offset, article.char_end) - article.char_start
            found.append(_footnote(agreement_id, ordinal, reference.marker, note, "text", offset, page))
    for note in pool.left():
        ordinal = _on_page(articles, note.page)
        found.append(_footnote(agreement_id, ordinal, note.marker, note, "page", None, note.page))
    return tuple(found)


def _on_page(articles: Sequence[ParsedArticle], page: int) -> int:
    """The first provision printed on `page` (else the last one before it)."""
    best = 0
    for ordinal, article in enumerate(articles):
        if article.page_start is None:
            continue
        if article.page_start <= page <= (article.page_end or article.page_start):
            return ordinal
        if article.page_start <= page:
            best = ordinal
    return best


def _footnote(agreement_id: str, ordinal: int, marker: str, note: PageNote | None, placement: str,
              offset: int | None, page: int | None) -> Footnote:
    return Footnote(
        provision_id=provision_id(agreement_id, ordinal),
        agreement_id=agreement_id,
        marker=marker,
        text=note.text if note else None,
        page=note.page if note else page,
        placement=placement,
        char_offset=offset,
    )

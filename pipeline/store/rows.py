"""Analysed agreements as the Arrow tables the store inserts (pure; no database here).

The refresh's workers build these tables themselves: an Arrow table crosses the process
boundary as a few buffers, where the same agreements as dataclasses cost the main process
a second per corpus to unpickle, and DuckDB inserts Arrow without converting row by row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing spaCy (through nlp.dates) is for the processes that analyse
    from pipeline.classify.documents import AnalysedDocument

AGREEMENTS_SCHEMA = pa.schema([
    ("agreement_id", pa.string()), ("source", pa.string()), ("source_id", pa.string()), ("name", pa.string()),
    ("type", pa.string()), ("composition", pa.string()), ("status", pa.string()),
    ("date_signed", pa.date32()), ("date_in_force", pa.date32()), ("parties", pa.list_(pa.string())),
    ("region", pa.string()), ("language", pa.string()), ("content_hash", pa.string()), ("treaty", pa.string()),
    ("dates_scanned", pa.bool_()), ("source_path", pa.string()),
])
PROVISIONS_SCHEMA = pa.schema([
    ("provision_id", pa.string()), ("agreement_id", pa.string()), ("ordinal", pa.int32()),
    ("chapter", pa.string()), ("article_no", pa.string()), ("article_title", pa.string()), ("text", pa.string()),
    ("char_start", pa.int32()), ("char_end", pa.int32()), ("source_provision_id", pa.string()),
    ("page_start", pa.int32()), ("page_end", pa.int32()),
])
PREDICTIONS_SCHEMA = pa.schema([
    ("provision_id", pa.string()), ("agreement_id", pa.string()), ("labels", pa.list_(pa.string())),
    ("scores", pa.string()), ("bindingness", pa.string()), ("instruments", pa.list_(pa.string())),
    ("model_version", pa.string()),
])
PARAGRAPHS_SCHEMA = pa.schema([
    ("provision_id", pa.string()), ("agreement_id", pa.string()), ("paragraph_index", pa.int32()),
    ("paragraph_no", pa.string()), ("kind", pa.string()), ("char_start", pa.int32()), ("char_end", pa.int32()),
    ("bindingness", pa.string()), ("labels", pa.list_(pa.string())),
])
TEXT_DATES_SCHEMA = pa.schema([
    ("agreement_id", pa.string()), ("provision_id", pa.string()), ("kind", pa.string()), ("year", pa.int32()),
    ("phrase", pa.string()),
])
FOOTNOTES_SCHEMA = pa.schema([
    ("provision_id", pa.string()), ("agreement_id", pa.string()), ("marker", pa.string()), ("text", pa.string()),
    ("page", pa.int32()), ("placement", pa.string()), ("char_offset", pa.int32()),
])
# In insert order (deletes run in reverse); StoreRows has one field per table, in this order.
TABLES = ("agreements", "provisions", "predictions", "paragraphs", "text_dates", "footnotes")


@dataclass(frozen=True)
class StoreRows:
    """The rows of one or more agreements, one Arrow table per store table (`TABLES`)."""

    agreements: pa.Table
    provisions: pa.Table
    predictions: pa.Table
    paragraphs: pa.Table
    text_dates: pa.Table  # dated evidence for text vintage (pipeline.nlp.dates)
    footnotes: pa.Table  # footnotes of PDF provisions, references on headings (pipeline.sources.footnotes)

    @property
    def agreement_ids(self) -> list[str]:
        return self.agreements.column("agreement_id").to_pylist()

    def name_of(self, agreement_id: str) -> str:
        names = dict(zip(self.agreement_ids, self.agreements.column("name").to_pylist()))
        return names.get(agreement_id, "")

    def only(self, agreement_id: str) -> StoreRows:
        """The rows of one agreement (to write it in a transaction of its own)."""
        return StoreRows(*(getattr(self, name).filter(pc.equal(getattr(self, name).column("agreement_id"),
                                                               agreement_id))
                           for name in TABLES))

    @classmethod
    def concat(cls, parts: Sequence[StoreRows]) -> StoreRows:
        if not parts:
            return empty_rows()
        return cls(*(pa.concat_tables([getattr(p, name) for p in parts]) for name in TABLES))


def empty_rows() -> StoreRows:
    return StoreRows(AGREEMENTS_SCHEMA.empty_table(), PROVISIONS_SCHEMA.empty_table(),
                     PREDICTIONS_SCHEMA.empty_table(), PARAGRAPHS_SCHEMA.empty_table(),
                     TEXT_DATES_SCHEMA.empty_table(), FOOTNOTES_SCHEMA.empty_table())


def to_rows(analysed: Sequence[AnalysedDocument], source_paths: Sequence[str] | None = None) -> StoreRows:
    """The rows of analysed agreements; `source_paths`: the file each was read from, in order
    (change detection and withdrawal find stored agreements by it)."""
    from pipeline.nlp.dates import provision_evidence

    agreements = [a.document.agreement for a in analysed]
    provisions = [p for a in analysed for p in a.document.provisions]
    predictions = [(a.document.agreement.id, pr) for a in analysed for pr in a.predictions]
    paragraphs = [(agreement_id, pr.provision_id, p) for agreement_id, pr in predictions for p in pr.paragraphs]
    notes = [f for a in analysed for f in a.document.footnotes]
    dates = [(p.agreement_id, e) for p in provisions
             for e in provision_evidence(p.text, p.id, p.chapter, p.article_title)]
    return StoreRows(
        pa.table([
            [a.id for a in agreements], [a.source for a in agreements], [a.source_id for a in agreements],
            [a.name for a in agreements], [a.type for a in agreements], [a.composition for a in agreements],
            [a.status for a in agreements], [a.date_signed for a in agreements],
            [a.date_in_force for a in agreements], [list(a.parties) for a in agreements],
            [a.region for a in agreements], [a.language for a in agreements], [a.content_hash for a in agreements],
            [a.treaty for a in agreements], [True] * len(agreements),
            list(source_paths) if source_paths is not None else [None] * len(agreements),
        ], schema=AGREEMENTS_SCHEMA),
        pa.table([
            [p.id for p in provisions], [p.agreement_id for p in provisions], [p.ordinal for p in provisions],
            [p.chapter for p in provisions], [p.article_no for p in provisions],
            [p.article_title for p in provisions], [p.text for p in provisions],
            [p.char_start for p in provisions], [p.char_end for p in provisions],
            [p.source_provision_id for p in provisions], [p.page_start for p in provisions],
            [p.page_end for p in provisions],
        ], schema=PROVISIONS_SCHEMA),
        pa.table([
            [pr.provision_id for _, pr in predictions], [agreement_id for agreement_id, _ in predictions],
            [list(pr.labels) for _, pr in predictions],
            [json.dumps(pr.scores, sort_keys=True) for _, pr in predictions],
            [pr.bindingness for _, pr in predictions], [list(pr.instruments) for _, pr in predictions],
            [pr.model_version for _, pr in predictions],
        ], schema=PREDICTIONS_SCHEMA),
        pa.table([
            [provision for _, provision, _ in paragraphs], [agreement for agreement, _, _ in paragraphs],
            [p.index for _, _, p in paragraphs], [p.number or None for _, _, p in paragraphs],
            [p.kind for _, _, p in paragraphs], [p.char_start for _, _, p in paragraphs],
            [p.char_end for _, _, p in paragraphs], [p.bindingness for _, _, p in paragraphs],
            [list(p.labels) for _, _, p in paragraphs],
        ], schema=PARAGRAPHS_SCHEMA),
        pa.table([
            [a for a, _ in dates], [e.provision_id for _, e in dates], [e.kind for _, e in dates],
            [e.year for _, e in dates], [e.phrase for _, e in dates],
        ], schema=TEXT_DATES_SCHEMA),
        pa.table([
            [f.provision_id for f in notes], [f.agreement_id for f in notes], [f.marker for f in notes],
            [f.text for f in notes], [f.page for f in notes], [f.placement for f in notes],
            [f.char_offset for f in notes],
        ], schema=FOOTNOTES_SCHEMA),
    )

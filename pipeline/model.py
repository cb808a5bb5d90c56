"""The one data model: agreements, their provisions, predictions and runs.

Records are frozen dataclasses so that stages stay pure functions over values.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Bindingness = Literal["hard", "soft", "mixed"]


@dataclass(frozen=True, slots=True)
class Agreement:
    """One trade agreement, whatever format it came from."""

    id: str  # stable id across sources: "<source>:<source_id>", e.g. "tota:442"
    source: str  # "tota", "pdf", "html", "text"
    source_id: str  # ToTA treaty_identifier, or the file's stem for other sources
    name: str
    type: str | None = None
    composition: str | None = None
    status: str | None = None
    date_signed: date | None = None
    date_in_force: date | None = None
    parties: tuple[str, ...] = ()  # ISO 3166-1 alpha-3 codes
    region: str | None = None
    language: str | None = None  # ISO 639-1: "en", "es", "fr"
    content_hash: str = ""  # sha256 of the source bytes: a changed file is re-ingested
    # Declared treaty (manifest `treaty` key): versions sharing it are one treaty, whatever
    # their names, dates and parties say (see pipeline.analytics.treaties).
    treaty: str | None = None

    @property
    def year(self) -> int | None:
        return self.date_signed.year if self.date_signed else None


@dataclass(frozen=True, slots=True)
class Provision:
    """One article (the unit that is labelled) with where it came from."""

    id: str  # "<agreement id>:<ordinal>"
    agreement_id: str
    ordinal: int  # position in the agreement, from 0
    text: str
    chapter: str | None = None
    article_no: str | None = None
    article_title: str | None = None
    char_start: int | None = None  # offsets into the document's full text, when known
    char_end: int | None = None
    source_provision_id: str | None = None  # ToTA article_identifier
    page_start: int | None = None
    page_end: int | None = None


@dataclass(frozen=True, slots=True)
class ParagraphPrediction:
    """One paragraph of a labelled provision: where it is, how binding it is, which labels it carries."""

    index: int  # position in the provision, from 0
    number: str  # printed paragraph number ("2"), "" for a chapeau, sentence or whole article
    kind: str  # "numbered", "chapeau", "sentence" or "whole"
    char_start: int  # offsets into the provision's text
    char_end: int
    bindingness: str  # "binding", "weak", "hortatory" or "neither"
    labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Prediction:
    """What the detector or classifier says about one provision."""

    provision_id: str
    labels: tuple[str, ...]
    scores: dict[str, float] = field(default_factory=dict)
    bindingness: Bindingness | None = None
    instruments: tuple[str, ...] = ()
    model_version: str = ""
    paragraphs: tuple[ParagraphPrediction, ...] = ()


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote of a provision: cite it as "Art. 12.15(2), fn. 12"."""

    provision_id: str
    agreement_id: str
    marker: str  # as printed: "12", "*"
    text: str | None  # the note itself; None when only its reference was found (HTML, text)
    page: int | None  # the page the note is printed on (PDFs)
    # Where the reference stands: "text" (char_offset says where in the provision's text),
    # "heading" (on the article heading: "Scope3"), "page" (on the note's page; the
    # reference itself was not found, so the provision is the one printed on that page).
    placement: str
    char_offset: int | None = None  # offset into the provision's text, after the word the reference follows


@dataclass(frozen=True, slots=True)
class Document:
    """An agreement with its provisions: what a source yields."""

    agreement: Agreement
    provisions: tuple[Provision, ...]
    footnotes: tuple[Footnote, ...] = ()


@dataclass(frozen=True, slots=True)
class Run:
    """One refresh, recorded in the database."""

    id: str
    started_at: datetime
    finished_at: datetime | None
    source: str
    model_version: str
    agreements_seen: int = 0
    agreements_written: int = 0
    agreements_unchanged: int = 0
    provisions_written: int = 0
    errors: tuple[str, ...] = ()
    status: str = "running"
    # What the refresh found (pipeline.refresh_plan): an agreement is added (new, or back at its
    # source), changed (read again or, reclassified, only classified again), unchanged,
    # withdrawn (gone from its source) or failed (could not be read).
    agreements_added: int = 0
    agreements_changed: int = 0
    agreements_reclassified: int = 0
    agreements_withdrawn: int = 0
    agreements_failed: int = 0
    stage_seconds: tuple[tuple[str, float], ...] = ()
    parser_version: str | None = None
    code_version: str | None = None
    pdf_engine: str | None = None
    published: bool = False  # a new snapshot was published (else the record is in the runs journal)

    @property
    def seconds(self) -> float | None:
        return (self.finished_at - self.started_at).total_seconds() if self.finished_at else None

    def record(self) -> dict:
        """The run as a row of `runs` (column -> value)."""
        import json

        return {
            "run_id": self.id, "started_at": self.started_at, "finished_at": self.finished_at,
            "source": self.source, "model_version": self.model_version, "agreements_seen": self.agreements_seen,
            "agreements_written": self.agreements_written, "agreements_unchanged": self.agreements_unchanged,
            "provisions_written": self.provisions_written, "errors": list(self.errors), "status": self.status,
            "agreements_added": self.agreements_added, "agreements_changed": self.agreements_changed,
            "agreements_reclassified": self.agreements_reclassified,
            "agreements_withdrawn": self.agreements_withdrawn, "agreements_failed": self.agreements_failed,
            "stage_seconds": json.dumps({k: round(v, 4) for k, v in self.stage_seconds}),
            "parser_version": self.parser_version, "code_version": self.code_version,
            "pdf_engine": self.pdf_engine, "published": self.published,
        }


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def provision_id(agreement_id: str, ordinal: int) -> str:
    return f"{agreement_id}:{ordinal}"

"""Text vintage: the year of the text an agreement actually holds.

ToTA dates an agreement by the signature of the *original* agreement, but the text it holds
is sometimes a later one (EC - Algeria, 1976 in the metadata, holds the 2002
Euro-Mediterranean Association Agreement) or a consolidated version. Dating norms by the
metadata then puts them in years they did not exist. The text itself says when it was written:

- signature clauses ("Done at Valencia on 22 April 2002", "DONE at Tokyo on this third day of
  April 2007", "Hecho en ... a los ... días del mes de ... de 2004", "IN WITNESS WHEREOF ...
  signed ... on ..."): the strongest evidence;
- what it cites: a text cannot be older than the instruments and acts it refers to (the
  instrument matcher's instruments with their adoption years, EU acts "Regulation (EC)
  No 1105/2001", "OJ L 151, 7.6.2001", "GATT 1994"): a lower bound;
- other dates in the body ("the rate applied on 1 January 2002"), used only once the citations
  have proven the text later than its metadata, and never after a future marker ("by",
  "from", "until", "starting", "not later than", ...).

Dates inside tariff schedules, annexes, appendices and protocols are ignored (phase-in
calendars), and so is every year after the latest plausible date of a text (the newest
signature date in the database): implementation dates lie in the future of the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.analytics.records import as_date
from pipeline.nlp.dates import Evidence

if TYPE_CHECKING:  # pandas only for the DataFrame wrapper: the incremental rebuild does without
    import pandas as pd


@dataclass(frozen=True, slots=True)
class Vintage:
    vintage_year: int | None
    vintage_basis: str | None
    vintage_evidence: str


def decide_vintage(signed_year: int | None, evidence: list[Evidence], cited: list[tuple[str, int]]) -> Vintage:
    """The vintage of one agreement from its evidence.

    `cited` holds (instrument, adoption year) for the instruments its provisions cite.
    """
    signatures = [e for e in evidence if e.kind == "signature clause"]
    citations = [(e.phrase, e.year) for e in evidence if e.kind == "citation"] + list(cited)
    floor = max((year for _, year in citations), default=None)
    notes: list[str] = []
    if signed_year is not None:
        notes.append(f"metadata: signed {signed_year}")
    if floor is not None:
        top = sorted(set(citations), key=lambda c: (-c[1], c[0]))[:3]
        notes.append("latest citations: " + "; ".join(f"{phrase} ({year})" for phrase, year in top))
    if signatures:
        best = max(signatures, key=lambda e: e.year)
        notes.insert(0, f"signature clause ({best.provision_id}): \"{best.phrase}\"")
        if floor is not None and floor > best.year:
            return Vintage(floor, "cited instruments", " | ".join(notes))
        return Vintage(best.year, "signature clause", " | ".join(notes))
    if floor is not None and (signed_year is None or floor > signed_year):
        # The citations prove the text later than its metadata; dates in its body (not
        # deadlines, not calendars) that are later still narrow it down.
        later = [e for e in evidence if e.kind == "text date" and e.year > floor]
        if later:
            best = max(later, key=lambda e: e.year)
            notes.insert(0, f"text date ({best.provision_id}): \"{best.phrase}\"")
            return Vintage(best.year, "text dates", " | ".join(notes))
        return Vintage(floor, "cited instruments", " | ".join(notes))
    if signed_year is not None:
        return Vintage(signed_year, "metadata", " | ".join(notes))
    return Vintage(None, None, "no date in the metadata or the text")


def vintage_table(
    agreements: pd.DataFrame, text_dates: pd.DataFrame, cited_instruments: pd.DataFrame,
    instrument_years: dict[str, int], latest_year: int,
) -> pd.DataFrame:
    """agreement_id, vintage_year, vintage_basis, vintage_evidence for every agreement.

    agreements: agreement_id, date_signed. text_dates: agreement_id, provision_id, kind, year,
    phrase (the `text_dates` table). cited_instruments: agreement_id, instrument.
    Years after `latest_year` (the latest plausible date of any text: the newest signature in
    the database) are implementation dates, not dates of the text, and are dropped.
    """
    import pandas as pd

    rows = vintage_rows(((r.agreement_id, r.date_signed) for r in agreements.itertuples(index=False)),
                        text_dates[["agreement_id", "provision_id", "kind", "year", "phrase"]].itertuples(index=False),
                        cited_instruments[["agreement_id", "instrument"]].itertuples(index=False),
                        instrument_years, latest_year)
    frame = pd.DataFrame(rows, columns=["agreement_id", "vintage_year", "vintage_basis", "vintage_evidence"])
    frame["vintage_year"] = frame["vintage_year"].astype("Int64")
    return frame


def vintage_rows(
    agreements: Iterable[tuple], text_dates: Iterable[tuple], cited_instruments: Iterable[tuple],
    instrument_years: dict[str, int], latest_year: int,
) -> list[tuple[str, int | None, str | None, str]]:
    """(agreement_id, vintage_year, vintage_basis, vintage_evidence) per agreement (pure).

    agreements: (agreement_id, date_signed); text_dates: (agreement_id, provision_id, kind,
    year, phrase), in the table's order (it settles ties between equally late dates);
    cited_instruments: (agreement_id, instrument). One agreement's vintage depends on its own
    rows and on `latest_year` only, so a refresh can recompute just the agreements it touched.
    """
    evidence: dict[str, list[Evidence]] = {}
    for agreement_id, provision_id, kind, year, phrase in text_dates:
        if year <= latest_year:
            evidence.setdefault(agreement_id, []).append(Evidence(kind, int(year), phrase, provision_id))
    cited: dict[str, set[tuple[str, int]]] = {}
    for agreement_id, instrument in cited_instruments:
        year = instrument_years.get(instrument)
        if year is not None and year <= latest_year:
            cited.setdefault(agreement_id, set()).add((instrument, year))
    rows = []
    for agreement_id, date_signed in agreements:
        signed = as_date(date_signed)
        v = decide_vintage(signed.year if signed else None, evidence.get(agreement_id, []),
                           sorted(cited.get(agreement_id, ())))
        rows.append((agreement_id, v.vintage_year, v.vintage_basis, v.vintage_evidence))
    return rows

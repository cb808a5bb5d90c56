"""Dated evidence in the text of a provision: signature clauses, self-dating citations, dates.

The raw material of text vintage (pipeline.analytics.vintage decides from it). Found in the
refresh's workers, next to the classifier, so that the text is scanned once, in parallel.
Years are kept whatever they are; the decision drops those after the latest plausible date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
    "|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre"
)
# Regexes are anchored on what is rare (a four-digit year, a capitalised cue word) and look
# around it in a short window: scanning 7 MB of dated articles with month-name alternations at
# every position took seconds.
YEAR = re.compile(r"1[89]\d\d|20\d\d")  # boundaries checked in _years: lookarounds cost 5x here
# What stands before the year of a date: "15 April ", "April 15, ", "March in the year ",
# "abril de ", "27th day of January ".
MONTH_BEFORE = re.compile(
    rf"\b(?:{_MONTHS})\b(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?,?\s+(?:(?:de|del|in\s+the\s+year|of\s+the\s+year)\s+)?$",
    re.IGNORECASE,
)
# A signature clause starts a sentence or paragraph with a capitalised cue ("Agreement ...,
# done at Marrakesh" is a citation, not a signature), or follows "IN WITNESS WHEREOF".
SIGNATURE_CUE = re.compile(r"DONE|Done|SIGNED|Signed|HECHO|Hecho|FIRMADO|Firmado|SUSCRITO|Suscrito|FAIT|Fait")
WITNESS_CUE = re.compile(r"\b(?:WITNESS\s+WHEREOF|Witness\s+whereof|EN\s+FE\s+DE\s+LO\s+CUAL|En\s+fe\s+de\s+lo\s+cual"
                         r"|EN\s+FOI\s+DE\s+QUOI)\b")
# Citations that date themselves: EU acts by number, the Official Journal, GATT 1994.
CITATION = re.compile(
    r"(?:Regulation|Directive|Decision|Reglamento|Directiva|Decisión|Règlement|Décision)\s*"
    r"(?:\((?:EEC|EC|EU|Euratom|CEE|CE|UE)\)\s*)?(?:No\.?|n[º°o]\.?)\s*\d{1,4}/(?P<year1>\d{2}|\d{4})\b"
    r"|Directive\s+(?P<year2>\d{2}|\d{4})/\d{1,4}/(?:EEC|EC|EU)\b"
    r"|OJ\s+[LC]\s*\d+\s*,\s*\d{1,2}\.\s?\d{1,2}\.\s?(?P<year3>(?:19|20)\d\d)\b"
    r"|GATT\s+(?P<year4>1994)\b"
)
_CITATION_HINTS = ("/", "OJ", "GATT 1994")
# Words before a date that make it a deadline or a start, not a date of the text.
FUTURE_MARKER = re.compile(
    r"(?:\bby|\buntil|\btill|\bfrom|\bstarting|\bbeginning|\bbefore|\bafter|\bwithin|\bnot\s+later\s+than|"
    r"\bno\s+later\s+than|\bend\s+of|\bwith\s+effect|\bas\s+of|\bexpire\w*|\binto\s+force|\bshall|\bwill|"
    r"\ba\s+partir|\bhasta|\bantes|\bdesde|\bà\s+partir|\bavant|\bjusqu)\b[^.;]{0,25}$",
    re.IGNORECASE,
)
# Chapters and articles whose dates are calendars (phase-in, tariff cuts), not dates of the text.
CALENDAR_PART = re.compile(
    r"annex|schedule|appendix|tariff|protocol|exchange of letters|anexo|apéndice|apendice|calendario|protocolo|"
    r"arancel|annexe|calendrier",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str  # 'signature clause' | 'citation' | 'text date'
    year: int
    phrase: str
    provision_id: str


def evidence_in_text(text: str, provision_id: str, *, calendar_part: bool) -> list[Evidence]:
    """Dated evidence in one provision's text."""
    found: list[Evidence] = []
    if any(hint in text for hint in _CITATION_HINTS):
        for match in CITATION.finditer(text):
            raw = next(g for g in match.group("year1", "year2", "year3", "year4") if g)
            found.append(Evidence("citation", _full_year(raw), _clip(match.group(0)), provision_id))
    if calendar_part:
        return found
    dates = [(start, end, year) for start, end, year in _years(text)
             if MONTH_BEFORE.search(text, max(0, start - 40), start)]
    if not dates:
        return found
    for cue in _signature_cues(text):
        # The clause runs to the end of its sentence; its date is the first one in it.
        end = text.find(".", cue, cue + 300)
        end = cue + 300 if end < 0 else end
        inside = [d for d in dates if cue < d[0] < end]
        if inside:
            found.append(Evidence("signature clause", inside[0][2], _clip(text[cue:inside[0][1]]), provision_id))
    for start, end, year in dates:
        if not FUTURE_MARKER.search(text, max(0, start - 60), start):
            found.append(Evidence("text date", year, _clip(text[max(0, start - 50):end]), provision_id))
    return found


def _years(text: str) -> list[tuple[int, int, int]]:
    """(start, end, year) of stand-alone four-digit years (not in "1911/91", "1.2001", "12000")."""
    found = []
    for match in YEAR.finditer(text):
        start, end = match.span()
        if start and (text[start - 1].isdigit() or text[start - 1] in "/.,"):
            continue
        if end < len(text) and (text[end].isdigit() or text[end] == "/"):
            continue
        found.append((start, end, int(match.group(0))))
    return found


def _signature_cues(text: str) -> list[int]:
    cues = [m.start() for m in WITNESS_CUE.finditer(text)] if "WITNESS" in text or "itness" in text or "FE" in text \
        or "fe de" in text or "FOI" in text else []
    for match in SIGNATURE_CUE.finditer(text):
        start, end = match.span()
        if end < len(text) and text[end].isalnum():
            continue  # "Doneness", "Signedly": not the cue word
        before = text[max(0, start - 3):start].rstrip(" \t")
        if not before or before[-1] in ".;:\n":
            cues.append(start)
    return sorted(cues)


def _full_year(raw: str) -> int:
    # Two-digit years in EU act numbers: "1911/91" is 1991, "45/2001" is 2001, "95/46/EC" is 1995.
    if len(raw) == 4:
        return int(raw)
    value = int(raw)
    return 1900 + value if value >= 50 else 2000 + value


def _clip(phrase: str, limit: int = 120) -> str:
    phrase = " ".join(phrase.split())
    return phrase if len(phrase) <= limit else phrase[: limit - 1] + "…"




def provision_evidence(text: str, provision_id: str, chapter: str | None, article_title: str | None) -> list[Evidence]:
    """Evidence of one provision; dates in calendar parts (schedules, annexes) are not dates of the text."""
    if not text or (not YEAR.search(text) and "/" not in text):
        return []
    where = f"{chapter or ''} {article_title or ''}"
    return evidence_in_text(text, provision_id, calendar_part=bool(CALENDAR_PART.search(where)))

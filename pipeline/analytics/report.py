"""The report: one self-contained HTML page on which norms emerged when, how binding they are,
and from which templates.

The page loads nothing: charts are SVG documents in data: URIs, the style sheet is inline, there
is no script, and a Content-Security-Policy forbids fetching anything else. Every piece of text
from the corpus (clause texts, agreement names, evidence) is untrusted and is escaped by the
template engine (Jinja2 with autoescape on), never concatenated into markup by hand.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from pipeline.analytics import report_charts as charts
from pipeline.analytics.lineage import FAMILY_THRESHOLD
from pipeline.taxonomy import LABEL_IDS, LABELS

EXAMPLES_PER_NORM = 3
EXAMPLE_PREVIEW_CHARS = 700
FAMILIES_SHOWN = 25
PARTIES_SHOWN = 12
_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*(?:\n[ \t\r\f\v]*)+")


@dataclass(frozen=True)
class ReportTables:
    """Everything the report shows; `pipeline.api.report(...)` builds it from the store.

    Columns: adoption (norm, year, treaties, year_treaties, share, cumulative, hard, mixed, soft),
    first_adopters (norm, treaty_id, treaty_name, year, later_treaties), legalization (norm, year,
    treaties, hard_share), families (lineage.FAMILY_COLUMNS), corpus_health (agreement_id,
    treaty_id, name, year_signed, vintage_year, evidence), examples (norm, treaty_name, year,
    article_no, text)."""

    adoption: pd.DataFrame
    first_adopters: pd.DataFrame
    legalization: pd.DataFrame
    families: pd.DataFrame
    corpus_health: pd.DataFrame
    examples: pd.DataFrame
    model_version: str
    generated_at: str
    source_note: str


def render_report(tables: ReportTables, output: Path) -> Path:
    """Write the report to `output` (one HTML file) and return its path."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report_html(tables), encoding="utf-8")
    return output


def report_html(tables: ReportTables) -> str:
    """The report as a string of HTML."""
    environment = jinja2.Environment(loader=jinja2.PackageLoader("pipeline.analytics", "templates"),
                                     autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                                     lstrip_blocks=True)
    return environment.get_template("report.html.j2").render(
        meta=tables, summary=_summary(tables), charts=_charts(tables),
        first_adopters=_first_adopter_rows(tables.first_adopters),
        families=_family_rows(tables.families), family_count=len(tables.families), family_threshold=FAMILY_THRESHOLD,
        corpus_health=_health_rows(tables.corpus_health), examples=_example_groups(tables.examples))


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _charts(tables: ReportTables) -> dict[str, str]:
    return {
        "adoption": _data_uri(charts.adoption_curves(tables.adoption)),
        "heatmap": _data_uri(charts.adoption_heatmap(tables.adoption)),
        "legalization": _data_uri(charts.bindingness_trend(tables.adoption, tables.legalization)),
        "first_adopters": _data_uri(charts.first_adopters_chart(tables.first_adopters)),
        "families": _data_uri(charts.family_spread(tables.families)),
    }


def _year(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(int(value))


def _summary(tables: ReportTables) -> dict[str, object]:
    first = tables.first_adopters.sort_values(["year", "norm"]).head(1)
    return {
        "norms": int(tables.first_adopters["norm"].nunique()),
        "first_norm": first["norm"].iloc[0] if len(first) else "",
        "first_year": _year(first["year"].iloc[0]) if len(first) else "",
        "families": len(tables.families),
        "unhealthy": len(tables.corpus_health),
    }


def _first_adopter_rows(frame: pd.DataFrame) -> list[dict[str, str]]:
    frame = frame.sort_values(["year", "norm"])
    return [{"norm": row.norm, "treaty": str(row.treaty_name), "treaty_id": str(row.treaty_id),
             "year": _year(row.year), "later": str(int(row.later_treaties))} for row in frame.itertuples()]


def _parties(parties: object) -> str:
    codes = list(parties) if parties is not None and not isinstance(parties, str) else []
    shown = ", ".join(codes[:PARTIES_SHOWN])
    return f"{shown} and {len(codes) - PARTIES_SHOWN} more" if len(codes) > PARTIES_SHOWN else shown


def _family_rows(frame: pd.DataFrame) -> list[dict[str, str]]:
    rows = []
    for row in frame.head(FAMILIES_SHOWN).itertuples():
        parties = list(row.parties) if row.parties is not None else []
        rows.append({"family_id": row.family_id, "norm": row.norm, "first_treaty": str(row.first_treaty_name),
                     "first_year": _year(row.first_year), "last_year": _year(row.last_year),
                     "size": str(int(row.size)), "treaties": str(int(row.treaties)),
                     "party_count": str(len(parties)), "parties": _parties(parties)})
    return rows


def _health_rows(frame: pd.DataFrame) -> list[dict[str, str]]:
    return [{"name": str(row.name), "agreement_id": str(row.agreement_id), "treaty_id": str(row.treaty_id),
             "signed": _year(row.year_signed), "vintage": _year(row.vintage_year), "evidence": str(row.evidence)}
            for row in frame.itertuples()]


def _example_groups(frame: pd.DataFrame) -> list[dict[str, object]]:
    topics = {label.id: label.topic for label in LABELS}
    groups = []
    order = [n for n in LABEL_IDS if n in set(frame["norm"])] + sorted(set(frame["norm"]) - set(LABEL_IDS))
    for norm in order:
        clauses = []
        for row in frame[frame["norm"] == norm].head(EXAMPLES_PER_NORM).itertuples():
            # Treaty texts separate paragraphs with runs of blank lines; one line break reads better.
            text = _BLANK_LINES.sub("\n", str(row.text).strip())
            clauses.append({"treaty": str(row.treaty_name), "year": _year(row.year),
                            "article": "" if pd.isna(row.article_no) else str(row.article_no),
                            "preview": text[:EXAMPLE_PREVIEW_CHARS], "rest": text[EXAMPLE_PREVIEW_CHARS:]})
        groups.append({"norm": norm, "topic": topics.get(norm, ""), "clauses": clauses})
    return groups

"""The Python API analysts import: every table as a pandas DataFrame.

    from pipeline import api
    api.adoption()                                  # norm x year, dated by text vintage
    api.clauses(norm="source_code", party="AUS")    # the clauses themselves
    api.first_adopters(by="signed")

Every function takes the database path (default as the CLI: $CYBERNORMS_DB, else
outputs/cybernorms.duckdb) and opens it read-only for the length of the call. `by` chooses
the year a treaty is dated by: "vintage" (the year of the text held, default), "signed" or
"in-force". Lineage and the report come from pipeline.analytics.lineage / .report.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from pipeline.analytics import adoption as _adoption
from pipeline.analytics import coding as _coding
from pipeline.analytics.clauses import ClauseFilter
from pipeline.analytics.clauses import clauses as _clauses
from pipeline.analytics.health import corpus_health as _corpus_health
from pipeline.analytics.instruments import instruments as _instruments
from pipeline.store.database import DEFAULT_DB_PATH, open_database

if TYPE_CHECKING:
    from pipeline.analytics.lineage import Lineage

DB_ENV_VAR = "CYBERNORMS_DB"
TOTA_SOURCE_NOTE = (
    "Texts: ToTA (Texts of Trade Agreements) v0.5.0, Alschner, Seiermann & Skougarevskiy (2017), "
    "UNCTAD Research Paper No. 5, licensed CC BY-NC 4.0 (non-commercial use). "
    "Labels, bindingness and instruments: cybernorms classifier."
)


def default_db() -> Path:
    return Path(os.environ.get(DB_ENV_VAR) or DEFAULT_DB_PATH)


@contextmanager
def connect(db: str | Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database, read-only, closed afterwards."""
    connection = open_database(Path(db) if db else default_db(), read_only=True)
    try:  # (the progress bar is already off: the sandbox sets it before locking)
        yield connection
    finally:
        connection.close()


def treaties(db: str | Path | None = None) -> pd.DataFrame:
    """One row per treaty: language versions grouped, authoritative version, vintage."""
    with connect(db) as connection:
        _require(connection)
        frame = connection.execute("SELECT * FROM treaties ORDER BY treaty_id").df()
    for column in ("year_signed", "vintage_year"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _require(connection: duckdb.DuckDBPyConnection) -> None:
    from pipeline.analytics.norms import require_derived

    require_derived(connection)


def clauses(db: str | Path | None = None, *, norm: str | None = None, party: str | None = None,
            since: int | None = None, until: int | None = None, bindingness: str | None = None,
            text: str | None = None, agreement: str | None = None) -> pd.DataFrame:
    """Labelled provisions, filtered like `cybernorms clauses` (years are vintage years)."""
    with connect(db) as connection:
        return _clauses(connection, ClauseFilter(norm, party, since, until, bindingness, text, agreement))


def adoption(db: str | Path | None = None, *, by: str = "vintage") -> pd.DataFrame:
    with connect(db) as connection:
        return _adoption.adoption(connection, by)


def adoption_by_group(db: str | Path | None = None, *, group: str = "region", by: str = "vintage") -> pd.DataFrame:
    with connect(db) as connection:
        return _adoption.adoption_by_group(connection, group, by)


def party_adoption(db: str | Path | None = None, *, by: str = "vintage") -> pd.DataFrame:
    with connect(db) as connection:
        return _adoption.party_adoption(connection, by)


def first_adopters(db: str | Path | None = None, *, by: str = "vintage") -> pd.DataFrame:
    with connect(db) as connection:
        return _adoption.first_adopters(connection, by)


def legalization(db: str | Path | None = None, *, by: str = "vintage") -> pd.DataFrame:
    with connect(db) as connection:
        return _adoption.legalization(connection, by)


def coding(db: str | Path | None = None) -> pd.DataFrame:
    with connect(db) as connection:
        return _coding.coding(connection)


def dyads(db: str | Path | None = None, *, until: int | None = None) -> pd.DataFrame:
    with connect(db) as connection:
        return _coding.dyads(connection, until=until)


def corpus_health(db: str | Path | None = None) -> pd.DataFrame:
    with connect(db) as connection:
        return _corpus_health(connection)


def instruments(db: str | Path | None = None, *, by: str = "vintage") -> pd.DataFrame:
    with connect(db) as connection:
        return _instruments(connection, by)


def model_versions(db: str | Path | None = None) -> str:
    with connect(db) as connection:
        row = connection.execute("SELECT string_agg(DISTINCT model_version, ', ') FROM predictions").fetchone()
    return row[0] or "none"


def lineage(db: str | Path | None = None) -> Lineage:
    """Template lineage (edges, families, members, treaty_sources) of every labelled provision."""
    from pipeline.analytics.lineage import compute_lineage

    return compute_lineage(clauses(db))


def lineage_edges(db: str | Path | None = None) -> pd.DataFrame:
    """For each labelled provision, its most similar earlier provision with the same label."""
    return lineage(db).edges


def clause_families(db: str | Path | None = None) -> pd.DataFrame:
    return lineage(db).families


def treaty_sources(db: str | Path | None = None) -> pd.DataFrame:
    return lineage(db).treaty_sources


def examples(db: str | Path | None = None, *, per_norm: int = 3) -> pd.DataFrame:
    """norm, treaty_name, year, article_no, text: the earliest clauses of each norm, from
    different treaties (authoritative versions), for the report."""
    with connect(db) as connection:
        _require(connection)
        return connection.execute("""
            WITH labelled AS (
                SELECT unnest(c.labels) AS norm, t.name AS treaty_name, c.vintage_year AS year, c.article_no, c.text,
                       c.treaty_id, c.provision_id
                FROM clauses AS c
                JOIN treaty_versions AS tv ON tv.agreement_id = c.agreement_id AND tv.authoritative
                JOIN treaties AS t ON t.treaty_id = c.treaty_id
            ),
            one_per_treaty AS (
                SELECT *, row_number() OVER (PARTITION BY norm, treaty_id ORDER BY provision_id) AS within
                FROM labelled
            ),
            ranked AS (
                SELECT *, row_number() OVER (PARTITION BY norm ORDER BY year NULLS LAST, treaty_id) AS position
                FROM one_per_treaty WHERE within = 1
            )
            SELECT norm, treaty_name, year, article_no, text FROM ranked WHERE position <= ?
            ORDER BY norm, position
        """, [per_norm]).df()


def report(output: str | Path = "outputs/report.html", db: str | Path | None = None, *,
           by: str = "vintage") -> Path:
    """Write the self-contained HTML report (pipeline.analytics.report) and return its path."""
    from pipeline.analytics.report import ReportTables, render_report

    tables = ReportTables(
        adoption=adoption(db, by=by),
        first_adopters=first_adopters(db, by=by),
        legalization=legalization(db, by=by),
        families=clause_families(db),
        corpus_health=corpus_health(db),
        examples=examples(db),
        model_version=model_versions(db),
        generated_at=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        source_note=TOTA_SOURCE_NOTE,
    )
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    return render_report(tables, output)


# Tables `cybernorms export` writes, by the name given on the command line.
EXPORT_TABLES = {
    "clauses": clauses,
    "treaties": treaties,
    "coding": coding,
    "dyads": dyads,
    "adoption": adoption,
    "first-adopters": first_adopters,
    "legalization": legalization,
    "party-adoption": party_adoption,
    "lineage": lineage_edges,
    "instruments": instruments,
    "corpus-health": corpus_health,
}


def table(name: str, db: str | Path | None = None) -> pd.DataFrame:
    """Any exportable table by its command-line name ('first-adopters', 'corpus-health', ...)."""
    if name not in EXPORT_TABLES:
        from pipeline.errors import CybernormsError

        raise CybernormsError(f"{name}: no such table (choose from {', '.join(EXPORT_TABLES)})")
    return EXPORT_TABLES[name](db)


def export(name: str, fmt: str, output: str | Path, db: str | Path | None = None) -> Path:
    """Write a table as csv, xlsx, parquet, dta or json (lineage also as graphml)."""
    from pipeline.analytics.export import ExportNotes, write

    output = Path(output)
    if name == "lineage" and fmt == "graphml":
        from pipeline.analytics.lineage_export import lineage_graph, write_graphml

        output.parent.mkdir(parents=True, exist_ok=True)
        return write_graphml(lineage_graph(lineage(db), clauses(db)), output)
    frame = table(name, db)
    return write(frame, fmt, output, ExportNotes(name, TOTA_SOURCE_NOTE, model_versions(db)))

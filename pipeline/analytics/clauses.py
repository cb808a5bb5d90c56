"""Filtered reads of the `clauses` view, as parameterized SQL (no value is ever spliced in)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from pipeline.errors import CybernormsError
from pipeline.taxonomy import BINDINGNESS_VALUES, LABEL_IDS


@dataclass(frozen=True, slots=True)
class ClauseFilter:
    norm: str | None = None  # a taxonomy label id
    party: str | None = None  # ISO3
    since: int | None = None  # vintage year, inclusive
    until: int | None = None
    bindingness: str | None = None
    text: str | None = None  # every word must occur in the clause (case-insensitive)
    agreement: str | None = None  # agreement id ('tota:449') or treaty id


def check_filter(f: ClauseFilter) -> None:
    if f.norm is not None and f.norm not in LABEL_IDS:
        raise CybernormsError(f"--norm {f.norm}: not a label id (choose from {', '.join(LABEL_IDS)})")
    if f.bindingness is not None and f.bindingness not in BINDINGNESS_VALUES:
        raise CybernormsError(f"--bindingness {f.bindingness}: choose from {', '.join(BINDINGNESS_VALUES)}")
    if f.party is not None and not (len(f.party) == 3 and f.party.isalpha()):
        raise CybernormsError(f"--party {f.party}: give an ISO 3166-1 alpha-3 code, e.g. CHL")


def clause_query(f: ClauseFilter) -> tuple[str, list]:
    """SQL over `clauses` and its parameters for a filter."""
    check_filter(f)
    where, params = [], []
    if f.norm:
        where.append("list_contains(labels, ?)")
        params.append(f.norm)
    if f.party:
        where.append("list_contains(parties, ?)")
        params.append(f.party.upper())
    if f.since is not None:
        where.append("vintage_year >= ?")
        params.append(f.since)
    if f.until is not None:
        where.append("vintage_year <= ?")
        params.append(f.until)
    if f.bindingness:
        where.append("bindingness = ?")
        params.append(f.bindingness)
    for word in (f.text or "").split():
        where.append("contains(lower(text), lower(?))")
        params.append(word)
    if f.agreement:
        where.append("(agreement_id = ? OR treaty_id = ?)")
        params.extend([f.agreement, f.agreement])
    sql = "SELECT * FROM clauses"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + " ORDER BY vintage_year NULLS LAST, agreement_id, provision_id", params


def clauses(connection: duckdb.DuckDBPyConnection, f: ClauseFilter = ClauseFilter()) -> pd.DataFrame:
    from pipeline.analytics.norms import require_derived

    sql, params = clause_query(f)
    require_derived(connection)  # an older database's view has no treaty_id / vintage_year
    return connection.execute(sql, params).df()

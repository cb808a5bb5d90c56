"""Reads: read-only SQL and the status summary (analytics tables: pipeline.analytics)."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.errors import StoreError


def query(connection: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    try:
        return connection.execute(sql).df()
    except duckdb.Error as exc:
        raise StoreError(f"query failed: {exc} ({_hint(exc)})") from exc


def _hint(exc: duckdb.Error) -> str:
    if isinstance(exc, duckdb.PermissionException):
        return "the SQL sandbox reads only the database: no files, URLs, extensions or settings"
    if isinstance(exc, (duckdb.CatalogException, duckdb.BinderException)):
        return "see the tables and columns with `cybernorms sql \"SHOW ALL TABLES\"` and the README's schema"
    if isinstance(exc, duckdb.ParserException):
        return "check the query's syntax"
    if isinstance(exc, duckdb.OutOfMemoryException):
        return "narrow the query, or raise CYBERNORMS_SQL_MEMORY_LIMIT"
    return "check the query against the README's schema"


def status(connection: duckdb.DuckDBPyConnection) -> dict:
    counts = connection.execute(
        """
        SELECT (SELECT count(*) FROM agreements), (SELECT count(*) FROM provisions),
               (SELECT count(*) FROM predictions), (SELECT count(*) FROM clauses),
               (SELECT string_agg(DISTINCT model_version, ', ') FROM predictions)
        """
    ).fetchone()
    last = connection.execute(
        """
        SELECT run_id, started_at, finished_at, source, model_version, agreements_seen, agreements_written,
               agreements_unchanged, provisions_written, len(errors), status
        FROM runs ORDER BY started_at DESC LIMIT 1
        """
    ).fetchone()
    # A database from before the treaty tables has none (read-only: nothing can create them here).
    has_treaties = connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('treaties', 'agreement_vintage')").fetchone()[0] == 2
    treaties, redated = connection.execute(
        "SELECT (SELECT count(*) FROM treaties), (SELECT count(*) FROM agreement_vintage AS v JOIN agreements AS a "
        "USING (agreement_id) WHERE year(a.date_signed) IS DISTINCT FROM v.vintage_year)"
    ).fetchone() if has_treaties else (None, None)
    has_withdrawal = connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'all_agreements'").fetchone()[0] == 1
    withdrawn = connection.execute(
        "SELECT count(*) FROM all_agreements WHERE withdrawn_at IS NOT NULL").fetchone()[0] if has_withdrawal else 0
    keys = ["run_id", "started_at", "finished_at", "source", "model_version", "agreements_seen",
            "agreements_written", "agreements_unchanged", "provisions_written", "errors", "status"]
    return {
        "agreements": counts[0], "withdrawn agreements": withdrawn, "treaties": treaties, "vintage differs from signature": redated,
        "provisions": counts[1], "predictions": counts[2], "clauses": counts[3],
        "model_versions": counts[4], "last_run": dict(zip(keys, last)) if last else None,
    }

"""Reads: read-only SQL and the status summary (analytics tables: pipeline.analytics)."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.errors import StoreError


def query(connection: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    try:
        return connection.execute(sql).df()
    except duckdb.Error as exc:
        raise StoreError(f"query failed: {exc}") from exc


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
    keys = ["run_id", "started_at", "finished_at", "source", "model_version", "agreements_seen",
            "agreements_written", "agreements_unchanged", "provisions_written", "errors", "status"]
    return {
        "agreements": counts[0], "provisions": counts[1], "predictions": counts[2], "clauses": counts[3],
        "model_versions": counts[4], "last_run": dict(zip(keys, last)) if last else None,
    }

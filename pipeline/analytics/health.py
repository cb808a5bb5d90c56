"""Corpus health: agreements whose text is not what their dates say."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.analytics.norms import require_derived

HEALTH_COLUMNS = ["agreement_id", "treaty_id", "name", "year_signed", "vintage_year", "vintage_basis", "evidence"]


def corpus_health(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every agreement whose vintage differs from its year of signature (or that has no date at
    all), with the evidence that decided its vintage."""
    require_derived(connection)
    frame = connection.execute("""
        SELECT a.agreement_id, tv.treaty_id, a.name, CAST(year(a.date_signed) AS INTEGER) AS year_signed,
               v.vintage_year, v.vintage_basis, v.vintage_evidence AS evidence
        FROM agreements AS a
        JOIN agreement_vintage AS v USING (agreement_id)
        LEFT JOIN treaty_versions AS tv USING (agreement_id)
        WHERE year(a.date_signed) IS DISTINCT FROM v.vintage_year OR v.vintage_year IS NULL
        ORDER BY year_signed NULLS FIRST, a.agreement_id
    """).df()
    for column in ("year_signed", "vintage_year"):
        frame[column] = frame[column].astype("Int64")
    return frame[HEALTH_COLUMNS]

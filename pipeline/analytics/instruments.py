"""The international instruments the clauses cite: how often, since when, in which treaty first."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.analytics.norms import base_sql, require_derived
from pipeline.nlp.lexicon import instrument_years

INSTRUMENT_COLUMNS = ["instrument", "adopted", "treaties", "provisions", "first_year", "first_treaty_id"]


def instruments(connection: duckdb.DuckDBPyConnection, by: str = "vintage") -> pd.DataFrame:
    """instrument, adopted (its own year, where it has one), treaties and labelled provisions
    citing it (authoritative versions), first_year and first_treaty_id citing it."""
    require_derived(connection)
    frame = connection.execute(f"""
        WITH {base_sql(by)},
        cited AS (
            SELECT tv.treaty_id, pr.provision_id, unnest(pr.instruments) AS instrument
            FROM predictions AS pr JOIN treaty_versions AS tv ON tv.agreement_id = pr.agreement_id AND tv.authoritative
            WHERE len(pr.labels) > 0
        )
        SELECT c.instrument, count(DISTINCT c.treaty_id) AS treaties, count(DISTINCT c.provision_id) AS provisions,
               min(y.year) AS first_year,
               arg_min(c.treaty_id, (coalesce(y.year, 9999), coalesce(y.date_signed, DATE '9999-12-31'), c.treaty_id))
                   AS first_treaty_id
        FROM cited AS c JOIN treaty_years AS y USING (treaty_id)
        GROUP BY c.instrument
        ORDER BY treaties DESC, c.instrument
    """).df()
    years = instrument_years()
    frame.insert(1, "adopted", pd.array([years.get(name) for name in frame["instrument"]], dtype="Int64"))
    frame["first_year"] = frame["first_year"].astype("Int64")
    return frame[INSTRUMENT_COLUMNS]

"""Coding tables analysts merge with their own data: treaty x norm codes and the dyad panel."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.analytics.norms import base_sql, require_derived
from pipeline.taxonomy import LABEL_IDS

# TAPED's legalization scale.
CODES = {"none": 0, "soft": 1, "mixed": 2, "hard": 3}
CODE_LABELS = {0: "none", 1: "soft", 2: "mixed", 3: "hard"}
CODING_KEYS = ["treaty_id", "name", "year_signed", "vintage_year", "parties", "composition", "region"]


def coding(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per treaty, one column per norm (taxonomy order): 0 none / 1 soft / 2 mixed /
    3 hard, the treaty's bindingness for the norm (pipeline.analytics.norms)."""
    require_derived(connection)
    long = connection.execute(f"WITH {base_sql('vintage')} SELECT treaty_id, norm, bindingness FROM treaty_norms").df()
    treaties = connection.execute(
        "SELECT treaty_id, name, year_signed, vintage_year, parties, composition, region FROM treaties "
        "ORDER BY treaty_id").df()
    long["code"] = long["bindingness"].map(CODES).fillna(CODES["mixed"]).astype("int64")
    wide = long.pivot(index="treaty_id", columns="norm", values="code")
    wide = wide.reindex(index=treaties["treaty_id"], columns=list(LABEL_IDS)).fillna(0).astype("int64")
    wide.columns.name = None
    table = treaties.merge(wide, left_on="treaty_id", right_index=True)
    for column in ("year_signed", "vintage_year"):
        table[column] = table[column].astype("Int64")
    table["parties"] = table["parties"].map(list)
    return table.reset_index(drop=True)


def dyads(connection: duckdb.DuckDBPyConnection, *, until: int | None = None) -> pd.DataFrame:
    """iso3_a, iso3_b, year, norm, treaties, treaty_ids: for each pair of parties (iso3_a <
    iso3_b) and year, the treaties in force between them that contain the norm.

    A treaty counts from the year it entered into force, else the year it was signed, else its
    vintage year -- but never before its vintage year -- to `until` (default: the last year of any treaty in the database); the store
    has no end dates, so a terminated or replaced treaty keeps counting. Only rows with at least
    one treaty are listed: a pair-year-norm that is absent is 0.
    """
    require_derived(connection)
    frame = connection.execute(f"""
        WITH {base_sql('vintage')},
        spans AS (
            SELECT treaty_id, parties,
                   -- never before the text holding the norm existed (a consolidated 2002 text
                   -- filed under a 1976 agreement counts from 2002)
                   CAST(greatest(coalesce(year(date_in_force), year_signed, vintage_year),
                                 coalesce(vintage_year, year(date_in_force), year_signed)) AS INTEGER) AS start_year
            FROM treaty_years
        ),
        last AS (SELECT coalesce(?, max(coalesce(vintage_year, year_signed))) AS last_year FROM treaties),
        party_rows AS (SELECT treaty_id, start_year, unnest(parties) AS party FROM spans WHERE start_year IS NOT NULL),
        pairs AS (
            SELECT a.treaty_id, a.start_year, a.party AS iso3_a, b.party AS iso3_b
            FROM party_rows AS a JOIN party_rows AS b ON a.treaty_id = b.treaty_id AND a.party < b.party
        ),
        spells AS (
            SELECT p.iso3_a, p.iso3_b, n.norm, p.treaty_id, unnest(range(p.start_year, last.last_year + 1)) AS year
            FROM pairs AS p JOIN treaty_norms AS n USING (treaty_id), last
        )
        SELECT iso3_a, iso3_b, CAST(year AS INTEGER) AS year, norm, count(*) AS treaties,
               list(treaty_id ORDER BY treaty_id) AS treaty_ids
        FROM spells
        GROUP BY ALL
        ORDER BY iso3_a, iso3_b, year, norm
    """, [until]).df()
    frame["treaties"] = frame["treaties"].astype("int64")
    return frame

"""Norm adoption over time, per treaty: counts, shares, bindingness, parties, first adopters.

Every function reads the derived treaty tables with one SQL query (pipeline.analytics.norms
defines the unit) and returns a DataFrame; none writes.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.analytics.norms import base_sql, norm_order, require_derived, year_sql
from pipeline.taxonomy import LABEL_IDS

ADOPTION_COLUMNS = ["norm", "year", "treaties", "year_treaties", "share", "cumulative", "hard", "mixed", "soft"]
GROUPS = ("composition", "region")


def adoption(connection: duckdb.DuckDBPyConnection, by: str = "vintage") -> pd.DataFrame:
    """Norm x year, every norm and every year from the first to the last dated treaty.

    treaties: treaties of that year containing the norm; year_treaties: all treaties of that
    year; share: treaties / year_treaties (null in a year without treaties); cumulative:
    treaties up to and including that year; hard / mixed / soft: treaties of that year by
    their bindingness for the norm.
    """
    require_derived(connection)
    frame = connection.execute(f"""
        WITH {base_sql(by)},
        years AS (
            SELECT range AS year FROM range(
                (SELECT min(year) FROM treaty_years), (SELECT max(year) FROM treaty_years) + 1)
        ),
        norms AS (SELECT unnest(?::VARCHAR[]) AS norm),
        per_year AS (SELECT year, count(*) AS year_treaties FROM treaty_years WHERE year IS NOT NULL GROUP BY year),
        counts AS (
            SELECT n.norm, y.year, count(*) AS treaties,
                   count(*) FILTER (WHERE n.bindingness = 'hard') AS hard,
                   count(*) FILTER (WHERE n.bindingness = 'mixed') AS mixed,
                   count(*) FILTER (WHERE n.bindingness = 'soft') AS soft
            FROM treaty_norms AS n JOIN treaty_years AS y USING (treaty_id)
            WHERE y.year IS NOT NULL
            GROUP BY ALL
        )
        SELECT norms.norm, CAST(years.year AS INTEGER) AS year,
               coalesce(c.treaties, 0) AS treaties, coalesce(p.year_treaties, 0) AS year_treaties,
               CASE WHEN p.year_treaties > 0 THEN coalesce(c.treaties, 0) / p.year_treaties END AS share,
               sum(coalesce(c.treaties, 0)) OVER (PARTITION BY norms.norm ORDER BY years.year) AS cumulative,
               coalesce(c.hard, 0) AS hard, coalesce(c.mixed, 0) AS mixed, coalesce(c.soft, 0) AS soft
        FROM norms CROSS JOIN years
        LEFT JOIN counts AS c ON c.norm = norms.norm AND c.year = years.year
        LEFT JOIN per_year AS p ON p.year = years.year
    """, [list(LABEL_IDS)]).df()
    for column in ("treaties", "year_treaties", "cumulative", "hard", "mixed", "soft"):
        frame[column] = frame[column].astype("int64")
    return norm_order(frame, "year")[ADOPTION_COLUMNS]


def adoption_by_group(connection: duckdb.DuckDBPyConnection, group: str, by: str = "vintage") -> pd.DataFrame:
    """norm, year, <group>, treaties, group_treaties, share: adoption within each composition
    ('Bilateral', 'Plurilateral', ...) or region (a treaty spanning regions counts in each of
    them: ToTA writes 'Africa; Europe'). Only (norm, year, group) cells with a treaty."""
    if group not in GROUPS:
        raise ValueError(f"group {group!r}: choose from {', '.join(GROUPS)}")
    require_derived(connection)
    value = "unnest(string_split(region, '; '))" if group == "region" else "composition"
    frame = connection.execute(f"""
        WITH {base_sql(by)},
        grouped AS (SELECT treaty_id, year, trim({value}) AS grp FROM treaty_years WHERE year IS NOT NULL),
        sizes AS (SELECT year, grp, count(*) AS group_treaties FROM grouped GROUP BY ALL)
        SELECT n.norm, g.year, g.grp AS {group}, count(*) AS treaties, any_value(s.group_treaties) AS group_treaties,
               count(*) / any_value(s.group_treaties) AS share
        FROM treaty_norms AS n JOIN grouped AS g USING (treaty_id) JOIN sizes AS s USING (year, grp)
        GROUP BY ALL
    """).df()
    return norm_order(frame, "year", group)


def party_adoption(connection: duckdb.DuckDBPyConnection, by: str = "vintage") -> pd.DataFrame:
    """party (ISO3), norm, first_year, first_treaty_id, treaties: when each party first signed
    up to each norm, in which treaty, and in how many treaties in all."""
    require_derived(connection)
    frame = connection.execute(f"""
        WITH {base_sql(by)},
        party_norms AS (
            SELECT unnest(y.parties) AS party, n.norm, y.year, y.date_signed, n.treaty_id
            FROM treaty_norms AS n JOIN treaty_years AS y USING (treaty_id)
        )
        SELECT party, norm, min(year) AS first_year,
               arg_min(treaty_id, (coalesce(year, 9999), coalesce(date_signed, DATE '9999-12-31'), treaty_id))
                   AS first_treaty_id,
               count(DISTINCT treaty_id) AS treaties
        FROM party_norms GROUP BY party, norm
    """).df()
    frame["first_year"] = frame["first_year"].astype("Int64")
    return norm_order(frame, "party")[["party", "norm", "first_year", "first_treaty_id", "treaties"]]


def first_adopters(connection: duckdb.DuckDBPyConnection, by: str = "vintage") -> pd.DataFrame:
    """norm, treaty_id, treaty_name, year, later_treaties: the first dated treaty with each norm
    (ties in a year broken by date of signature, then id) and how many other dated treaties
    contain it since."""
    require_derived(connection)
    frame = connection.execute(f"""
        WITH {base_sql(by)},
        dated AS (
            SELECT n.norm, y.treaty_id, y.name, y.year,
                   row_number() OVER (PARTITION BY n.norm ORDER BY y.year, y.date_signed NULLS LAST, y.treaty_id)
                       AS position,
                   count(*) OVER (PARTITION BY n.norm) AS containing
            FROM treaty_norms AS n JOIN treaty_years AS y USING (treaty_id)
            WHERE y.year IS NOT NULL
        )
        SELECT norm, treaty_id, name AS treaty_name, year, containing - 1 AS later_treaties
        FROM dated WHERE position = 1
    """).df()
    frame["later_treaties"] = frame["later_treaties"].astype("int64")
    return norm_order(frame)[["norm", "treaty_id", "treaty_name", "year", "later_treaties"]]


def legalization(connection: duckdb.DuckDBPyConnection, by: str = "vintage") -> pd.DataFrame:
    """norm, year, treaties, hard_share: of the treaties of a year that contain a norm, the share
    whose commitments on it are all binding. Years without such a treaty are left out."""
    require_derived(connection)
    frame = connection.execute(f"""
        WITH {base_sql(by)}
        SELECT n.norm, y.year, count(*) AS treaties,
               count(*) FILTER (WHERE n.bindingness = 'hard') / count(*) AS hard_share
        FROM treaty_norms AS n JOIN treaty_years AS y USING (treaty_id)
        WHERE y.year IS NOT NULL
        GROUP BY ALL
    """).df()
    return norm_order(frame, "year")[["norm", "year", "treaties", "hard_share"]]


def adoption_matrix(table: pd.DataFrame, *, cumulative: bool = False) -> pd.DataFrame:
    """The adoption table as norm x year counts (rows in taxonomy order), for display."""
    column = "cumulative" if cumulative else "treaties"
    matrix = table.pivot(index="norm", columns="year", values=column).reindex(list(LABEL_IDS)).fillna(0).astype(int)
    matrix.columns.name = "year"
    return matrix


__all__ = ["ADOPTION_COLUMNS", "adoption", "adoption_by_group", "adoption_matrix", "first_adopters", "legalization",
           "party_adoption", "year_sql"]

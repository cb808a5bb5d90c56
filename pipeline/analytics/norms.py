"""The unit every analytics table counts: a treaty containing a norm, dated by a chosen year.

A treaty contains a norm when its authoritative version has a provision with that label
(language versions are not counted again). Its bindingness for the norm, TAPED's way:
`hard` when every such provision is hard, `soft` when every one is soft, else `mixed`.

The year of a treaty is, by `by`:
- "vintage" (default): the year of the text it holds (pipeline.analytics.vintage);
- "signed": the year of signature in the metadata, as published;
- "in-force": the year it entered into force (null when the metadata has no date).
"""

from __future__ import annotations

from typing import Literal

import duckdb
import pandas as pd

from pipeline.errors import StoreError
from pipeline.taxonomy import LABEL_IDS

YearBasis = Literal["vintage", "signed", "in-force"]
YEAR_BASES: tuple[str, ...] = ("vintage", "signed", "in-force")
_YEAR_SQL = {"vintage": "vintage_year", "signed": "year_signed", "in-force": "year(date_in_force)"}
BINDINGNESS_ORDER = ("soft", "mixed", "hard")


def year_sql(by: str) -> str:
    if by not in _YEAR_SQL:
        raise StoreError(f"--by {by}: unknown year basis (choose from {', '.join(YEAR_BASES)})")
    return _YEAR_SQL[by]


def base_sql(by: str) -> str:
    """CTEs `treaty_years` (treaty_id, name, year, date_signed, parties, composition, region) and
    `treaty_norms` (treaty_id, norm, bindingness) for the chosen year basis."""
    return f"""
    treaty_years AS (
        SELECT treaty_id, name, CAST({year_sql(by)} AS INTEGER) AS year, date_signed, date_in_force,
               year_signed, vintage_year, parties, composition, region
        FROM treaties
    ),
    treaty_norms AS (
        SELECT tv.treaty_id, n.norm,
               CASE WHEN bool_and(n.bindingness = 'hard') THEN 'hard'
                    WHEN bool_and(n.bindingness = 'soft') THEN 'soft'
                    ELSE 'mixed' END AS bindingness
        FROM (SELECT agreement_id, unnest(labels) AS norm, bindingness FROM predictions WHERE len(labels) > 0) AS n
        JOIN treaty_versions AS tv ON tv.agreement_id = n.agreement_id AND tv.authoritative
        GROUP BY tv.treaty_id, n.norm
    )"""


def require_derived(connection: duckdb.DuckDBPyConnection) -> None:
    """Treaties are built by a refresh; a database written by an older version has none yet."""
    present = {row[0] for row in connection.execute(
        "SELECT table_name FROM duckdb_tables() WHERE table_name IN ('treaties', 'treaty_versions', 'agreement_vintage')"
    ).fetchall()}
    agreements = connection.execute("SELECT count(*) FROM agreements").fetchone()[0]
    treaties = connection.execute("SELECT count(*) FROM treaties").fetchone()[0] if "treaties" in present else 0
    if len(present) < 3 or (agreements and not treaties):
        raise StoreError("the database has no treaty and vintage tables yet (it was built by an older "
                         "version): run `cybernorms refresh --db <this file>` once (it reads each agreement "
                         "again, once, to find the dates in its text)")


def norm_order(frame: pd.DataFrame, *others: str) -> pd.DataFrame:
    """Rows in taxonomy order of `norm`, then by the other columns."""
    rank = {norm: i for i, norm in enumerate(LABEL_IDS)}
    return (frame.assign(_rank=frame["norm"].map(rank)).sort_values(["_rank", *others], kind="stable")
            .drop(columns="_rank").reset_index(drop=True))

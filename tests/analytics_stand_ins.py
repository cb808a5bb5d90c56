"""Stand-ins for helper A's tables, read from a refreshed database with plain SQL.

Test and benchmark code only: at merge, `pipeline.api` (treaties, vintage, adoption) replaces
them. Until treaties exist the agreement id stands in for the treaty id and the signature year
for the vintage year.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

CLAUSES_SQL = """
SELECT p.provision_id, p.agreement_id, p.agreement_id AS treaty_id, a.name AS agreement_name,
       a.date_signed, year(a.date_signed) AS year, year(a.date_signed) AS vintage_year, a.parties,
       a.language, p.chapter, p.article_no, p.article_title, p.text, d.labels, d.bindingness,
       d.instruments, d.model_version
FROM provisions p JOIN predictions d USING (provision_id) JOIN agreements a ON a.agreement_id = p.agreement_id
WHERE len(d.labels) > 0
ORDER BY p.agreement_id, p.ordinal
"""


def clauses_from_database(db: Path) -> pd.DataFrame:
    """The clauses table of the analytics contract (one row per labelled provision)."""
    with duckdb.connect(str(db), read_only=True) as connection:
        return connection.execute(CLAUSES_SQL).df()

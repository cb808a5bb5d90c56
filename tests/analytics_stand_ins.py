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


# --- the report's tables, as helper A's api will give them (plain SQL over the stand-in clauses) ---

def _norm_treaties(clauses: pd.DataFrame) -> pd.DataFrame:
    """One row per (treaty, norm): its year and its strongest bindingness (hard > mixed > soft)."""
    rank = {"soft": 0, "mixed": 1, "hard": 2}
    rows = clauses.explode("labels").rename(columns={"labels": "norm"})
    rows = rows.assign(rank=rows["bindingness"].map(rank).fillna(0))
    best = rows.sort_values("rank").groupby(["treaty_id", "norm"]).tail(1)
    return best[["treaty_id", "agreement_name", "norm", "vintage_year", "bindingness"]].rename(
        columns={"vintage_year": "year"})


def adoption_from(clauses: pd.DataFrame, treaty_years: pd.Series) -> pd.DataFrame:
    """norm, year, treaties, year_treaties, share, cumulative, hard, mixed, soft for every norm and
    every year in which any treaty was signed."""
    from pipeline.taxonomy import LABEL_IDS

    pairs = _norm_treaties(clauses)
    year_treaties = treaty_years.value_counts().sort_index()
    grid = pd.MultiIndex.from_product([LABEL_IDS, year_treaties.index], names=["norm", "year"])
    counts = pairs.groupby(["norm", "year"]).agg(treaties=("treaty_id", "nunique")).reindex(grid, fill_value=0)
    levels = pairs.pivot_table(index=["norm", "year"], columns="bindingness", values="treaty_id", aggfunc="nunique")
    levels = levels.reindex(grid).reindex(columns=["hard", "mixed", "soft"]).fillna(0).astype(int)
    table = counts.join(levels).reset_index()
    table["year_treaties"] = table["year"].map(year_treaties)
    table["share"] = table["treaties"] / table["year_treaties"]
    table["cumulative"] = table.groupby("norm")["treaties"].cumsum()
    return table[["norm", "year", "treaties", "year_treaties", "share", "cumulative", "hard", "mixed", "soft"]]


def first_adopters_from(clauses: pd.DataFrame) -> pd.DataFrame:
    pairs = _norm_treaties(clauses).sort_values(["norm", "year", "treaty_id"])
    first = pairs.groupby("norm").head(1)
    later = [int(((pairs["norm"] == row.norm) & (pairs["year"] > row.year)).sum()) for row in first.itertuples()]
    return pd.DataFrame({"norm": first["norm"], "treaty_id": first["treaty_id"],
                         "treaty_name": first["agreement_name"], "year": first["year"], "later_treaties": later})


def legalization_from(adoption: pd.DataFrame) -> pd.DataFrame:
    data = adoption[adoption["treaties"] > 0]
    return data.assign(hard_share=data["hard"] / data["treaties"])[["norm", "year", "treaties", "hard_share"]]


def corpus_health_from(db: Path) -> pd.DataFrame:
    """Stand-in for helper A's vintage: agreements whose labelled clauses cite a year later than
    the year of signature (helper A's real table replaces it)."""
    sql = """
    WITH cited AS (
        SELECT p.agreement_id, max(CAST(m AS INTEGER)) AS cited_year
        FROM provisions p JOIN predictions d USING (provision_id),
             unnest(regexp_extract_all(p.text, '\\b(19[5-9][0-9]|20[01][0-9])\\b')) AS t(m)
        WHERE len(d.labels) > 0 GROUP BY p.agreement_id)
    SELECT a.agreement_id, a.agreement_id AS treaty_id, a.name, year(a.date_signed) AS year_signed,
           c.cited_year AS vintage_year, 'labelled articles cite the year ' || c.cited_year AS evidence
    FROM agreements a JOIN cited c USING (agreement_id)
    WHERE c.cited_year > year(a.date_signed) + 1 ORDER BY a.name
    """
    with duckdb.connect(str(db), read_only=True) as connection:
        return connection.execute(sql).df()


def examples_from(clauses: pd.DataFrame, per_norm: int = 3) -> pd.DataFrame:
    """The first, a middle and the latest clause of each norm."""
    rows = clauses.explode("labels").rename(columns={"labels": "norm"})
    rows = rows.sort_values(["norm", "date_signed", "provision_id"])
    picked = []
    for _, group in rows.groupby("norm", sort=True):
        positions = sorted({0, len(group) // 2, len(group) - 1})[:per_norm]
        picked.append(group.iloc[positions])
    chosen = pd.concat(picked)
    return pd.DataFrame({"norm": chosen["norm"], "treaty_name": chosen["agreement_name"], "year": chosen["year"],
                         "article_no": chosen["article_no"], "text": chosen["text"]}).reset_index(drop=True)


def report_tables_from_database(db: Path):
    """ReportTables for a refreshed database, with the lineage computed here."""
    from datetime import datetime, timezone

    from pipeline.analytics.lineage import compute_lineage
    from pipeline.analytics.report import ReportTables

    clauses = clauses_from_database(db)
    with duckdb.connect(str(db), read_only=True) as connection:
        treaty_years = connection.execute(
            "SELECT year(date_signed) AS year FROM agreements WHERE date_signed IS NOT NULL").df()["year"]
        model_version = connection.execute(
            "SELECT string_agg(DISTINCT model_version, ', ') FROM predictions").fetchone()[0]
    adoption = adoption_from(clauses, treaty_years)
    return ReportTables(
        adoption=adoption, first_adopters=first_adopters_from(clauses), legalization=legalization_from(adoption),
        families=compute_lineage(clauses).families, corpus_health=corpus_health_from(db),
        examples=examples_from(clauses), model_version=model_version or "",
        generated_at=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        source_note=f"Texts of Trade Agreements (ToTA) v0.5.0, CC BY-NC 4.0; database {Path(db).name}.")

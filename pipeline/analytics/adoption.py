"""Norm adoption over time: which norms appear in agreements signed in which year."""

from __future__ import annotations

import pandas as pd

from pipeline.taxonomy import LABEL_IDS


def adoption_table(label_years: pd.DataFrame, *, cumulative: bool = False) -> pd.DataFrame:
    """Norm x year: number of agreements signed that year with at least one provision of the norm.

    Rows follow the taxonomy order; columns are the years in which any norm appears.
    With cumulative=True each cell counts agreements signed up to and including that year.
    """
    if label_years.empty:
        return pd.DataFrame(0, index=pd.Index(LABEL_IDS, name="norm"), columns=pd.Index([], name="year"))
    counts = (
        label_years.drop_duplicates(["agreement_id", "label"])
        .groupby(["label", "year"])["agreement_id"].nunique()
        .unstack("year", fill_value=0)
    )
    years = range(int(counts.columns.min()), int(counts.columns.max()) + 1)
    table = counts.reindex(index=list(LABEL_IDS), columns=list(years), fill_value=0).astype(int)
    table.index.name, table.columns.name = "norm", "year"
    return table.cumsum(axis=1) if cumulative else table

"""The derived tables of a refresh: text vintage per agreement, treaties and their versions."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from pipeline.analytics.treaties import treaties_table, treaty_versions
from pipeline.analytics.vintage import vintage_table
from pipeline.nlp.lexicon import instrument_years
from pipeline.store.derived import DerivationInputs, read_inputs, replace_derived


def latest_plausible_year(agreements: pd.DataFrame) -> int:
    """No text in the database is younger than its newest signature date (or, without any
    dates, this year): later years in a text are deadlines and phase-in dates."""
    signed = pd.to_datetime(agreements["date_signed"]).dropna()
    return int(signed.dt.year.max()) if len(signed) else date.today().year


def derive(inputs: DerivationInputs) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(agreement_vintage, treaty_versions, treaties) from the stored agreements (pure)."""
    vintage = vintage_table(inputs.agreements, inputs.text_dates, inputs.cited_instruments, instrument_years(),
                            latest_plausible_year(inputs.agreements))
    versions = treaty_versions(inputs.agreements)
    return vintage, versions, treaties_table(inputs.agreements, versions, vintage)


def rebuild(connection: duckdb.DuckDBPyConnection) -> int:
    """Recompute the derived tables from what the database holds; returns the number of treaties."""
    vintage, versions, treaties = derive(read_inputs(connection))
    replace_derived(connection, vintage, versions, treaties)
    return len(treaties)

"""The derived tables of a refresh: text vintage per agreement, treaties and their versions.

`rebuild` recomputes them from the whole database (pandas); `update` recomputes only what the
agreements a refresh touched can change (pipeline.analytics.derive_incremental), and falls back
to `rebuild` whenever the stored tables cannot be trusted as a starting point. pandas is
imported by `rebuild` only: a refresh that changed one document never loads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import duckdb

from pipeline.nlp.lexicon import instrument_years
from pipeline.store import derived as store

if TYPE_CHECKING:
    import pandas as pd

# Past this many agreements and this share of the live ones, reading everything once beats
# per-agreement reads and row-by-row inserts (a model-only change touches them all).
INCREMENTAL_AT_MOST = 20
INCREMENTAL_SHARE = 0.25


@dataclass(frozen=True)
class Derived:
    treaties: int | None  # treaties in the database after a full rebuild; None after an update
    incremental: bool


def latest_plausible_year(agreements: pd.DataFrame) -> int:
    """No text in the database is younger than its newest signature date (or, without any
    dates, this year): later years in a text are deadlines and phase-in dates."""
    import pandas as pd

    signed = pd.to_datetime(agreements["date_signed"]).dropna()
    return int(signed.dt.year.max()) if len(signed) else date.today().year


def derive(inputs: store.DerivationInputs) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(agreement_vintage, treaty_versions, treaties) from the stored agreements (pure)."""
    from pipeline.analytics.treaties import treaties_table, treaty_versions
    from pipeline.analytics.vintage import vintage_table

    vintage = vintage_table(inputs.agreements, inputs.text_dates, inputs.cited_instruments, instrument_years(),
                            latest_plausible_year(inputs.agreements))
    versions = treaty_versions(inputs.agreements)
    return vintage, versions, treaties_table(inputs.agreements, versions, vintage)


def rebuild(connection: duckdb.DuckDBPyConnection, code_version: str | None = None) -> int:
    """Recompute the derived tables from what the database holds; returns the number of treaties."""
    from pipeline.fingerprint import code_version as current_code_version

    inputs = store.read_inputs(connection)
    vintage, versions, treaties = derive(inputs)
    state = store.DerivationState(code_version or current_code_version(), latest_plausible_year(inputs.agreements))
    store.replace_derived(connection, vintage, versions, treaties, state)
    return len(treaties)


def update(connection: duckdb.DuckDBPyConnection, affected: set[str], code_version: str) -> Derived:
    """Bring the derived tables up to date after a refresh wrote, restored or withdrew the
    agreements `affected`: only their rows and their treaties' when the stored tables were
    derived by this code with the same newest signature year, else a full rebuild."""
    if not affected:
        return Derived(None, True)
    signed = store.read_latest_signed_year(connection)
    latest_year = signed if signed is not None else date.today().year
    state = store.DerivationState(code_version, latest_year)
    agreements = store.read_agreement_records(connection)
    small = len(affected) <= max(INCREMENTAL_AT_MOST, INCREMENTAL_SHARE * len(agreements))
    if store.read_state(connection) != state or not small:
        return Derived(rebuild(connection, code_version), False)
    from pipeline.analytics.derive_incremental import derived_changes

    live = [a["agreement_id"] for a in agreements if a["agreement_id"] in affected]
    text_dates, cited = store.read_vintage_evidence(connection, live)
    changes = derived_changes(agreements, affected, text_dates, cited, instrument_years(), latest_year,
                              store.read_stored_derived(connection))
    store.apply_changes(connection, changes, state)
    return Derived(None, True)

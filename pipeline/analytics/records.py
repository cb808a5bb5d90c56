"""Plain values of an agreement row, whether it came from a DataFrame (NaN, NaT, Timestamp,
numpy arrays) or straight from DuckDB (None, date, list).

The treaty and vintage rules read agreements both ways: the full rebuild through pandas, the
incremental one (pipeline.analytics.derive_incremental) as DuckDB tuples, without importing
pandas. One reading of the values keeps the two giving the same rows.
"""

from __future__ import annotations

from datetime import date, datetime


def is_missing(value) -> bool:
    """None, NaN, NaT or pandas' NA (as pd.isna says, without importing pandas)."""
    if value is None:
        return True
    if isinstance(value, (str, list, tuple)):
        return False
    if type(value).__name__ in ("NAType", "NaTType"):  # NA compares to NA, not unequal
        return True
    return _unequal_to_itself(value)  # NaN, numpy's NaT


def _unequal_to_itself(value) -> bool:
    try:
        return bool(value != value)
    except (TypeError, ValueError):  # an array: not a missing scalar
        return False


def as_date(value) -> date | None:
    """A date (a pandas Timestamp is a datetime), or None when missing."""
    if is_missing(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    import pandas as pd  # other encodings (numpy datetime64): only reached from pandas frames

    return pd.Timestamp(value).date()


def is_list(value) -> bool:
    """A non-empty list of parties (a DataFrame cell can be an array, None or NaN)."""
    return value is not None and not isinstance(value, float) and len(value) > 0


def declared(value) -> str | None:
    """The manifest's `treaty` key, stripped; None when absent or blank."""
    if is_missing(value):
        return None
    return str(value).strip() or None

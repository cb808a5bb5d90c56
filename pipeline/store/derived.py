"""Reads and writes of the derived tables (treaties, treaty_versions, agreement_vintage).

They are rebuilt whole at the end of every refresh, in one transaction, so they always match
the agreements they were derived from (pipeline.analytics.derive computes them).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from pipeline.errors import StoreError


@dataclass(frozen=True)
class DerivationInputs:
    agreements: pd.DataFrame  # every column of `agreements`
    text_dates: pd.DataFrame  # agreement_id, provision_id, kind, year, phrase
    cited_instruments: pd.DataFrame  # agreement_id, instrument


def read_inputs(connection: duckdb.DuckDBPyConnection) -> DerivationInputs:
    return DerivationInputs(
        connection.execute("SELECT * EXCLUDE (run_id, content_hash) FROM agreements ORDER BY agreement_id").df(),
        connection.execute("SELECT agreement_id, provision_id, kind, year, phrase FROM text_dates").df(),
        connection.execute("SELECT DISTINCT agreement_id, unnest(instruments) AS instrument FROM predictions").df(),
    )


def replace_derived(connection: duckdb.DuckDBPyConnection, vintage: pd.DataFrame, versions: pd.DataFrame,
                    treaties: pd.DataFrame) -> None:
    connection.execute("BEGIN TRANSACTION")
    try:
        for name, frame in (("agreement_vintage", vintage), ("treaty_versions", versions), ("treaties", treaties)):
            connection.execute(f"DELETE FROM {name}")
            if len(frame):
                connection.register("_derived", frame)
                try:
                    columns = ", ".join(frame.columns)
                    connection.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM _derived")
                finally:
                    connection.unregister("_derived")
        connection.execute("COMMIT")
    except duckdb.Error as exc:
        connection.execute("ROLLBACK")
        raise StoreError(f"could not rebuild the treaty and vintage tables: {exc}") from exc

"""Reads and writes of the derived tables (treaties, treaty_versions, agreement_vintage) and of
`derivation_state`, what they were derived with.

They always match the agreements they were derived from: a refresh either rebuilds them whole
(pipeline.analytics.derive.rebuild) or replaces just the rows its changes reach
(pipeline.analytics.derive_incremental), each in one transaction with the state row. The
incremental reads and writes here use plain DuckDB rows: no pandas, whose import alone costs
a one-document refresh more than the whole update.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from pipeline.errors import StoreError

if TYPE_CHECKING:
    import pandas as pd

# What the treaty rules read of an agreement (pipeline.analytics.treaties).
AGREEMENT_COLUMNS = ("agreement_id", "source", "name", "date_signed", "date_in_force", "parties", "language",
                     "treaty", "composition", "region", "type")
VINTAGE_COLUMNS = ("agreement_id", "vintage_year", "vintage_basis", "vintage_evidence")
VERSION_COLUMNS = ("agreement_id", "treaty_id", "authoritative")
TREATY_COLUMNS = ("treaty_id", "name", "date_signed", "year_signed", "vintage_year", "date_in_force", "parties",
                  "composition", "region", "type", "language_versions", "authoritative_agreement_id")


@dataclass(frozen=True)
class DerivationInputs:
    agreements: pd.DataFrame  # every column of `agreements`
    text_dates: pd.DataFrame  # agreement_id, provision_id, kind, year, phrase
    cited_instruments: pd.DataFrame  # agreement_id, instrument


@dataclass(frozen=True)
class DerivationState:
    code_version: str
    latest_plausible_year: int


@dataclass(frozen=True)
class StoredDerived:
    """The derived rows a refresh starts from (small: one short row per agreement)."""

    vintage_years: dict[str, int | None]  # agreement_id -> vintage_year
    versions: dict[str, tuple[str, bool]]  # agreement_id -> (treaty_id, authoritative)


@dataclass(frozen=True)
class DerivedChanges:
    """Rows to delete (by key) and rows to insert, per derived table."""

    vintage_deleted: list[str]
    vintage_rows: list[tuple]  # agreement_id, vintage_year, vintage_basis, vintage_evidence
    versions_deleted: list[str]
    versions_rows: list[tuple]  # agreement_id, treaty_id, authoritative
    treaties_deleted: list[str]
    treaty_rows: list[tuple]  # TREATY_COLUMNS


def read_inputs(connection: duckdb.DuckDBPyConnection) -> DerivationInputs:
    return DerivationInputs(
        connection.execute("SELECT * EXCLUDE (run_id, content_hash) FROM agreements ORDER BY agreement_id").df(),
        connection.execute("SELECT agreement_id, provision_id, kind, year, phrase FROM text_dates").df(),
        connection.execute("SELECT DISTINCT agreement_id, unnest(instruments) AS instrument FROM predictions").df(),
    )


def replace_derived(connection: duckdb.DuckDBPyConnection, vintage: pd.DataFrame, versions: pd.DataFrame,
                    treaties: pd.DataFrame, state: DerivationState) -> None:
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
        _write_state(connection, state)
        connection.execute("COMMIT")
    except duckdb.Error as exc:
        connection.execute("ROLLBACK")
        raise StoreError(f"could not rebuild the treaty and vintage tables: {exc}") from exc


def read_state(connection: duckdb.DuckDBPyConnection) -> DerivationState | None:
    """None when the tables were never derived with a state row (a database from before it)."""
    rows = connection.execute("SELECT code_version, latest_plausible_year FROM derivation_state").fetchall()
    return DerivationState(*rows[0]) if len(rows) == 1 else None


def read_latest_signed_year(connection: duckdb.DuckDBPyConnection) -> int | None:
    """The newest year of signature among live agreements (None without any date)."""
    return connection.execute("SELECT max(year(date_signed)) FROM agreements").fetchone()[0]


def read_agreement_records(connection: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every live agreement's metadata (AGREEMENT_COLUMNS), in agreement_id order like read_inputs."""
    rows = connection.execute(f"SELECT {', '.join(AGREEMENT_COLUMNS)} FROM agreements ORDER BY agreement_id")
    return [dict(zip(AGREEMENT_COLUMNS, row)) for row in rows.fetchall()]


def read_vintage_evidence(connection: duckdb.DuckDBPyConnection, ids: list[str]) -> tuple[list[tuple], list[tuple]]:
    """(text_dates rows, cited instrument rows) of the agreements named, in the tables' order as
    read_inputs reads them (the order settles ties between equally late dates)."""
    text_dates = connection.execute(
        "SELECT agreement_id, provision_id, kind, year, phrase FROM text_dates WHERE list_contains(?, agreement_id)",
        [ids]).fetchall()
    cited = connection.execute(
        "SELECT DISTINCT agreement_id, unnest(instruments) AS instrument FROM predictions "
        "WHERE list_contains(?, agreement_id)", [ids]).fetchall()
    return text_dates, cited


def read_stored_derived(connection: duckdb.DuckDBPyConnection) -> StoredDerived:
    vintage = dict(connection.execute("SELECT agreement_id, vintage_year FROM agreement_vintage").fetchall())
    versions = {a: (t, bool(auth)) for a, t, auth in
                connection.execute("SELECT agreement_id, treaty_id, authoritative FROM treaty_versions").fetchall()}
    return StoredDerived(vintage, versions)


def apply_changes(connection: duckdb.DuckDBPyConnection, changes: DerivedChanges, state: DerivationState) -> None:
    """Delete and insert the changed rows of the three tables, with the state, in one transaction."""
    tables = (("agreement_vintage", "agreement_id", changes.vintage_deleted, changes.vintage_rows, VINTAGE_COLUMNS),
              ("treaty_versions", "agreement_id", changes.versions_deleted, changes.versions_rows, VERSION_COLUMNS),
              ("treaties", "treaty_id", changes.treaties_deleted, changes.treaty_rows, TREATY_COLUMNS))
    connection.execute("BEGIN TRANSACTION")
    try:
        for name, key, deleted, rows, columns in tables:
            if deleted:
                connection.execute(f"DELETE FROM {name} WHERE list_contains(?, {key})", [deleted])
            if rows:  # a few rows: executemany of Python values (an Arrow table would import pandas)
                connection.executemany(f"INSERT INTO {name} ({', '.join(columns)}) "
                                       f"VALUES ({', '.join(['?'] * len(columns))})", rows)
        _write_state(connection, state)
        connection.execute("COMMIT")
    except duckdb.Error as exc:
        connection.execute("ROLLBACK")
        raise StoreError(f"could not update the treaty and vintage tables: {exc}") from exc


def _write_state(connection: duckdb.DuckDBPyConnection, state: DerivationState) -> None:
    connection.execute("DELETE FROM derivation_state")
    connection.execute("INSERT INTO derivation_state VALUES (?, ?)", [state.code_version, state.latest_plausible_year])

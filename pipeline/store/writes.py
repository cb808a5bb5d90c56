"""Writes: agreements replace their previous rows inside a transaction.

Delete-then-insert inside one transaction makes a refresh idempotent (the same input
yields the same rows, never duplicates) and a failure part-way leaves the previous version
of an agreement intact, never half of the new one. A batch of agreements shares one
transaction (one commit instead of fifty: a commit costs more than the rows); if the batch
fails, each of its agreements is retried in a transaction of its own, so one bad agreement
costs only itself.

A failure of the storage itself (disk full, file system gone read-only, a commit that cannot
be written) is not one agreement's fault: retrying each agreement would only fail again, so it
stops the run at once with a StoreError. What earlier transactions committed stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from typing import TYPE_CHECKING

from pipeline.errors import StoreError
from pipeline.model import Run
from pipeline.store.rows import TABLES, StoreRows, to_rows

if TYPE_CHECKING:
    from pipeline.classify.documents import AnalysedDocument


def stored_table(name: str) -> str:
    """The table that holds `name`'s rows, withdrawn agreements' too (`name` is its live view)."""
    return f"all_{name}"


@dataclass
class WriteOutcome:
    agreements: int = 0
    provisions: int = 0
    errors: list[str] = field(default_factory=list)


def stored_versions(connection: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str | None]]:
    """agreement_id -> (content_hash, model_version of its predictions) for the live agreements.

    Agreements stored before their text was scanned for dates (text vintage) report no model,
    so the next refresh analyses them again, once.
    """
    rows = connection.execute(
        """
        SELECT a.agreement_id, a.content_hash, CASE WHEN bool_and(a.dates_scanned) THEN min(pr.model_version) END
        FROM agreements a LEFT JOIN predictions pr ON pr.agreement_id = a.agreement_id
        GROUP BY ALL
        """
    ).fetchall()
    return {agreement_id: (content_hash, model) for agreement_id, content_hash, model in rows}


def write_documents(
    connection: duckdb.DuckDBPyConnection, analysed: Sequence[AnalysedDocument], run_id: str
) -> WriteOutcome:
    """Replace each agreement with its provisions and predictions."""
    return write_rows(connection, to_rows(analysed), run_id)


def write_rows(connection: duckdb.DuckDBPyConnection, rows: StoreRows, run_id: str) -> WriteOutcome:
    """Replace each agreement of `rows` with its rows: the batch in one transaction, or, if that
    fails, each agreement in its own."""
    if not rows.agreements.num_rows:
        return WriteOutcome()
    try:
        return WriteOutcome(agreements=rows.agreements.num_rows, provisions=_replace(connection, rows, run_id))
    except duckdb.Error as exc:
        raise_if_storage_failure(exc)  # else: find the agreement(s) at fault, one transaction each
    outcome = WriteOutcome()
    for agreement_id in rows.agreement_ids:
        try:
            outcome.provisions += _replace(connection, rows.only(agreement_id), run_id)
            outcome.agreements += 1
        except duckdb.Error as exc:
            raise_if_storage_failure(exc)
            outcome.errors.append(f"{agreement_id} ({rows.name_of(agreement_id)}): not written, previous rows kept: {exc}")
    return outcome


def _replace(connection: duckdb.DuckDBPyConnection, rows: StoreRows, run_id: str) -> int:
    connection.execute("BEGIN TRANSACTION")
    try:
        for table in reversed(TABLES):
            connection.execute(f"DELETE FROM {stored_table(table)} WHERE list_contains(?, agreement_id)",
                               [rows.agreement_ids])
        for name in TABLES:
            data = getattr(rows, name)
            if data.num_rows:
                connection.register("_incoming", data)
                try:
                    columns = ", ".join(data.column_names)
                    # Only agreements carry the run that wrote them.
                    run_column, run_value = (", run_id", ", ?") if name == "agreements" else ("", "")
                    connection.execute(f"INSERT INTO {stored_table(name)} ({columns}{run_column}) "
                                       f"SELECT {columns}{run_value} FROM _incoming",
                                       [run_id] if run_column else [])
                finally:
                    connection.unregister("_incoming")
        connection.execute("COMMIT")
    except BaseException:
        try:
            connection.execute("ROLLBACK")
        except duckdb.Error:
            pass  # a failed COMMIT has already ended the transaction: keep the error that matters
        raise
    return rows.provisions.num_rows


def is_storage_failure(exc: BaseException) -> bool:
    """The database file cannot be written at all, as opposed to one agreement's rows being bad."""
    message = str(exc)
    return (isinstance(exc, (duckdb.IOException, duckdb.PermissionException, duckdb.FatalException))
            or "Failed to commit" in message or "database has been invalidated" in message
            or "No space left on device" in message)


def raise_if_storage_failure(exc: duckdb.Error) -> None:
    if is_storage_failure(exc):
        raise StoreError(f"the database cannot be written: {exc}") from exc


def start_run(connection: duckdb.DuckDBPyConnection, run: Run) -> None:
    connection.execute(
        "INSERT INTO runs (run_id, started_at, source, model_version, status) VALUES (?, ?, ?, ?, ?)",
        [run.id, run.started_at, run.source, run.model_version, run.status],
    )


def finish_run(connection: duckdb.DuckDBPyConnection, run: Run) -> None:
    record = run.record()
    record["finished_at"] = record["finished_at"] or datetime.now()
    columns = [key for key in record if key != "run_id"]
    connection.execute(f"UPDATE runs SET {', '.join(f'{c} = ?' for c in columns)} WHERE run_id = ?",
                       [record[c] for c in columns] + [run.id])

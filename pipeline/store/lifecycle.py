"""Reads and writes of what change detection and withdrawal keep per agreement, and of the
per-run record of which agreements a run touched (`run_documents`).

All writes here go to a snapshot (pipeline.store.snapshot), never to the published file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import duckdb

from pipeline.refresh_plan import Plan, StoredDocument


def read_stored(connection: duckdb.DuckDBPyConnection) -> list[StoredDocument]:
    """Every agreement stored, withdrawn ones too (none for a database from before withdrawal)."""
    has_table = connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND table_name = 'all_agreements'").fetchone()[0]
    if not has_table:
        return []
    rows = connection.execute(
        "SELECT agreement_id, source_path, source_location, fingerprint, model_version, withdrawn_at IS NOT NULL "
        "FROM all_agreements").fetchall()
    return [StoredDocument(*row) for row in rows]


def read_stored_file(db_path: Path) -> list[StoredDocument]:
    """read_stored on the published file, opened read-only (as readers do: it never blocks them)."""
    if not db_path.exists():
        return []
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return read_stored(connection)


def apply_plan(connection: duckdb.DuckDBPyConnection, plan: Plan, run_id: str, model_version: str,
               now: datetime) -> dict[str, int]:
    """After the run's rows are written: record the fingerprint, source and model of what was
    written, restore, relocate and withdraw, and note each agreement the run touched.
    Returns the count per action ('added': new or back at its source; 'changed', 'reclassified',
    'withdrawn')."""
    # Only the files this run may have written: a small table to join, however large the source.
    worked = set(plan.read) | {d.source_path for d in plan.reclassify}
    written = [f for f in plan.fingerprints if f.path in worked]
    # Two list parameters, unnested into a small table to join: building an Arrow table from
    # Python strings would import pandas (pyarrow checks for it), a third of a second that a
    # one-document refresh otherwise never pays.
    connection.execute(
        """
        UPDATE all_agreements SET fingerprint = f.fingerprint, source_location = ?, model_version = ?
        FROM (SELECT unnest(?::VARCHAR[]) AS path, unnest(?::VARCHAR[]) AS fingerprint) AS f
        WHERE all_agreements.source_path = f.path AND all_agreements.run_id = ?
        """, [plan.location, model_version, [f.path for f in written], [f.fingerprint for f in written], run_id])
    actions = {}
    written = connection.execute("SELECT agreement_id, source_path FROM all_agreements WHERE run_id = ?",
                                 [run_id]).fetchall()
    reclassified = {d.agreement_id for d in plan.reclassify}
    for agreement_id, path in written:
        if path in plan.new_paths:
            actions[agreement_id] = ("added", path)
        else:
            actions[agreement_id] = ("reclassified" if agreement_id in reclassified else "changed", path)
    for document in plan.restore:
        actions[document.agreement_id] = ("added", document.source_path)
    _update(connection, "withdrawn_at = NULL, run_id = ?", [run_id], plan.restore)
    _update(connection, "source_location = ?", [plan.location], plan.relocate)
    # Gone from the source; or its file now holds another agreement (the path was read again
    # this run and gave a different id).
    withdrawn = connection.execute(
        """
        UPDATE all_agreements SET withdrawn_at = ?
        WHERE withdrawn_at IS NULL AND run_id <> ?
          AND (list_contains(?, agreement_id)
               OR source_path IN (SELECT source_path FROM all_agreements WHERE run_id = ?))
        RETURNING agreement_id, source_path
        """, [now, run_id, [d.agreement_id for d in plan.withdraw], run_id]).fetchall()
    for agreement_id, path in withdrawn:
        actions[agreement_id] = ("withdrawn", path)
    if actions:
        # One statement over list parameters: executemany costs a statement per row.
        connection.execute(
            "INSERT INTO run_documents SELECT ?, unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
            [run_id, list(actions), [action for action, _ in actions.values()], [path for _, path in actions.values()]])
    counts: dict[str, int] = {}
    for action, _ in actions.values():
        counts[action] = counts.get(action, 0) + 1
    return counts


def touched_agreements(connection: duckdb.DuckDBPyConnection, run_id: str) -> set[str]:
    """The agreements a run wrote, restored or withdrew (its run_documents, after apply_plan)."""
    return {a for (a,) in connection.execute("SELECT agreement_id FROM run_documents WHERE run_id = ?",
                                              [run_id]).fetchall()}


def _update(connection: duckdb.DuckDBPyConnection, assignment: str, values: list,
            documents: Sequence[StoredDocument]) -> None:
    if documents:
        connection.execute(f"UPDATE all_agreements SET {assignment} WHERE list_contains(?, agreement_id)",
                           values + [[d.agreement_id for d in documents]])


def history(connection: duckdb.DuckDBPyConnection, agreement_id: str):
    """The runs that touched an agreement, oldest first, as a DataFrame (none for a database
    from before run_documents)."""
    try:
        return _history(connection, agreement_id)
    except duckdb.CatalogException:
        import pandas as pd

        return pd.DataFrame()


def _history(connection: duckdb.DuckDBPyConnection, agreement_id: str):
    return connection.execute(
        """
        SELECT r.run_id, r.started_at, d.action, d.source_path, r.source, r.model_version, r.parser_version,
               r.status
        FROM run_documents AS d JOIN runs AS r USING (run_id)
        WHERE d.agreement_id = ?
        ORDER BY r.started_at
        """, [agreement_id]).df()

"""The runs journal: run records that published no snapshot, one JSON line each.

A refresh that finds nothing to write publishes no new database (copying it would cost more
than the refresh), and a failed one publishes nothing; both still belong in `runs`. Every run
is also noted here when it starts, so one killed mid-run shows as 'running'. They are
appended to `<db>.runs.jsonl` beside the database: an append needs no lock, so readers holding
the database open are never in the way, and a crash mid-append leaves at most one torn last
line, which readers skip. Read-only connections see these records and the database's own
`runs` table as one `runs` view (attach_journal).
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

# The columns of `runs` a journal record carries (schema.sql), with their SQL types.
COLUMNS = {
    "run_id": "VARCHAR", "started_at": "TIMESTAMP", "finished_at": "TIMESTAMP", "source": "VARCHAR",
    "model_version": "VARCHAR", "agreements_seen": "INTEGER", "agreements_written": "INTEGER",
    "agreements_unchanged": "INTEGER", "provisions_written": "INTEGER", "errors": "VARCHAR[]",
    "status": "VARCHAR", "agreements_added": "INTEGER", "agreements_changed": "INTEGER",
    "agreements_reclassified": "INTEGER", "agreements_withdrawn": "INTEGER", "agreements_failed": "INTEGER",
    "stage_seconds": "VARCHAR", "parser_version": "VARCHAR", "code_version": "VARCHAR", "pdf_engine": "VARCHAR",
    "published": "BOOLEAN",
}


def journal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".runs.jsonl")


def append_run(db_path: Path, record: dict) -> None:
    """Append one run record (a single write of one line: whole or, after a crash, torn)."""
    line = json.dumps({key: _plain(record.get(key)) for key in COLUMNS}, ensure_ascii=False) + "\n"
    descriptor = os.open(journal_path(db_path), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, line.encode("utf-8"))
    finally:
        os.close(descriptor)


def read_runs(db_path: Path) -> list[dict]:
    """The journal's records; for a run recorded twice (started, then finished) the last."""
    path = journal_path(db_path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    records: dict[str, dict] = {}
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line)
            records[record["run_id"]] = record
        except (ValueError, KeyError, TypeError):
            log.warning("%s:%d: not a run record (a write cut short?), skipped", path, number)
    return list(records.values())


def attach_journal(connection: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    """Make `runs` on this read-only connection the database's runs and the journal's, as one
    view (temporary objects only: the file itself is never written)."""
    database = connection.execute("SELECT current_database()").fetchone()[0]
    columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS.items())
    connection.execute(f"CREATE TEMP TABLE journal_runs ({columns})")
    rows = [[_typed(record.get(name), kind) for name, kind in COLUMNS.items()] for record in read_runs(db_path)]
    if rows:
        marks = ", ".join("?" for _ in COLUMNS)
        connection.executemany(f"INSERT INTO temp.main.journal_runs VALUES ({marks})", rows)
    has_runs = connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND table_name = 'runs'", [database]
    ).fetchone()[0]
    if not has_runs:
        connection.execute("CREATE TEMP VIEW runs AS SELECT * FROM temp.main.journal_runs")
        return
    # A published run is in the database; its journal line (written when it started) is not needed.
    connection.execute(f"""
        CREATE TEMP VIEW runs AS
        SELECT * FROM "{database}".main.runs
        UNION ALL BY NAME
        SELECT * FROM temp.main.journal_runs WHERE run_id NOT IN (SELECT run_id FROM "{database}".main.runs)""")


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _typed(value, kind: str):
    if value is not None and kind == "TIMESTAMP":
        return datetime.fromisoformat(value)
    return value

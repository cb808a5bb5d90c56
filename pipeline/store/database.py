"""Opening the DuckDB store: schema applied on open; read-only connections are sandboxed
(pipeline.store.sandbox: no files, URLs or extensions, capped, configuration locked).

Readers open the published snapshot read-only and never write it; refreshes write a copy and
publish it whole (pipeline.store.snapshot). A read-only connection also sees the runs that
published no snapshot (nothing changed, or the run failed) from the runs journal beside the
database (pipeline.store.journal), through a `runs` view that unites both.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

from pipeline.errors import StoreError
from pipeline.store.sandbox import lock, sandbox_config, sandbox_limits

DEFAULT_DB_PATH = Path("outputs/cybernorms.duckdb")
# Tables that became views over all_<name> when withdrawal arrived (see schema.sql).
LIVE_VIEWS = ("agreements", "provisions", "predictions", "paragraphs", "text_dates", "footnotes")


def schema_sql() -> str:
    return resources.files("pipeline.store").joinpath("schema.sql").read_text(encoding="utf-8")


def open_database(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and for writing, create and migrate) the database file.

    Read-only connections are sandboxed and locked (see pipeline.store.sandbox). Never open the
    published database for writing while it is in use: refreshes write a snapshot instead
    (pipeline.store.snapshot)."""
    if read_only and not path.exists():
        raise StoreError(f"{path}: no database here yet (run `cybernorms refresh --db {path}` first)")
    config = sandbox_config(sandbox_limits()) if read_only else {}
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        connection = duckdb.connect(str(path), read_only=read_only, config=config)
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the database folder: {exc.strerror} "
                         "(choose a writable location with --db or CYBERNORMS_DB)") from exc
    except duckdb.Error as exc:
        raise StoreError(f"{path}: cannot open the database: {exc} "
                         "(check the path and its permissions, and that no other process writes to it)") from exc
    if read_only:
        from pipeline.store.journal import attach_journal

        attach_journal(connection, path)
        lock(connection)
    else:
        migrate_to_live_views(connection)
        connection.execute(schema_sql())
    return connection


def migrate_to_live_views(connection: duckdb.DuckDBPyConnection) -> None:
    """Databases from before withdrawal hold `agreements`, `provisions`, ... as tables: rename
    them all_<name> (the schema then adds the views), in one transaction."""
    tables = {name for (name,) in connection.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary"
    ).fetchall()}
    legacy = [name for name in LIVE_VIEWS if name in tables]
    if not legacy:
        return
    connection.execute("BEGIN TRANSACTION")
    try:
        # Views are bound by name when queried; drop them while their tables move.
        for view in ("clauses", "footnote_citations"):
            connection.execute(f"DROP VIEW IF EXISTS {view}")
        for name in legacy:
            connection.execute(f"ALTER TABLE {name} RENAME TO all_{name}")
        connection.execute("COMMIT")
    except duckdb.Error:
        connection.execute("ROLLBACK")
        raise

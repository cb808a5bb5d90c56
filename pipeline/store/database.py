"""Opening the DuckDB store: schema applied on open; read-only connections are sandboxed
(pipeline.store.sandbox: no files, URLs or extensions, capped, configuration locked)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

from pipeline.errors import StoreError
from pipeline.store.sandbox import lock, sandbox_config, sandbox_limits

DEFAULT_DB_PATH = Path("outputs/cybernorms.duckdb")


def schema_sql() -> str:
    return resources.files("pipeline.store").joinpath("schema.sql").read_text(encoding="utf-8")


def open_database(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and for writing, create and migrate) the database file.

    Read-only connections are sandboxed and locked (see pipeline.store.sandbox)."""
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
        lock(connection)
    else:
        connection.execute(schema_sql())
    return connection

"""Opening the DuckDB store: schema applied on open, read-only mode for queries."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

from pipeline.errors import StoreError

DEFAULT_DB_PATH = Path("outputs/cybernorms.duckdb")


def schema_sql() -> str:
    return resources.files("pipeline.store").joinpath("schema.sql").read_text(encoding="utf-8")


def open_database(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and for writing, create and migrate) the database file."""
    if read_only and not path.exists():
        raise StoreError(f"{path}: no database here yet (run `cybernorms refresh --db {path}` first)")
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        connection = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(f"{path}: cannot open the database: {exc}") from exc
    if not read_only:
        connection.execute(schema_sql())
    return connection

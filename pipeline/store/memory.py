"""A memory bound for the refresh's writer connection.

DuckDB's default memory limit is 80% of the machine's RAM, and its buffer manager keeps the
blocks a refresh writes cached up to that limit, so the writer's memory grew with the
database, and the checkpoint and the rebuild of the derived tables at the end of a refresh
came on top of that cache (benchmarks/refresh_scale.py, README: Performance).
The writer needs little: it appends batches and reads a few columns to rebuild the treaty
tables. With a limit, DuckDB evicts written blocks (they are on disk) and spills rather
than grow; readers open their own connections with their own limits (pipeline.store.sandbox).
"""

from __future__ import annotations

import duckdb

WRITER_MEMORY_LIMIT = "64MB"


def limit_writer_memory(connection: duckdb.DuckDBPyConnection, limit: str = WRITER_MEMORY_LIMIT) -> None:
    connection.execute(f"SET memory_limit = '{limit}'")

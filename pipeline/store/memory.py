"""A memory bound for the refresh's writer connection.

DuckDB's default memory limit is 80% of the machine's RAM, and its buffer manager keeps the
blocks a refresh writes cached up to that limit, so the writer's memory grew with the
database: at the end of a refresh of 3x ToTA, the checkpoint and the rebuild of the derived
tables took the process from about 0.7 to 1.0 GB (measured with benchmarks/refresh_scale.py).
The writer needs little: it appends batches and reads a few columns to rebuild the treaty
tables. With a limit, DuckDB evicts written blocks (they are on disk) and spills rather
than grow; readers open their own connections with their own limits (pipeline.store.sandbox).
"""

from __future__ import annotations

import duckdb

WRITER_MEMORY_LIMIT = "128MB"


def limit_writer_memory(connection: duckdb.DuckDBPyConnection, limit: str = WRITER_MEMORY_LIMIT) -> None:
    connection.execute(f"SET memory_limit = '{limit}'")

"""The read-only sandbox: what a connection handed to analysts' SQL may do.

Read-only on the file is not enough: DuckDB can also write files (COPY TO), read any local
file or URL (read_text, read_csv, ATTACH), install and load extensions and change its own
settings. A read-only connection here is opened with external access and extension loading
off, memory and threads capped, and then its configuration locked, so no statement can turn
any of it back on. `check_read_only_sql` adds a second, independent layer for `cybernorms sql`:
DuckDB's own parser must find exactly one statement, of a kind that only reads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import duckdb

from pipeline.errors import StoreError

MEMORY_ENV_VAR = "CYBERNORMS_SQL_MEMORY_LIMIT"
THREADS_ENV_VAR = "CYBERNORMS_SQL_THREADS"
DEFAULT_MEMORY_LIMIT = "2GB"
DEFAULT_THREADS = 4
# SELECT covers WITH, VALUES, FROM-first, DESCRIBE, SHOW and SUMMARIZE; EXPLAIN only plans.
READ_ONLY_STATEMENTS = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})


@dataclass(frozen=True, slots=True)
class SandboxLimits:
    memory_limit: str = DEFAULT_MEMORY_LIMIT
    threads: int = DEFAULT_THREADS


def sandbox_limits(environ: dict[str, str] | None = None) -> SandboxLimits:
    """The caps, from CYBERNORMS_SQL_MEMORY_LIMIT (a DuckDB size: 512MB, 4GB) and
    CYBERNORMS_SQL_THREADS, else the defaults."""
    environ = os.environ if environ is None else environ
    memory = environ.get(MEMORY_ENV_VAR, "").strip() or DEFAULT_MEMORY_LIMIT
    threads_text = environ.get(THREADS_ENV_VAR, "").strip()
    try:
        threads = int(threads_text) if threads_text else DEFAULT_THREADS
    except ValueError:
        threads = 0
    if threads < 1:
        raise StoreError(f"{THREADS_ENV_VAR}={threads_text!r}: not a positive whole number "
                         f"(set it to e.g. {DEFAULT_THREADS}, or unset it)")
    return SandboxLimits(memory, threads)


def sandbox_config(limits: SandboxLimits) -> dict[str, object]:
    """Settings given to duckdb.connect: they hold from the first statement on."""
    return {
        "enable_external_access": False,  # no file or URL outside the database, no ATTACH, no COPY TO
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "allow_unsigned_extensions": False,
        "memory_limit": limits.memory_limit,
        "threads": limits.threads,
    }


def lock(connection: duckdb.DuckDBPyConnection) -> None:
    """Session settings the project needs, then lock: later SET/PRAGMA/RESET are refused."""
    connection.execute("SET enable_progress_bar = false")
    connection.execute("SET lock_configuration = true")


def check_read_only_sql(sql: str) -> str:
    """The one read-only statement in `sql`, or a StoreError saying what is refused and why."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise StoreError(f"SQL does not parse: {_first_line(exc)} (check the query's syntax)") from exc
    if not statements:
        raise StoreError("SQL holds no statement (pass one SELECT query)")
    if len(statements) > 1:
        raise StoreError(f"SQL holds {len(statements)} statements; `cybernorms sql` runs exactly one "
                         "(run them one at a time)")
    statement = statements[0]
    if statement.type not in READ_ONLY_STATEMENTS:
        kind = statement.type.name
        raise StoreError(f"{kind} statements are refused: `cybernorms sql` is read-only "
                         "(use SELECT, WITH … SELECT, DESCRIBE, SHOW, SUMMARIZE or EXPLAIN; to export, use "
                         "`cybernorms export` or `--format csv`)")
    return statement.query


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__

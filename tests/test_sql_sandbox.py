"""`cybernorms sql` and every read-only connection: nothing but the database can be read,
nothing written, no extension loaded, no setting changed. Each escape is tried for real."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from http_server import serve_folder
from pipeline import api
from pipeline.cli import app
from pipeline.errors import StoreError
from pipeline.store import open_database
from pipeline.store.sandbox import check_read_only_sql

runner = CliRunner()
CYBERNORMS = Path(sys.executable).parent / "cybernorms"


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """A real database file with the project's schema and one agreement."""
    path = tmp_path / "store.duckdb"
    with open_database(path) as connection:
        connection.execute("INSERT INTO all_agreements (agreement_id, source, source_id, name, content_hash, run_id) "
                           "VALUES ('tota:1', 'tota', '1', 'Test Agreement', 'x', 'r1')")
    return path


def _sql(db: Path, query: str):
    return runner.invoke(app, ["sql", "--db", str(db), "--format", "jsonl", query])


def test_a_select_still_works(db: Path) -> None:
    result = _sql(db, "SELECT name FROM agreements")
    assert result.exit_code == 0, result.output
    assert "Test Agreement" in result.stdout


@pytest.mark.parametrize("make_query, refused", [
    (lambda p: f"COPY (SELECT 42) TO '{p}'", "COPY statements are refused"),
    (lambda p: f"COPY agreements TO '{p}' (FORMAT csv)", "COPY statements are refused"),
    (lambda p: f"EXPORT DATABASE '{p}'", "EXPORT statements are refused"),
    (lambda p: f"ATTACH '{p}' AS other", "ATTACH statements are refused"),
    (lambda p: "INSTALL httpfs", "LOAD statements are refused"),
    (lambda p: "LOAD httpfs", "LOAD statements are refused"),
    (lambda p: "SET threads = 1", "SET statements are refused"),
    (lambda p: "PRAGMA version", "PRAGMA statements are refused"),
    (lambda p: "CALL pragma_version()", "CALL statements are refused"),
    (lambda p: f"SELECT 1; COPY (SELECT 42) TO '{p}'", "2 statements"),
    (lambda p: "SELECT 1; SELECT 2", "2 statements"),
    (lambda p: "DROP TABLE agreements", "read-only"),
])
def test_each_escape_is_refused_by_the_sql_command(db: Path, tmp_path: Path, make_query, refused: str) -> None:
    target = tmp_path / "escape.out"
    result = _sql(db, make_query(target))
    assert result.exit_code == 1, result.output
    assert refused in result.output
    assert not target.exists()


@pytest.mark.parametrize("query", [
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM glob('/etc/*')",
])
def test_reading_a_local_file_is_refused(db: Path, query: str) -> None:
    result = _sql(db, query)
    assert result.exit_code == 1
    assert "file system operations are disabled" in result.output
    assert "the SQL sandbox reads only the database" in result.output  # the fix, not only the problem


def test_an_http_url_is_never_fetched(db: Path, tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("a\n1\n")
    with serve_folder(tmp_path) as url:
        result = _sql(db, f"SELECT * FROM read_csv('{url}x.csv')")
        assert result.exit_code == 1
        assert url.requests == []


def test_the_engine_refuses_escapes_even_without_the_statement_check(db: Path, tmp_path: Path) -> None:
    """The second layer alone: the connection every read-only caller gets (api, sql, status)."""
    target = tmp_path / "copied.csv"
    with api.connect(db) as connection:
        with pytest.raises(duckdb.PermissionException):
            connection.execute(f"COPY (SELECT 42) TO '{target}'")
        with pytest.raises(duckdb.PermissionException):
            connection.execute(f"ATTACH '{tmp_path / 'other.duckdb'}' AS other")
        with pytest.raises(duckdb.PermissionException):
            connection.execute("SELECT * FROM read_text('/etc/hostname')")
        with pytest.raises(duckdb.Error):
            connection.execute("LOAD httpfs")
        with pytest.raises(duckdb.InvalidInputException, match="locked"):
            connection.execute("SET enable_external_access = true")
        with pytest.raises(duckdb.InvalidInputException, match="locked"):
            connection.execute("RESET enable_external_access")
        settings = dict(connection.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN ('autoinstall_known_extensions', "
            "'autoload_known_extensions', 'enable_external_access', 'lock_configuration')").fetchall())
    assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false",
                        "enable_external_access": "false", "lock_configuration": "true"}
    assert not target.exists() and not (tmp_path / "other.duckdb").exists()


def test_memory_and_threads_are_capped_and_overridable(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with api.connect(db) as connection:
        assert connection.execute("SELECT current_setting('threads')").fetchone()[0] == 4
    monkeypatch.setenv("CYBERNORMS_SQL_THREADS", "1")
    monkeypatch.setenv("CYBERNORMS_SQL_MEMORY_LIMIT", "300MB")
    with api.connect(db) as connection:
        threads, memory = connection.execute(
            "SELECT current_setting('threads'), current_setting('memory_limit')").fetchone()
    assert threads == 1 and memory.startswith("286")  # 300 MB in MiB
    monkeypatch.setenv("CYBERNORMS_SQL_THREADS", "many")
    with pytest.raises(StoreError, match="CYBERNORMS_SQL_THREADS"):
        api.connect(db).__enter__()


@pytest.mark.parametrize("query", ["WITH a AS (SELECT 1) SELECT * FROM a", "DESCRIBE agreements", "SHOW TABLES",
                                   "SUMMARIZE agreements", "EXPLAIN SELECT 1", "FROM agreements", "VALUES (1)"])
def test_read_only_kinds_are_accepted(query: str) -> None:
    assert check_read_only_sql(query).strip() == query


def test_unparseable_sql_names_the_problem_and_the_fix() -> None:
    with pytest.raises(StoreError, match="does not parse.*check the query's syntax"):
        check_read_only_sql("SELEC 1")


def test_filters_are_parameters_not_sql(db: Path) -> None:
    """A quote in a filter value is data: an injection attempt matches nothing and fails nothing."""
    from pipeline.analytics.clauses import ClauseFilter, clause_query

    hostile = "tota:1' OR '1'='1"
    sql, params = clause_query(ClauseFilter(norm="source_code", party="CHL", since=2000, until=2010,
                                            bindingness="hard", text="it's data", agreement=hostile))
    assert "'" not in sql  # no value is spliced into the SQL text
    assert sql.count("?") == len(params) and hostile in params and "it's" in params


def test_the_installed_command_refuses_copy_in_a_real_process(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    result = subprocess.run([str(CYBERNORMS), "sql", "--db", str(db), f"COPY (SELECT 42) TO '{target}'"],
                            capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 1
    assert "COPY statements are refused" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr and not target.exists()

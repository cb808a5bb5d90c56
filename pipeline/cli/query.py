"""`cybernorms sql` and `cybernorms clauses`: read the database without writing to it."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from pipeline.cli.common import DbOption, _fail, app, write_frame
from pipeline.errors import CybernormsError
from pipeline.store.database import DEFAULT_DB_PATH

FormatOption = Annotated[str, typer.Option("--format", help="table, csv or jsonl.")]


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="A SQL query; the database is opened read-only.")],
    db: DbOption = DEFAULT_DB_PATH,
    format: FormatOption = "table",
) -> None:
    """Run one read-only SQL query (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN) against the database.

    The connection reads no file or URL but the database and loads no extension; memory and
    threads are capped (CYBERNORMS_SQL_MEMORY_LIMIT, CYBERNORMS_SQL_THREADS)."""
    from pipeline.store import open_database
    from pipeline.store.reads import query as run_query
    from pipeline.store.sandbox import check_read_only_sql

    try:
        statement = check_read_only_sql(query)
        with open_database(db, read_only=True) as connection:
            frame = run_query(connection, statement)
    except CybernormsError as exc:
        _fail(exc)
    write_frame(frame, format)


@app.command()
def clauses(
    norm: Annotated[Optional[str], typer.Option(help="Label id, e.g. source_code.")] = None,
    party: Annotated[Optional[str], typer.Option(help="Party (ISO 3166-1 alpha-3), e.g. CHL.")] = None,
    since: Annotated[Optional[int], typer.Option(help="First vintage year.")] = None,
    until: Annotated[Optional[int], typer.Option(help="Last vintage year.")] = None,
    bindingness: Annotated[Optional[str], typer.Option(help="hard, soft or mixed.")] = None,
    text: Annotated[Optional[str], typer.Option(help="Words that must all occur in the clause.")] = None,
    agreement: Annotated[Optional[str], typer.Option(help="Agreement id (tota:449) or treaty id.")] = None,
    format: FormatOption = "table",
    db: DbOption = DEFAULT_DB_PATH,
) -> None:
    """Labelled clauses, filtered (parameterized SQL over the `clauses` view)."""
    from pipeline import api

    try:
        frame = api.clauses(db, norm=norm, party=party, since=since, until=until, bindingness=bindingness,
                            text=text, agreement=agreement)
    except CybernormsError as exc:
        _fail(exc)
    if format == "table":
        frame = frame[["provision_id", "treaty_id", "vintage_year", "article_no", "article_title", "labels",
                       "bindingness", "text"]]
        frame = frame.assign(text=[" ".join(t.split())[:100] for t in frame["text"]])
    write_frame(frame, format)

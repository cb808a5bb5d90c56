"""`cybernorms sql`: read-only SQL over the database."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from pipeline.cli.common import DbOption, _fail, app, console, out
from pipeline.errors import CybernormsError
from pipeline.store.database import DEFAULT_DB_PATH


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="A SQL query; the database is opened read-only.")],
    db: DbOption = DEFAULT_DB_PATH,
    format: Annotated[str, typer.Option("--format", help="table, csv or jsonl.")] = "table",
) -> None:
    """Run a read-only SQL query against the database."""
    from pipeline.store import open_database
    from pipeline.store.reads import query as run_query

    try:
        with open_database(db, read_only=True) as connection:
            frame = run_query(connection, query)
    except CybernormsError as exc:
        _fail(exc)
    if format == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    elif format == "jsonl":
        sys.stdout.write(frame.to_json(orient="records", lines=True, date_format="iso", force_ascii=False))
    else:
        view = Table(show_lines=False)
        for column in frame.columns:
            view.add_column(str(column), overflow="fold")
        for row in frame.itertuples(index=False):
            view.add_row(*("" if v is None else str(v) for v in row))
        out.print(view)
        console.print(f"{len(frame)} rows")

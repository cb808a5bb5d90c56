"""What every command group shares: the Typer app, the consoles, the --db option, error exits."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from pipeline.errors import CybernormsError

app = typer.Typer(help="Find, classify and track cyber norms in trade agreements.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
console = Console(stderr=True, soft_wrap=True)
# Piped output (files, pagers, CI logs) gets wide tables instead of an 80-column wrap.
out = Console(width=None if sys.stdout.isatty() else 200)

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file.", envvar="CYBERNORMS_DB")]


def _fail(exc: Exception) -> None:
    # soft_wrap: an error names a file, and a path broken over two lines cannot be copied.
    console.print(Text("error: ", style="red") + Text(str(exc)), soft_wrap=True)
    raise typer.Exit(code=1)


def _check_pdf_engine(engine: str | None) -> None:
    if engine is None:
        return
    from pipeline.sources.pdf import PDF_ENGINES

    if engine not in PDF_ENGINES:
        _fail(CybernormsError(f"--pdf-engine {engine}: unknown engine (choose from {', '.join(PDF_ENGINES)})"))



def print_frame(frame, title: str | None = None, *, max_text: int | None = None) -> None:
    """A DataFrame as a terminal table (lists joined with '; ', long texts cut to max_text)."""
    from rich.table import Table

    from pipeline.analytics.export import join_lists

    view = Table(title=title, show_lines=False)
    for column in frame.columns:
        view.add_column(str(column), overflow="fold")
    for row in join_lists(frame).itertuples(index=False):
        cells = []
        for value in row:
            text = "" if value is None or (not isinstance(value, str) and _is_missing(value)) else str(value)
            if max_text and len(text) > max_text:
                text = text[: max_text - 1] + "…"
            cells.append(text)
        view.add_row(*cells)
    out.print(view)
    console.print(f"{len(frame)} rows")


def _is_missing(value) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def write_frame(frame, fmt: str) -> None:
    """A DataFrame on stdout as csv, jsonl or a table."""
    if fmt == "csv":
        from pipeline.analytics.export import csv_text

        sys.stdout.write(csv_text(frame))
    elif fmt == "jsonl":
        sys.stdout.write(frame.to_json(orient="records", lines=True, date_format="iso", force_ascii=False))
    elif fmt == "table":
        print_frame(frame)
    else:
        _fail(CybernormsError(f"--format {fmt}: choose from table, csv, jsonl"))

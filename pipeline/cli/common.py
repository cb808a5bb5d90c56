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


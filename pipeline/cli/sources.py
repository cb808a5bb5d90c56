"""`cybernorms sources check MANIFEST`: can the texts a manifest lists be reached and read?"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from pipeline.cli.common import _check_pdf_engine, _fail, app, console, out
from pipeline.errors import CybernormsError

sources_app = typer.Typer(help="Corpus manifests: check that their texts can be reached and read.",
                          no_args_is_help=True)
app.add_typer(sources_app, name="sources")


@sources_app.command("check")
def check(
    manifest: Annotated[Path, typer.Argument(help="A manifest, e.g. corpora/post2016.toml.")],
    cache: Annotated[Optional[Path], typer.Option(
        "--cache", help="Folder for the downloaded texts (default: outputs/cache/<manifest name>).")] = None,
    pdf_engine: Annotated[Optional[str], typer.Option("--pdf-engine", help="PDF text engine.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
) -> None:
    """Per entry: does its URL answer, and does the text parse into articles?"""
    _check_pdf_engine(pdf_engine)
    from pipeline.flows_paths import DEFAULT_CACHE_ROOT
    from pipeline.sources.check import check_manifest
    from pipeline.sources.remote import manifest_cache_dir

    if not manifest.is_file():
        _fail(CybernormsError(f"{manifest}: no such manifest (pass a file such as corpora/post2016.toml)"))
    folder = cache or manifest_cache_dir(manifest, DEFAULT_CACHE_ROOT)
    kwargs = {"pdf_engine": pdf_engine} if pdf_engine else {}
    try:
        rows = check_manifest(manifest, folder, **kwargs)
    except CybernormsError as exc:
        _fail(exc)
    if fmt == "jsonl":
        sys.stdout.writelines(json.dumps(asdict(row), ensure_ascii=False) + "\n" for row in rows)
    else:
        view = Table(title=f"{manifest}: {sum(r.ok for r in rows)} of {len(rows)} texts reachable and parsed")
        for column in ("id", "answers", "articles", "problem"):
            view.add_column(column, overflow="fold")
        for row in rows:
            view.add_row(row.id, row.answers, "" if row.articles is None else str(row.articles), row.problem or "")
        out.print(view)
    console.print(f"texts in {folder}")

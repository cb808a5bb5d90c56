"""`cybernorms classify` and `cybernorms parse`: one file in, provisions or predictions out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from pipeline.cli.common import _check_pdf_engine, _fail, app, console, out
from pipeline.errors import CybernormsError


@app.command()
def classify(
    input: Annotated[Path, typer.Argument(help="JSONL with one {\"id\", \"text\", \"lang\"?} object per line "
                                          "(optional \"title\" and \"chapter\" of the article help).")],
    output: Annotated[Optional[Path], typer.Option("--output", help="Output JSONL (default: stdout).")] = None,
    model: Annotated[str, typer.Option(help="'default', 'lexicon', or a model folder.")] = "default",
) -> None:
    """Classify provisions from a JSONL file; output lines come in input order."""
    from pipeline.classify.base import ClassifierInput, provision_heading
    from pipeline.classify.registry import load_classifier

    items = []
    try:
        with input.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    heading = provision_heading(record.get("title"), record.get("chapter"))
                    items.append(ClassifierInput(str(record["id"]), str(record["text"]), record.get("lang") or "en",
                                                 heading))
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    _fail(CybernormsError(f"{input}:{number}: expected a JSON object with 'id' and 'text' ({exc})"))
        predictions = load_classifier(model).predict(items)
    except OSError as exc:
        _fail(CybernormsError(f"{input}: cannot be read: {exc.strerror}"))
    except CybernormsError as exc:
        _fail(exc)
    lines = (json.dumps({"id": item.id, "labels": list(p.labels), "scores": p.scores, "bindingness": p.bindingness,
                         "instruments": list(p.instruments), "model_version": p.model_version,
                         "paragraphs": [{"index": q.index, "number": q.number, "start": q.char_start, "end": q.char_end,
                                         "bindingness": q.bindingness, "labels": list(q.labels)} for q in p.paragraphs]},
                        ensure_ascii=False) + "\n"
             for item, p in zip(items, predictions, strict=True))
    if output:
        output.write_text("".join(lines), encoding="utf-8")
        console.print(f"{len(items)} provisions classified -> {output}")
    else:
        sys.stdout.writelines(lines)


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="A ToTA XML, PDF, HTML, text or Markdown file.")],
    table: Annotated[bool, typer.Option("--table", help="Show a table instead of JSONL.")] = False,
    pdf_engine: Annotated[Optional[str], typer.Option("--pdf-engine", help="PDF text engine.")] = None,
) -> None:
    """Show the provisions found in one document (check a new document before refreshing)."""
    _check_pdf_engine(pdf_engine)
    from pipeline.sources import read_any

    try:
        manifest = None
        if file.suffix.lower() != ".xml":
            from pipeline.sources.manifest import load_manifest

            manifest = load_manifest(file.parent)
        document = read_any(file, pdf_engine=pdf_engine, manifest=manifest)
    except CybernormsError as exc:
        _fail(exc)
    from pipeline.sources.files import provisions_as_records

    records = provisions_as_records(document)
    if not table:
        sys.stdout.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        return
    view = Table(title=f"{document.agreement.name}: {len(records)} provisions")
    for key in ("#", "chapter", "article_no", "article_title", "pages", "words", "text"):
        view.add_column(key, overflow="fold")
    for ordinal, r in enumerate(records):
        pages = f"{r['page_start']}-{r['page_end']}" if r["page_start"] else ""
        view.add_row(str(ordinal), r["chapter"] or "", r["article_no"] or "", r["article_title"] or "", pages,
                     str(len(r["text"].split())), r["text"][:80].replace("\n", " "))
    out.print(view)

"""The `cybernorms` command: thin Typer wrappers over the core, the store and the flow."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pipeline.errors import CybernormsError
from pipeline.store.database import DEFAULT_DB_PATH

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


@app.command()
def refresh(
    source: Annotated[Optional[str], typer.Option(
        "--source", help="Folder of ToTA XML (and PDF/HTML/text) files, one file, or a base URL. "
        "Default: $CYBERNORMS_SOURCE, else the public ToTA repository.")] = None,
    db: DbOption = DEFAULT_DB_PATH,
    model: Annotated[str, typer.Option(help="'default' (newest trained model), 'lexicon', or a model folder.")] = "default",
    workers: Annotated[Optional[int], typer.Option(help="Processes for parsing and classifying (default: all cores).")] = None,
    pdf_engine: Annotated[Optional[str], typer.Option("--pdf-engine", help="PDF text engine for PDF files.")] = None,
) -> None:
    """Ingest, screen, classify and store every agreement of a source."""
    from pipeline.sources import SOURCE_ENV_VAR
    from pipeline.sources.tota import DEFAULT_BASE_URL

    location = source or os.environ.get(SOURCE_ENV_VAR) or DEFAULT_BASE_URL
    _check_pdf_engine(pdf_engine)
    from pipeline import prefect_server
    from pipeline.prefect_setup import apply_quiet_settings, log_file, route_prefect_logs_to_file

    apply_quiet_settings()
    # Prefect's temporary server (unless a Prefect API is configured) and the workers, which
    # load the model, start first and in the background: both take seconds.
    server = prefect_server.start(log_file())
    from pipeline.parallel import default_workers, shutdown_pools, warm_up

    warm_up(workers or default_workers(), model)
    from pipeline import flows  # imports Prefect: after the quiet settings, inside the command

    server = prefect_server.unless_configured(server)
    from pipeline.progress import reporting_to
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    log_path = route_prefect_logs_to_file()
    try:
        if server is not None:
            server.wait_until_ready()
    except CybernormsError as exc:
        shutdown_pools()
        _fail(exc)
    console.print(f"refreshing from [bold]{location}[/bold] into [bold]{db}[/bold] (Prefect log: {log_path})")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as progress:
        bars: dict[str, int] = {}

        def on_progress(stage: str, completed: int, total: int) -> None:
            if stage not in bars:
                bars[stage] = progress.add_task(stage, total=total or None)
            progress.update(bars[stage], completed=completed, total=total or None)

        try:
            with reporting_to(on_progress), prefect_server.run_settings(server):
                run = flows.refresh(source=location, db_path=str(db), model=model, workers=workers,
                                    pdf_engine=pdf_engine)
        except CybernormsError as exc:
            _fail(exc)
        finally:
            shutdown_pools()
            if server is not None:
                server.begin_stop()  # and at exit, wait for it (pipeline.prefect_server)
    table = Table(title=f"refresh {run.id} ({run.seconds:.1f} s, model {run.model_version})")
    for column in ("agreements seen", "written", "unchanged", "provisions written", "errors"):
        table.add_column(column, justify="right")
    table.add_row(*(str(v) for v in (run.agreements_seen, run.agreements_written,
                                     run.agreements_unchanged, run.provisions_written, len(run.errors))))
    out.print(table)
    for error in run.errors:
        console.print(Text("skipped: ", style="yellow") + Text(error), soft_wrap=True)
    _print_adoption(db)


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
                         "instruments": list(p.instruments),
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


@app.command()
def adoption(
    db: DbOption = DEFAULT_DB_PATH,
    cumulative: Annotated[bool, typer.Option(help="Count agreements signed up to each year.")] = False,
    since: Annotated[Optional[int], typer.Option(help="First year to show.")] = None,
) -> None:
    """Norm x year table: agreements signed each year that contain each norm."""
    _print_adoption(db, cumulative=cumulative, since=since)


def _print_adoption(db: Path, *, cumulative: bool = False, since: int | None = None) -> None:
    from pipeline.analytics import adoption_table
    from pipeline.store import open_database
    from pipeline.store.reads import label_years

    try:
        with open_database(db, read_only=True) as connection:
            table = adoption_table(label_years(connection), cumulative=cumulative)
    except CybernormsError as exc:
        _fail(exc)
    if since is None:
        # Start where cyber norms start: the first year in which any label appears.
        active = [y for y in table.columns if table[y].sum() > 0]
        since = min(active) if active else None
    if since is not None:
        table = table.loc[:, [y for y in table.columns if y >= since]]
    from pipeline.taxonomy import SHORT_NAMES

    # Years down, norms across: the 19 norms fit a terminal, the decades do not.
    view = Table(title="Norm adoption: agreements signed per year that contain each norm"
                 + (" (cumulative)" if cumulative else ""), caption=_legend(SHORT_NAMES))
    view.add_column("year")
    for norm in table.index:
        view.add_column(SHORT_NAMES[norm], justify="right")
    for year in table.columns:
        view.add_row(str(year), *(str(v) if v else "·" for v in table[year]))
    if not cumulative and len(table.columns):
        view.add_row("total", *(str(v) for v in table.sum(axis=1)), style="bold")
    out.print(view)


def _legend(short_names: dict[str, str]) -> str:
    return "; ".join(f"{short} = {label}" for label, short in short_names.items())


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


@app.command()
def status(db: DbOption = DEFAULT_DB_PATH) -> None:
    """What the database holds and how the last refresh went."""
    from pipeline.store import open_database
    from pipeline.store.reads import status as read_status

    try:
        with open_database(db, read_only=True) as connection:
            info = read_status(connection)
    except CybernormsError as exc:
        _fail(exc)
    view = Table(title=f"{db}", show_header=False)
    for key in ("agreements", "provisions", "predictions", "clauses", "model_versions"):
        view.add_row(key, str(info[key]))
    for key, value in (info["last_run"] or {}).items():
        view.add_row(f"last run: {key}", str(value))
    out.print(view)


CorpusOption = Annotated[Optional[Path], typer.Option(
    "--corpus", help="Local ToTA XML folder (default: $CYBERNORMS_SOURCE, else ../shared/corpora/tota/xml).")]
HoldoutOption = Annotated[Optional[Path], typer.Option(
    "--holdout", help="Agreements never to train on (default: ../shared/corpora/holdout.txt).")]


def _corpus_and_holdout(corpus: Path | None, holdout: Path | None) -> tuple[Path, Path]:
    from pipeline.classify.registry import MODELS_DIR

    shared = MODELS_DIR.parent.parent / "shared" / "corpora"
    env = os.environ.get("CYBERNORMS_SOURCE")
    corpus = corpus or (Path(env) if env and not env.startswith("http") else shared / "tota" / "xml")
    if not corpus.is_dir():
        _fail(CybernormsError(f"{corpus}: no ToTA XML folder here (pass --corpus)"))
    return corpus, holdout or shared / "holdout.txt"


def _step_progress():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("temporal split + cross-validation folds"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console)


@app.command()
def train(
    corpus: CorpusOption = None,
    holdout: HoldoutOption = None,
    version: Annotated[str, typer.Option(help="Model version to write under models/norm-classifier/.")] = "1.1.0",
    seed: Annotated[int, typer.Option(help="Random seed (folds and solvers).")] = 0,
) -> None:
    """Evaluate (temporal split, grouped cross-validation), train on all annotations, save model, metrics and card."""
    from pipeline.classify.build import train_model

    corpus, holdout = _corpus_and_holdout(corpus, holdout)
    try:
        with _step_progress() as progress:
            bar = progress.add_task("steps", total=None)
            target = train_model(corpus, holdout, version=version, seed=seed,
                                 on_step=lambda done, total: progress.update(bar, completed=done, total=total))
    except CybernormsError as exc:
        _fail(exc)
    console.print(f"model saved to {target} (see MODEL_CARD.md and metrics.json)")
    _print_metrics(json.loads((target / "metrics.json").read_text()))


@app.command()
def evaluate(
    corpus: CorpusOption = None,
    holdout: HoldoutOption = None,
    seed: Annotated[int, typer.Option(help="Random seed (folds, solvers, bootstrap).")] = 0,
    output: Annotated[Optional[Path], typer.Option(help="Also write the full report as JSON here.")] = None,
    errors: Annotated[Optional[Path], typer.Option(
        help="Write every false positive, false negative and bindingness error (JSON lines) here.")] = None,
) -> None:
    """Temporal split (train up to 2012, test 2013-2016) and grouped cross-validation of the classifier and the
    lexicon baseline, with 95% bootstrap intervals over agreements (reproduces the model card)."""
    from pipeline.classify.build import evaluate_model

    corpus, holdout = _corpus_and_holdout(corpus, holdout)
    found: list[dict] = []
    try:
        with _step_progress() as progress:
            bar = progress.add_task("steps", total=None)
            report = evaluate_model(corpus, holdout, seed=seed, errors=found,
                                    on_step=lambda done, total: progress.update(bar, completed=done, total=total))
    except CybernormsError as exc:
        _fail(exc)
    if output:
        output.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    if errors:
        errors.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in found), encoding="utf-8")
        console.print(f"{len(found)} errors written to {errors}")
    _print_metrics(report)


def _interval(metrics: dict, key: str) -> str:
    low, high = metrics.get("intervals", {}).get(key, (None, None))
    return f"{metrics[key]:.3f}" + (f" [{low:.2f}, {high:.2f}]" if low is not None else "")


def _print_metrics(report: dict) -> None:
    temporal, grouped = report["temporal"], report["cross_validation"]
    view = Table(title=f"{report['provisions']} annotated provisions ({report['labelled_provisions']} labelled) of "
                       f"{report['agreements']} agreements; 95% bootstrap intervals over agreements")
    for column in ("evaluation", "model", "micro-F1", "macro-F1", "agreement F1", "bindingness (end to end)",
                   "bindingness (where labelled)"):
        view.add_column(column)
    for split, name in ((temporal, f"temporal: train ≤ {temporal['train_until']}, test "
                                   f"{temporal['test_from']}-{temporal['test_until']} ({temporal['agreements']} agr.)"),
                        (grouped, f"grouped {grouped['folds']}-fold cross-validation")):
        for key, model in (("trained", "trained"), ("trained_text_only", "trained, bare text"),
                           ("lexicon_baseline", "lexicon baseline")):
            m = split[key]
            view.add_row(name, model, _interval(m, "micro_f1"), _interval(m, "macro_f1"), _interval(m, "agreement_f1"),
                         _interval(m, "bindingness_accuracy"), _interval(m, "bindingness_accuracy_when_labelled"))
    out.print(view)
    screen = report["screen"]
    out.print(f"screen recall on annotated labelled provisions: {screen['recall']:.4f} "
              f"({screen['screened_out']} of {screen['labelled_provisions']} screened out)")
    labels = Table(title="per label, temporal split (trained, text + headings)")
    for column in ("label", "support", "precision", "recall", "F1", "CV F1", "baseline F1"):
        labels.add_column(column)
    for label, m in temporal["trained"]["per_label"].items():
        labels.add_row(label, str(m["support"]), f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
                       f"{grouped['trained']['per_label'][label]['f1']:.3f}",
                       f"{temporal['lexicon_baseline']['per_label'][label]['f1']:.3f}")
    out.print(labels)


@app.command()
def annotations() -> None:
    """Check the annotation files and show inter-annotator agreement on the blind samples."""
    from pipeline.classify.agreement import blind_agreement
    from pipeline.classify.annotations import (
        load_annotations,
        load_paragraph_annotations,
        read_annotation_files,
        read_holdout,
    )

    corpus, holdout = _corpus_and_holdout(None, None)
    try:
        rows = read_annotation_files()
        examples, _documents = load_annotations(corpus, holdout=read_holdout(holdout))
        paragraphs = load_paragraph_annotations(examples)
        reports = blind_agreement()
    except CybernormsError as exc:
        _fail(exc)
    labelled = sum(bool(a.labels) for a in rows)
    mixed = sum(a.bindingness == "mixed" for a in rows)
    console.print(f"{len(rows)} annotated provisions ({labelled} labelled, {mixed} of them mixed) from "
                  f"{len({a.source_id for a in rows})} agreements, and {len(paragraphs)} annotated paragraphs of "
                  f"{len({(p.provision.annotation.source_id, p.provision.annotation.source_provision_id) for p in paragraphs})}"
                  " labelled provisions: valid")
    view = Table(title="blind re-labelling vs. the annotations")
    for column in ("sample", "provisions", "label micro-F1", "exact match", "bindingness agreement"):
        view.add_column(column)
    for r in reports:
        view.add_row(r["sample"], str(r["provisions"]), f"{r['label_micro_f1']:.3f}", f"{r['exact_match']:.3f}",
                     f"{r['bindingness_agreement']:.3f} (n={r['bindingness_compared']})")
    out.print(view)


def main() -> None:
    app()


if __name__ == "__main__":
    main()

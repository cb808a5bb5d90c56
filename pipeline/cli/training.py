"""`cybernorms train`, `evaluate` and `annotations`: the classifier and its annotations."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from pipeline.cli.common import _fail, app, console, out
from pipeline.errors import CybernormsError


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


def _fold_progress():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("cross-validation folds"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console)


@app.command()
def train(
    corpus: CorpusOption = None,
    holdout: HoldoutOption = None,
    version: Annotated[str, typer.Option(help="Model version to write under models/norm-classifier/.")] = "1.0.0",
    seed: Annotated[int, typer.Option(help="Random seed (folds and solvers).")] = 0,
) -> None:
    """Evaluate by grouped cross-validation, train on all annotations, save model, metrics and card."""
    from pipeline.classify.build import train_model

    corpus, holdout = _corpus_and_holdout(corpus, holdout)
    try:
        with _fold_progress() as progress:
            bar = progress.add_task("folds", total=None)
            target = train_model(corpus, holdout, version=version, seed=seed,
                                 on_fold=lambda done, total: progress.update(bar, completed=done, total=total))
    except CybernormsError as exc:
        _fail(exc)
    console.print(f"model saved to {target} (see MODEL_CARD.md and metrics.json)")
    _print_metrics(json.loads((target / "metrics.json").read_text()))


@app.command()
def evaluate(
    corpus: CorpusOption = None,
    holdout: HoldoutOption = None,
    seed: Annotated[int, typer.Option(help="Random seed (folds and solvers).")] = 0,
    output: Annotated[Optional[Path], typer.Option(help="Also write the full report as JSON here.")] = None,
) -> None:
    """Grouped cross-validation of the classifier and the lexicon baseline (reproduces the model card)."""
    from pipeline.classify.build import evaluate_model

    corpus, holdout = _corpus_and_holdout(corpus, holdout)
    try:
        with _fold_progress() as progress:
            bar = progress.add_task("folds", total=None)
            report = evaluate_model(corpus, holdout, seed=seed,
                                    on_fold=lambda done, total: progress.update(bar, completed=done, total=total))
    except CybernormsError as exc:
        _fail(exc)
    if output:
        output.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    _print_metrics(report)


def _print_metrics(report: dict) -> None:
    view = Table(title=f"grouped {report['folds']}-fold cross-validation, {report['provisions']} provisions, "
                       f"{report['agreements']} agreements")
    for column in ("model", "micro-F1", "macro-F1", "agreement F1", "bindingness acc.", "instruments P/R"):
        view.add_column(column)
    for key, name in (("trained", "trained (text + headings)"), ("trained_text_only", "trained (bare text)"),
                      ("lexicon_baseline", "lexicon baseline")):
        m = report[key]
        view.add_row(name, f"{m['micro_f1']:.3f}", f"{m['macro_f1']:.3f}", f"{m['agreement_f1']:.3f}",
                     f"{m['bindingness_accuracy']:.3f}", f"{m['instruments_precision']:.3f}/{m['instruments_recall']:.3f}")
    out.print(view)
    labels = Table(title="per label (trained, text + headings)")
    for column in ("label", "support", "precision", "recall", "F1", "baseline F1"):
        labels.add_column(column)
    for label, m in report["trained"]["per_label"].items():
        labels.add_row(label, str(m["support"]), f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
                       f"{report['lexicon_baseline']['per_label'][label]['f1']:.3f}")
    out.print(labels)


@app.command()
def annotations() -> None:
    """Check the annotation files and show inter-annotator agreement on the blind samples."""
    from pipeline.classify.agreement import blind_agreement
    from pipeline.classify.annotations import read_annotation_files

    try:
        rows = read_annotation_files()
        reports = blind_agreement()
    except CybernormsError as exc:
        _fail(exc)
    labelled = sum(bool(a.labels) for a in rows)
    console.print(f"{len(rows)} annotated provisions ({labelled} labelled) from "
                  f"{len({a.source_id for a in rows})} agreements: valid")
    view = Table(title="blind re-labelling vs. the annotations")
    for column in ("sample", "provisions", "label micro-F1", "exact match", "bindingness agreement"):
        view.add_column(column)
    for r in reports:
        view.add_row(r["sample"], str(r["provisions"]), f"{r['label_micro_f1']:.3f}", f"{r['exact_match']:.3f}",
                     f"{r['bindingness_agreement']:.3f} (n={r['bindingness_compared']})")
    out.print(view)

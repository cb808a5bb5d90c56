"""`cybernorms train`, `evaluate`, `annotations`, `union-rules` and `score-articles`: the classifier and its annotations."""

from __future__ import annotations

import json
import os
import time
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


def _with_step_progress(run):
    """Run `run(on_step)` under a progress bar (temporal split, then each cross-validation fold).

    Where stderr is no terminal (a CI log, `nohup`, a pipe) a live bar shows nothing until the
    end, and evaluating takes a quarter of an hour: there each step is a line of its own."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    try:
        if not console.is_terminal:
            return run(_step_lines())
        with Progress(TextColumn("temporal split + cross-validation folds"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console) as progress:
            bar = progress.add_task("steps", total=None)
            return run(lambda done, total: progress.update(bar, completed=done, total=total))
    except CybernormsError as exc:
        _fail(exc)


def _step_lines():
    """An on_step callback that prints "temporal split + cross-validation folds: 2/6 done (3:04)"."""
    started = time.monotonic()

    def on_step(done: int, total: int) -> None:
        minutes, seconds = divmod(int(time.monotonic() - started), 60)
        console.print(f"temporal split + cross-validation folds: {done}/{total} done ({minutes}:{seconds:02d})")

    return on_step


@app.command()
def train(
    corpus: CorpusOption = None,
    holdout: HoldoutOption = None,
    version: Annotated[Optional[str], typer.Option(
        help="Model version to write under models/norm-classifier/ (default: the version this code trains, "
             "pipeline.classify.build.MODEL_VERSION).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed (folds and solvers).")] = 0,
) -> None:
    """Evaluate (temporal split, grouped cross-validation), train on all annotations, save model, metrics and card."""
    from pipeline.classify.build import MODEL_VERSION, train_model

    corpus, holdout = _corpus_and_holdout(corpus, holdout)
    version = version or MODEL_VERSION
    target = _with_step_progress(lambda on_step: train_model(corpus, holdout, version=version, seed=seed,
                                                             on_step=on_step))
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
    train_until: Annotated[Optional[int], typer.Option(
        help="Temporal split: train on agreements signed up to this year (default 2012). Another split "
             "(e.g. --train-until 2009 --test-from 2010 --test-until 2012) is for development: it keeps the "
             "2013-2016 test agreements out of sight, in its cross-validation and error listing too.")] = None,
    test_from: Annotated[Optional[int], typer.Option(
        help="Temporal split: test on agreements signed from this year (default 2013) ...")] = None,
    test_until: Annotated[Optional[int], typer.Option(help="... up to this year (default 2016).")] = None,
) -> None:
    """Temporal split (train up to 2012, test 2013-2016) and grouped cross-validation of the classifier and the
    lexicon baseline, with 95% bootstrap intervals over agreements (reproduces the model card)."""
    from pipeline.classify.build import evaluate_model

    corpus, holdout = _corpus_and_holdout(corpus, holdout)
    found: list[dict] = []
    split = {key: year for key, year in (("train_until", train_until), ("test_from", test_from),
                                         ("test_until", test_until)) if year is not None}
    report = _with_step_progress(lambda on_step: evaluate_model(corpus, holdout, seed=seed, errors=found,
                                                                on_step=on_step, **split))
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
    languages = Table(title="by language of the agreement (trained, text + headings)")
    for column in ("evaluation", "language", "agreements", "labelled", "micro-F1", "macro-F1", "agreement F1",
                   "bindingness (end to end)", "bindingness (where labelled)"):
        languages.add_column(column)
    for split, name in ((temporal, "temporal"), (grouped, "cross-validation")):
        for lang, m in split.get("by_language", {}).items():  # absent in reports of models before 1.14.0
            if not m["labelled_provisions"]:
                continue  # nothing to score (ToTA's two French agreements)
            languages.add_row(name, lang, str(m["agreements"]), str(m["labelled_provisions"]),
                              *(_interval(m, key) for key in ("micro_f1", "macro_f1", "agreement_f1",
                                                               "bindingness_accuracy",
                                                               "bindingness_accuracy_when_labelled")))
    out.print(languages)
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
def annotations(
    conflicts: Annotated[Optional[Path], typer.Option(
        help="Also find near-identical annotated provisions coded differently (template articles) and write "
             "every such pair, with both texts, as JSON lines here.")] = None,
    similarity: Annotated[float, typer.Option(
        help="With --conflicts: how alike two texts must be (cosine of their word 1-2-gram counts, 0-1].")] = 0.9,
) -> None:
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
    if conflicts is not None:
        _write_conflicts(examples, conflicts, similarity)


def _write_conflicts(examples: list, path: Path, similarity: float) -> None:
    from pipeline.classify.consistency import annotation_conflicts

    try:
        found = annotation_conflicts(examples, similarity=similarity)
    except ValueError as exc:
        _fail(CybernormsError(f"--similarity: {exc}"))
    try:
        path.write_text("".join(json.dumps(c.as_record(), ensure_ascii=False) + "\n" for c in found), encoding="utf-8")
    except OSError as exc:
        _fail(CybernormsError(f"{path}: cannot write the conflicts: {exc.strerror}"))
    view = Table(title=f"{len(found)} pairs of near-identical provisions (similarity ≥ {similarity}) coded differently; "
                       f"both texts in {path}")
    for column in ("similarity", "first", "second", "labels", "bindingness"):
        view.add_column(column)
    for c in found:
        first, second = c.first.annotation, c.second.annotation
        view.add_row(f"{c.similarity:.3f}", f"{c.first.agreement_id}:{first.source_provision_id} {c.first.heading[:40]}",
                     f"{c.second.agreement_id}:{second.source_provision_id} {c.second.heading[:40]}",
                     f"{', '.join(first.labels) or '-'} / {', '.join(second.labels) or '-'}" if c.labels_differ else "same",
                     f"{first.bindingness} / {second.bindingness}" if c.bindingness_differs else "same")
    out.print(view)


@app.command("union-rules")
def union_rules(
    corpus: CorpusOption = None,
    holdout: HoldoutOption = None,
    until: Annotated[Optional[int], typer.Option(
        help="Only agreements signed up to this year (2012: the temporal split's training years).")] = None,
) -> None:
    """How often the canonical-wording and privacy-safeguard rules are right on the annotations, per label."""
    from pipeline.classify.annotations import load_annotations, read_holdout
    from pipeline.classify.union_rules import union_rule_records

    corpus, holdout = _corpus_and_holdout(corpus, holdout)
    try:
        examples, documents = load_annotations(corpus, holdout=read_holdout(holdout))
    except CybernormsError as exc:
        _fail(exc)
    records = union_rule_records(examples, documents, until=until)
    scope = f"agreements signed up to {until}" if until is not None else "all annotated agreements"
    view = Table(title=f"union rules on the annotated provisions of {scope}")
    for column in ("label", "fired on", "carry the label", "do not", "precision"):
        view.add_column(column)
    for r in records:
        view.add_row(r.label, str(r.fired), str(r.correct), str(r.wrong), f"{r.correct / r.fired:.3f}")
    out.print(view)


@app.command("score-articles")
def score_articles(
    articles: Annotated[Path, typer.Argument(help="JSON lines of hand-coded articles (id, heading, text, lang, labels, "
                                                  "bindingness); see corpora/written/README.md.")],
    model: Annotated[str, typer.Option(help="'default' (newest trained model), 'lexicon', or a model folder.")] = "default",
    seed: Annotated[int, typer.Option(help="Random seed of the bootstrap.")] = 0,
    output: Annotated[Optional[Path], typer.Option(help="Also write the full report (with every wrong article) as JSON here.")] = None,
) -> None:
    """Score a model on articles coded by hand outside ToTA: micro/macro F1 and bindingness, with 95% bootstrap
    intervals over articles, and the articles it gets wrong."""
    from pipeline.classify.coded_articles import coded_articles_report, read_coded_articles
    from pipeline.classify.registry import load_classifier

    try:
        coded = read_coded_articles(articles)
        report = coded_articles_report(load_classifier(model), coded, seed=seed)
    except CybernormsError as exc:
        _fail(exc)
    if output:
        output.write_text(json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    view = Table(title=f"{articles.name}: {report['articles']} articles ({report['labelled_articles']} labelled), "
                       f"model {report['model_version']}; 95% bootstrap intervals over articles")
    for column in ("micro-F1", "precision", "recall", "macro-F1", "bindingness (end to end)", "bindingness (where labelled)"):
        view.add_column(column)
    view.add_row(_interval(report, "micro_f1"), f"{report['micro_precision']:.3f}", f"{report['micro_recall']:.3f}",
                 _interval(report, "macro_f1"), _interval(report, "bindingness_accuracy"),
                 _interval(report, "bindingness_accuracy_when_labelled"))
    out.print(view)
    wrong = Table(title=f"{len(report['wrong'])} articles coded differently")
    for column in ("id", "heading", "coded", "predicted"):
        wrong.add_column(column)
    for row in report["wrong"]:
        wrong.add_row(row["id"], row["heading"][:50], f"{', '.join(row['labels']) or '-'} ({row['bindingness']})",
                      f"{', '.join(row['predicted_labels']) or '-'} ({row['predicted_bindingness']})")
    out.print(wrong)

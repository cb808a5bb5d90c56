"""Score a classifier on articles an analyst coded by hand, outside the ToTA corpus.

The temporal split measures the model on real agreements up to 2016. Analysts also want to know
how it does on the drafting they work with (post-2016 digital-trade chapters, a text they are
negotiating) before they trust a refresh of it. A JSON-lines file of coded articles, one object
per article:

    {"id": "C01", "heading": "Cross-Border Transfer of Information | Digital Trade", "text": "1. ...",
     "lang": "en", "labels": ["cross_border_data_flows"], "bindingness": "hard"}

`heading` is the article's title and its chapter (as `base.provision_heading` joins them) and may
be empty; `lang` defaults to English; `bindingness` is given exactly when `labels` is not empty.
The scores are evaluate.metrics' (micro/macro F1, end-to-end bindingness, ...), with bootstrap
intervals that resample articles.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.classify.base import ClassifierInput, NormClassifier
from pipeline.classify.evaluate import Outcomes, ProvisionOutcome, bootstrap_intervals, metrics
from pipeline.errors import SourceError
from pipeline.taxonomy import LABEL_IDS

BINDINGNESS = ("hard", "soft", "mixed")
FORMAT = "one JSON object per line with id, heading, text, lang, labels and bindingness (corpora/written/README.md)"


@dataclass(frozen=True, slots=True)
class CodedArticle:
    id: str
    heading: str
    text: str
    lang: str
    labels: frozenset[str]
    bindingness: str | None


def read_coded_articles(path: Path) -> list[CodedArticle]:
    """The coded articles of a JSON-lines file; a bad line is an error naming the file, line and problem."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(path, f"cannot read the coded articles ({exc})", "pass a UTF-8 JSON-lines file") from exc
    articles: list[CodedArticle] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SourceError(where, f"not JSON ({exc.msg})", FORMAT) from exc
        if not isinstance(row, dict):
            raise SourceError(where, "expected a JSON object per line", FORMAT)
        article = _coded_article(row, where)
        if article.id in seen:
            raise SourceError(where, f"article id {article.id!r} appears twice", "give each article its own id")
        seen.add(article.id)
        articles.append(article)
    if not articles:
        raise SourceError(path, "no coded articles in the file", FORMAT)
    return articles


def _coded_article(row: dict, where: str) -> CodedArticle:
    missing = [key for key in ("id", "text", "labels") if key not in row]
    if missing:
        raise SourceError(where, f"missing {', '.join(missing)}", FORMAT)
    labels = row["labels"]
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise SourceError(where, "labels must be a list of label ids", "e.g. [\"cross_border_data_flows\"], or [] for none")
    unknown = sorted(set(labels) - set(LABEL_IDS))
    if unknown:
        raise SourceError(where, f"unknown label ids {unknown}", "see ../shared/taxonomy.md")
    bindingness = row.get("bindingness")
    if labels and bindingness not in BINDINGNESS:
        raise SourceError(where, f"bindingness {bindingness!r} for a labelled article", "use hard, soft or mixed")
    if not labels and bindingness is not None:
        raise SourceError(where, "bindingness given for an article with no label", "use null")
    if not isinstance(row["text"], str) or not row["text"].strip():
        raise SourceError(where, "empty text", "give the article's text")
    return CodedArticle(str(row["id"]), str(row.get("heading") or ""), row["text"], str(row.get("lang") or "en"),
                        frozenset(labels), bindingness)


def score_coded_articles(classifier: NormClassifier, articles: Sequence[CodedArticle]) -> Outcomes:
    """Each article's coding next to the classifier's prediction (each article its own bootstrap unit)."""
    predictions = classifier.predict([ClassifierInput(a.id, a.text, a.lang, a.heading) for a in articles])
    outcomes = Outcomes()
    for article, p in zip(articles, predictions):
        outcomes.provisions.append(ProvisionOutcome(
            agreement=article.id, source_provision_id=article.id, truth=article.labels,
            predicted=frozenset(p.labels), gold_bindingness=article.bindingness, predicted_bindingness=p.bindingness,
            gold_instruments=frozenset(), predicted_instruments=frozenset(), scores=dict(p.scores),
            heading=article.heading, text=article.text))
    return outcomes


def coded_articles_report(classifier: NormClassifier, articles: Sequence[CodedArticle], *, seed: int = 0) -> dict:
    """evaluate.metrics of the classifier on the articles, with 95% intervals, and the articles it got wrong."""
    outcomes = score_coded_articles(classifier, articles)
    report = metrics(outcomes)
    report["intervals"] = bootstrap_intervals(outcomes, seed=seed)
    report["articles"] = len(articles)
    report["labelled_articles"] = sum(bool(a.labels) for a in articles)
    report["model_version"] = getattr(classifier, "version", "")
    report["wrong"] = [
        {"id": o.source_provision_id, "heading": o.heading, "labels": sorted(o.truth), "bindingness": o.gold_bindingness,
         "predicted_labels": sorted(o.predicted), "predicted_bindingness": o.predicted_bindingness, "scores": o.scores}
        for o in outcomes.provisions
        if o.truth != o.predicted or (o.truth and o.gold_bindingness != o.predicted_bindingness)]
    return report

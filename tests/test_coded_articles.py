"""`cybernorms score-articles`: a model scored on articles coded by hand outside ToTA (corpora/written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.classify.agreement import WRITTEN_DIR, blind_agreement
from pipeline.classify.coded_articles import coded_articles_report, read_coded_articles
from pipeline.classify.lexicon import LexiconClassifier
from pipeline.cli import app
from pipeline.errors import SourceError

SPAM = {"id": "spam", "heading": "Unsolicited Commercial Electronic Messages | Electronic Commerce",
        "text": "Each Party shall adopt or maintain measures regarding unsolicited commercial electronic messages.",
        "lang": "en", "labels": ["unsolicited_messages"], "bindingness": "hard"}
TARIFFS = {"id": "tariffs", "heading": "Elimination of Customs Duties | Trade in Goods",
           "text": "Each Party shall eliminate its customs duties on originating goods.", "labels": [], "bindingness": None}


def _write(tmp_path: Path, rows: list) -> Path:
    path = tmp_path / "coded.jsonl"
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def test_every_written_set_is_valid_and_its_blind_recoding_agrees() -> None:
    sets = sorted(p for p in WRITTEN_DIR.glob("*.jsonl") if not p.name.endswith(".blind.jsonl"))
    assert len(sets) >= 4
    for path in sets:
        articles = read_coded_articles(path)
        assert sum(bool(a.labels) for a in articles) >= 20, path
    written = [r for r in blind_agreement() if r["sample"].startswith("written/")]
    assert written and all(r["label_micro_f1"] >= 0.9 and r["bindingness_agreement"] >= 0.85 for r in written), written


@pytest.mark.parametrize(("row", "problem"), [
    ("{not json", "not JSON"),
    ([1, 2], "a JSON object per line"),
    ({**SPAM, "labels": ["spam"]}, "unknown label ids ['spam']"),
    ({**SPAM, "bindingness": None}, "bindingness None for a labelled article"),
    ({**TARIFFS, "bindingness": "hard"}, "bindingness given for an article with no label"),
    ({"id": "x", "text": "Each Party shall ..."}, "missing labels"),
    ({**SPAM, "text": "  "}, "empty text"),
])
def test_a_bad_line_is_an_error_naming_file_and_line(tmp_path: Path, row, problem: str) -> None:
    path = _write(tmp_path, [TARIFFS, row])
    with pytest.raises(SourceError, match=rf"coded\.jsonl:2: .*{problem}".replace("[", r"\[").replace("]", r"\]")):
        read_coded_articles(path)


def test_duplicate_ids_and_empty_files_are_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="appears twice"):
        read_coded_articles(_write(tmp_path, [SPAM, SPAM]))
    with pytest.raises(SourceError, match="no coded articles"):
        read_coded_articles(_write(tmp_path, []))


def test_the_report_scores_labels_and_bindingness_per_article(tmp_path: Path) -> None:
    missed = {**SPAM, "id": "missed", "text": "The Parties shall cooperate on spam.", "labels": ["cybersecurity"],
              "bindingness": "soft"}
    report = coded_articles_report(LexiconClassifier(), read_coded_articles(_write(tmp_path, [SPAM, TARIFFS, missed])))
    assert (report["articles"], report["labelled_articles"]) == (3, 2)
    # The lexicon finds the spam article and labels the second one spam, where it is coded cybersecurity.
    assert report["per_label"]["unsolicited_messages"]["support"] == 1
    assert report["per_label"]["cybersecurity"]["recall"] == 0.0
    assert [(w["id"], w["predicted_labels"]) for w in report["wrong"]] == [("missed", ["unsolicited_messages"])]
    assert (report["micro_precision"], report["micro_recall"]) == (0.5, 0.5)
    # Bindingness end to end counts over the two labelled articles; the wrong label's "soft" still matches.
    assert report["bindingness_n"] == 2
    assert set(report["intervals"]) >= {"micro_f1", "bindingness_accuracy"}


def test_score_articles_command(tmp_path: Path) -> None:
    output = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["score-articles", str(WRITTEN_DIR / "post2016_style_dev_0.jsonl"),
                                      "--model", "lexicon", "--output", str(output)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "24 articles" in result.output and "micro-F1" in result.output
    assert json.loads(output.read_text())["articles"] == 24
    bad = CliRunner().invoke(app, ["score-articles", str(tmp_path / "missing.jsonl")])
    assert bad.exit_code != 0 and "missing.jsonl" in bad.output

"""The `cybernorms` command as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.classify.registry import model_version
from pipeline.cli import app

runner = CliRunner()
CYBERNORMS = Path(sys.executable).parent / "cybernorms"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory, tota_dir: Path) -> Path:
    """`cybernorms refresh` in a subprocess over a few agreements, the TPP's English text among them."""
    folder = tmp_path_factory.mktemp("corpus")
    for treaty_id in ("151", "433", "449"):
        shutil.copy(tota_dir / f"pta_{treaty_id}.xml", folder)
    db = tmp_path_factory.mktemp("db") / "cn.duckdb"
    env = {**os.environ, "CYBERNORMS_SOURCE": str(folder)}
    result = subprocess.run([str(CYBERNORMS), "refresh", "--db", str(db)], env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Norm adoption" in result.stdout and "Traceback" not in result.stderr
    return db


def test_clauses_hold_the_tpp_electronic_commerce_chapter(database: Path) -> None:
    result = runner.invoke(app, ["sql", "--db", str(database), "--format", "jsonl",
                                 "SELECT article_no, labels FROM clauses WHERE source_id = '449' "
                                 "AND chapter = 'Electronic Commerce' ORDER BY article_no"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) >= 10
    labels = {label for row in rows for label in row["labels"]}
    assert {"cross_border_data_flows", "data_localization", "source_code"} <= labels


def test_sql_is_read_only(database: Path) -> None:
    result = runner.invoke(app, ["sql", "--db", str(database), "DROP TABLE agreements"])
    assert result.exit_code == 1 and "read-only" in result.output.lower()


def test_status_and_adoption(database: Path) -> None:
    status = runner.invoke(app, ["status", "--db", str(database)])
    assert status.exit_code == 0 and "agreements" in status.stdout and "completed" in status.stdout
    adoption = runner.invoke(app, ["adoption", "--db", str(database), "--since", "2010"], env={"COLUMNS": "250"})
    assert adoption.exit_code == 0
    # Read the cell, not the page: the legend under the table names every label whatever it holds.
    assert _cell(adoption.stdout, "2016", "code") == "1"  # the TPP (2016) holds the source-code norm
    assert _cell(adoption.stdout, "2016", "local") == "1"


def _cell(table: str, row: str, column: str) -> str:
    lines = table.splitlines()
    header = next(line for line in lines if line.startswith("┃"))
    columns = [c.strip() for c in header.strip("┃").split("┃")]
    values = next(line for line in lines if line.startswith("│") and line.strip("│").split("│")[0].strip() == row)
    return [c.strip() for c in values.strip("│").split("│")][columns.index(column)]


def test_status_on_a_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "no database here yet" in result.output


def test_classify_keeps_input_order(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in [
        {"id": "x1", "text": "No Party shall require the transfer of, or access to, source code of software."},
        {"id": "x2", "text": "Tariffs on bovine meat shall be eliminated."},
        {"id": "x3", "text": "Ninguna Parte impondrá derechos aduaneros a las transmisiones electrónicas.", "lang": "es"},
    ]))
    output = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["classify", str(source), "--output", str(output)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in output.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["x1", "x2", "x3"]
    assert set(rows[0]) == {"id", "labels", "scores", "bindingness", "instruments", "model_version", "paragraphs"}
    assert {r["model_version"] for r in rows} == {model_version("default")}
    assert "source_code" in rows[0]["labels"] and rows[1]["labels"] == []
    # The labelled provision's one sentence is its one paragraph, binding, carrying the label.
    assert [(p["index"], p["start"], p["bindingness"], "source_code" in p["labels"]) for p in rows[0]["paragraphs"]] \
        == [(0, 0, "binding", True)]
    assert rows[0]["bindingness"] == "hard" and rows[1]["paragraphs"] == []
    assert "customs_duties_electronic_transmissions" in rows[2]["labels"]


def test_classify_rejects_bad_lines_naming_the_line(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "fine"}\n{"text": "no id"}\n')
    result = runner.invoke(app, ["classify", str(source)])
    assert result.exit_code == 1 and "in.jsonl:2" in result.output


def test_parse_prints_provisions_as_jsonl(tota_dir: Path) -> None:
    result = runner.invoke(app, ["parse", str(tota_dir / "pta_63.xml")])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 21
    assert set(rows[0]) == {"chapter", "article_no", "article_title", "text", "page_start", "page_end"}


def test_unknown_pdf_engine_is_refused(tota_dir: Path) -> None:
    result = runner.invoke(app, ["parse", str(tota_dir / "pta_63.xml"), "--pdf-engine", "ocr"])
    assert result.exit_code == 1 and "unknown engine" in result.output


def test_evaluate_refuses_a_temporal_split_that_tests_before_it_trains(tota_dir: Path, tmp_path: Path) -> None:
    holdout = tmp_path / "holdout.txt"
    holdout.write_text("")
    result = runner.invoke(app, ["evaluate", "--corpus", str(tota_dir), "--holdout", str(holdout),
                                 "--train-until", "2012", "--test-from", "2011"])
    assert result.exit_code == 1 and "train-until < test-from" in result.output


def test_train_and_evaluate_report_each_step_as_a_line_where_no_terminal_shows_a_bar(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Under `nohup`, in a CI log or a pipe, a live progress bar prints nothing for the quarter of an hour
    that evaluating takes; each step is a line of its own there."""
    from pipeline.cli.training import _with_step_progress

    def run(on_step):
        for done in (1, 2, 6):
            on_step(done, 6)
        return "report"

    assert _with_step_progress(run) == "report"
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert [line.split(" done")[0] for line in lines] == [
        f"temporal split + cross-validation folds: {done}/6" for done in (1, 2, 6)]
    assert all(line.endswith(")") and "(0:0" in line for line in lines)

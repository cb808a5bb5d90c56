"""Every export format, read back; the analytics commands as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline import api
from pipeline.analytics.export import stata_names
from pipeline.cli import app
from tests.analytics_fixture import FORMULA_TEXT, build_fixture_db

runner = CliRunner()
TABLES = ["clauses", "treaties", "coding", "dyads", "adoption", "first-adopters", "instruments", "corpus-health"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_db(tmp_path_factory.mktemp("fixture") / "analytics.duckdb")


@pytest.mark.parametrize("table", TABLES)
def test_every_table_in_every_format_reads_back(db: Path, tmp_path: Path, table: str) -> None:
    expected = api.table(table, db)
    csv = pd.read_csv(api.export(table, "csv", tmp_path / "t.csv", db), keep_default_na=False)
    assert list(csv.columns) == list(expected.columns) and len(csv) == len(expected)
    parquet = pd.read_parquet(api.export(table, "parquet", tmp_path / "t.parquet", db))
    assert list(parquet.columns) == list(expected.columns) and len(parquet) == len(expected)
    records = json.loads(api.export(table, "json", tmp_path / "t.json", db).read_text(encoding="utf-8"))
    assert len(records) == len(expected) and (not records or list(records[0]) == list(expected.columns))
    excel = pd.read_excel(api.export(table, "xlsx", tmp_path / "t.xlsx", db), sheet_name=None)
    assert list(excel) == [table[:31], "codebook", "labels", "source"]
    assert len(excel[table[:31]]) == len(expected)
    assert list(excel["codebook"]["column"]) == list(expected.columns)
    stata = pd.read_stata(api.export(table, "dta", tmp_path / "t.dta", db))
    assert len(stata) == len(expected) and list(stata.columns) == list(stata_names(list(expected.columns)).values())


def test_csv_joins_lists_with_semicolons(db: Path, tmp_path: Path) -> None:
    treaties = pd.read_csv(api.export("treaties", "csv", tmp_path / "t.csv", db)).set_index("treaty_id")
    assert treaties.loc["trans-pacific-partnership-2016", "language_versions"] == "tota:449; tota:450"
    assert treaties.loc["trans-pacific-partnership-2016", "parties"] == "AUS; CHL; USA"


def test_excel_keeps_a_clause_starting_with_equals_as_text(db: Path, tmp_path: Path) -> None:
    path = api.export("clauses", "xlsx", tmp_path / "clauses.xlsx", db)
    sheet = openpyxl.load_workbook(path)["clauses"]
    header = [c.value for c in sheet[1]]
    cells = [row[header.index("text")] for row in sheet.iter_rows(min_row=2)]
    formula_cells = [c for c in cells if c.value == FORMULA_TEXT]
    assert len(formula_cells) == 1 and formula_cells[0].data_type == "s"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    workbook = pd.read_excel(path, sheet_name=None)
    assert FORMULA_TEXT in set(workbook["clauses"]["text"])
    source = dict(zip(workbook["source"]["item"], workbook["source"]["value"]))
    assert "CC BY-NC 4.0" in source["source and licence"] and source["model version"] == "fixture-1.0"
    assert "data_ownership" in set(workbook["labels"]["label"])
    codebook = workbook["codebook"].set_index("column")
    assert "hard" in codebook.loc["bindingness", "values"]


def test_stata_names_labels_and_value_labels(db: Path, tmp_path: Path) -> None:
    path = api.export("coding", "dta", tmp_path / "coding.dta", db)
    assert path.read_bytes()[:50].startswith(b"<stata_dta><header><release>118</release>")
    with pd.io.stata.StataReader(path) as reader:
        labels = reader.variable_labels()
        value_labels = reader.value_labels()
    names = list(labels)
    assert all(len(n) <= 32 and n.isidentifier() for n in names) and len(set(names)) == len(names)
    assert "customs_duties_electronic_transm" in names  # 39 characters cut by our code
    assert all(len(label) <= 80 for label in labels.values())
    assert value_labels["source_code"] == {0: "none", 1: "soft", 2: "mixed", 3: "hard"}
    clauses_path = api.export("clauses", "dta", tmp_path / "clauses.dta", db)
    assert set(pd.read_stata(clauses_path)["bindingness"]) == {"hard", "soft"}
    with pd.io.stata.StataReader(clauses_path) as reader:
        assert reader.value_labels()["bindingness"] == {1: "soft", 2: "mixed", 3: "hard"}


def test_stata_names_are_sanitized_and_unique() -> None:
    names = stata_names(["a b", "a_b", "1st", "in", "x" * 40, "x" * 41])
    assert names == {"a b": "a_b", "a_b": "a_b_2", "1st": "v1st", "in": "in_", "x" * 40: "x" * 32,
                     "x" * 41: "x" * 30 + "_2"}


def test_cli_clauses_export_adoption_and_health(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["clauses", "--db", str(db), "--norm", "cross_border_data_flows", "--party", "AUS",
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(__import__("io").StringIO(result.stdout))
    assert sorted(frame["provision_id"]) == ["tota:100:0", "tota:449:0", "tota:450:0"]
    assert set(frame["labels"]) == {"cross_border_data_flows"} and "\n" not in frame["parties"].iloc[0]

    result = runner.invoke(app, ["export", "adoption", "--format", "csv", "--output", str(tmp_path / "a.csv"),
                                 "--db", str(db)])
    assert result.exit_code == 0, result.output
    exported = pd.read_csv(tmp_path / "a.csv")
    pd.testing.assert_frame_equal(exported, api.adoption(db), check_dtype=False)

    result = runner.invoke(app, ["adoption", "--db", str(db), "--by", "signed"])
    assert result.exit_code == 0 and "1976" in result.stdout and "Norm adoption" in result.stdout
    result = runner.invoke(app, ["corpus-health", "--db", str(db)])
    assert result.exit_code == 0 and "tota:206" in result.stdout and "2002" in result.stdout
    result = runner.invoke(app, ["first-adopters", "--db", str(db)])
    assert result.exit_code == 0 and "ec-algeria-1976" in result.stdout


def test_cli_errors_name_the_problem(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "nonsense", "--format", "csv", "--output", str(tmp_path / "x"),
                                 "--db", str(db)])
    assert result.exit_code == 1 and "no such table" in result.output
    result = runner.invoke(app, ["export", "treaties", "--format", "sav", "--output", str(tmp_path / "x"),
                                 "--db", str(db)])
    assert result.exit_code == 1 and "choose from" in result.output
    result = runner.invoke(app, ["clauses", "--db", str(db), "--bindingness", "binding"])
    assert result.exit_code == 1 and "hard, soft, mixed" in result.output


def test_sql_csv_joins_list_columns(db: Path) -> None:
    result = runner.invoke(app, ["sql", "--db", str(db), "--format", "csv",
                                 "SELECT treaty_id, language_versions FROM treaties ORDER BY treaty_id"])
    assert result.exit_code == 0
    assert "trans-pacific-partnership-2016,tota:449; tota:450" in result.stdout and "[" not in result.stdout


def test_report_goes_through_the_api(db: Path, tmp_path: Path) -> None:
    pytest.importorskip("pipeline.analytics.report", reason="the report renderer is merged from the report branch")
    result = runner.invoke(app, ["report", "--db", str(db), "--output", str(tmp_path / "report.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report.html").stat().st_size > 1000

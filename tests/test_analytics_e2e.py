"""End to end: `cybernorms refresh` over real ToTA files, then the analytics from the CLI and the API."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline import api
from pipeline.cli import app

runner = CliRunner()
CYBERNORMS = Path(sys.executable).parent / "cybernorms"
# The TPP in English (449) and Spanish (450), EC - Algeria (206: signed 1976, a 2002 text), and
# an agreement of the 1990s with e-commerce provisions (151).
IDS = ("151", "206", "449", "450")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory, tota_dir: Path) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for treaty_id in IDS:
        shutil.copy(tota_dir / f"pta_{treaty_id}.xml", folder)
    db = tmp_path_factory.mktemp("db") / "cn.duckdb"
    result = subprocess.run([str(CYBERNORMS), "refresh", "--db", str(db)], capture_output=True, text=True,
                            env={**os.environ, "CYBERNORMS_SOURCE": str(folder)}, timeout=300)
    assert result.returncode == 0, result.stderr
    return db


def test_tpp_is_one_treaty_and_counts_once(database: Path) -> None:
    treaties = api.treaties(database).set_index("treaty_id")
    assert len(treaties) == 3
    tpp = treaties.loc["trans-pacific-partnership-2016"]
    assert list(tpp["language_versions"]) == ["tota:449", "tota:450"] and tpp["authoritative_agreement_id"] == "tota:449"
    adoption = api.adoption(database).set_index(["norm", "year"])
    assert adoption.loc[("cross_border_data_flows", 2016), "treaties"] == 1
    assert adoption.loc[("cross_border_data_flows", 2016), "year_treaties"] == 1
    clauses = api.clauses(database, norm="cross_border_data_flows", since=2016)
    assert set(clauses["agreement_id"]) == {"tota:449", "tota:450"}  # both texts keep their clauses


def test_ec_algeria_carries_its_2002_vintage(database: Path) -> None:
    health = api.corpus_health(database).set_index("agreement_id")
    assert health.loc["tota:206", "year_signed"] == 1976 and health.loc["tota:206", "vintage_year"] == 2002
    signed = api.adoption(database, by="signed")
    vintage = api.adoption(database)
    algeria_norms = set(api.clauses(database, agreement="tota:206").explode("labels")["labels"])
    assert algeria_norms, "EC - Algeria has labelled provisions"
    norm = sorted(algeria_norms)[0]
    assert signed.set_index(["norm", "year"]).loc[(norm, 1976), "treaties"] == 1
    assert 1976 not in set(vintage["year"])


def test_cli_export_agrees_with_the_api(database: Path, tmp_path: Path) -> None:
    for table in ("adoption", "first-adopters", "coding"):
        out = tmp_path / f"{table}.csv"
        result = runner.invoke(app, ["export", table, "--format", "csv", "--output", str(out), "--db", str(database)])
        assert result.exit_code == 0, result.output
        exported = pd.read_csv(out)
        expected = api.table(table, database)
        assert len(exported) == len(expected) and list(exported.columns) == list(expected.columns)
    coding = pd.read_csv(tmp_path / "coding.csv").set_index("treaty_id")
    # TAPED's scale from the treaty's own source-code clauses (the authoritative English text):
    # 3 when all are hard, 1 when all are soft, 2 otherwise.
    found = set(api.clauses(database, agreement="tota:449", norm="source_code")["bindingness"])
    assert found, "the TPP has source-code clauses"
    expected = 3 if found == {"hard"} else 1 if found == {"soft"} else 2
    assert coding.loc["trans-pacific-partnership-2016", "source_code"] == expected
    result = runner.invoke(app, ["clauses", "--db", str(database), "--agreement", "trans-pacific-partnership-2016",
                                 "--norm", "source_code", "--format", "csv"])
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert result.exit_code == 0 and set(frame["treaty_id"]) == {"trans-pacific-partnership-2016"}
    assert (frame["bindingness"] == "hard").any()

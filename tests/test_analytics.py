"""Treaties, vintage and every analytics table on a fixture database, against values worked out by
hand (see tests/analytics_fixture.py for the agreements and why each number is what it is)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from pipeline import api
from pipeline.errors import CybernormsError, StoreError
from pipeline.taxonomy import LABEL_IDS
from tests.analytics_fixture import build_fixture_db

TPP, ALGERIA, AU_US, DEA = ("trans-pacific-partnership-2016", "ec-algeria-1976", "australia-united-states-2005",
                            "digital-economy-agreement-undated")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_db(tmp_path_factory.mktemp("fixture") / "analytics.duckdb")


def test_language_versions_form_one_treaty_with_the_english_text_authoritative(db: Path) -> None:
    treaties = api.treaties(db).set_index("treaty_id")
    assert sorted(treaties.index) == sorted([TPP, ALGERIA, AU_US, DEA])
    tpp = treaties.loc[TPP]
    assert list(tpp["language_versions"]) == ["tota:449", "tota:450"]
    assert tpp["authoritative_agreement_id"] == "tota:449"
    assert list(tpp["parties"]) == ["AUS", "CHL", "USA"] and tpp["year_signed"] == 2016


def test_vintage_follows_the_text_and_ignores_deadlines_and_schedules(db: Path) -> None:
    treaties = api.treaties(db).set_index("treaty_id")
    assert treaties.loc[ALGERIA, "year_signed"] == 1976
    assert treaties.loc[ALGERIA, "vintage_year"] == 2002  # not 2006 (deadline) nor 2010 (tariff schedule)
    assert treaties.loc[AU_US, "vintage_year"] == 2005  # its schedule's 2015 does not count
    assert treaties.loc[TPP, "vintage_year"] == 2016
    assert pd.isna(treaties.loc[DEA, "vintage_year"]) and pd.isna(treaties.loc[DEA, "year_signed"])


def test_corpus_health_lists_texts_not_what_their_dates_say(db: Path) -> None:
    health = api.corpus_health(db)
    assert list(health["agreement_id"]) == ["text:dea", "tota:206"]
    algeria = health.set_index("agreement_id").loc["tota:206"]
    assert algeria["year_signed"] == 1976 and algeria["vintage_year"] == 2002
    assert "1 January 2002" in algeria["evidence"] and "1105/2001" in algeria["evidence"]


def test_clauses_view_carries_provision_treaty_and_vintage(db: Path) -> None:
    clauses = api.clauses(db)
    assert len(clauses) == 11
    spanish = clauses.set_index("provision_id").loc["tota:450:1"]
    assert spanish["treaty_id"] == TPP and spanish["vintage_year"] == 2016 and spanish["agreement_id"] == "tota:450"
    algeria = clauses[clauses["agreement_id"] == "tota:206"]
    assert set(algeria["year"]) == {1976} and set(algeria["vintage_year"]) == {2002}


def test_clause_filters(db: Path) -> None:
    flows_aus = api.clauses(db, norm="cross_border_data_flows", party="aus")
    assert sorted(flows_aus["provision_id"]) == ["tota:100:0", "tota:449:0", "tota:450:0"]
    assert list(api.clauses(db, norm="personal_data_protection", since=2003, until=2010,
                            bindingness="soft")["provision_id"]) == ["tota:100:2"]
    assert list(api.clauses(db, text="SOURCE code")["provision_id"]) == ["tota:449:1", "text:dea:0"]
    assert set(api.clauses(db, agreement=TPP)["agreement_id"]) == {"tota:449", "tota:450"}
    assert list(api.clauses(db, agreement="tota:450")["provision_id"]) == ["tota:450:0", "tota:450:1"]
    # Values are parameters, never SQL.
    assert api.clauses(db, text="'; DROP TABLE agreements; --").empty
    with pytest.raises(CybernormsError, match="not a label id"):
        api.clauses(db, norm="spam")


def test_adoption_counts_each_treaty_once_by_vintage(db: Path) -> None:
    table = api.adoption(db)
    assert list(table.columns) == ["norm", "year", "treaties", "year_treaties", "share", "cumulative", "hard",
                                   "mixed", "soft"]
    assert len(table) == len(LABEL_IDS) * 15  # every norm, every year 2002..2016
    cell = table.set_index(["norm", "year"])
    assert tuple(cell.loc[("cross_border_data_flows", 2016), ["treaties", "year_treaties", "share", "cumulative",
                                                                "hard", "mixed", "soft"]]) == (1, 1, 1.0, 2, 1, 0, 0)
    assert tuple(cell.loc[("cross_border_data_flows", 2005), ["treaties", "soft"]]) == (1, 1)
    assert tuple(cell.loc[("personal_data_protection", 2002), ["treaties", "hard"]]) == (1, 1)
    assert tuple(cell.loc[("personal_data_protection", 2005), ["treaties", "mixed"]]) == (1, 1)
    assert cell.loc[("personal_data_protection", 2016), "cumulative"] == 3
    assert table[table["norm"] == "data_localization"]["treaties"].sum() == 0  # Spanish-only label
    assert table[table["norm"] == "source_code"]["treaties"].sum() == 1  # the undated treaty has no year
    assert math.isnan(cell.loc[("cybercrime", 2003), "share"])  # no treaty that year
    assert table.groupby("year")["year_treaties"].first().sum() == 3


def test_adoption_by_signature_year_moves_algeria_back(db: Path) -> None:
    signed = api.adoption(db, by="signed").set_index(["norm", "year"])
    assert signed.loc[("cybercrime", 1976), "treaties"] == 1
    assert signed.index.get_level_values("year").min() == 1976
    with pytest.raises(StoreError, match="unknown year basis"):
        api.adoption(db, by="ratified")


def test_first_adopters_party_adoption_legalization(db: Path) -> None:
    first = api.first_adopters(db).set_index("norm")
    assert tuple(first.loc["personal_data_protection", ["treaty_id", "year", "later_treaties"]]) == (ALGERIA, 2002, 2)
    assert tuple(first.loc["cross_border_data_flows", ["treaty_id", "year", "later_treaties"]]) == (AU_US, 2005, 1)
    assert tuple(first.loc["source_code", ["treaty_id", "later_treaties"]]) == (TPP, 0)
    assert "data_localization" not in first.index
    parties = api.party_adoption(db).set_index(["party", "norm"])
    assert tuple(parties.loc[("AUS", "cross_border_data_flows")]) == (2005, AU_US, 2)
    assert tuple(parties.loc[("CHL", "source_code")]) == (2016, TPP, 2)  # the undated treaty counts, undated
    legal = api.legalization(db).set_index(["norm", "year"])
    assert legal.loc[("personal_data_protection", 2002), "hard_share"] == 1.0
    assert legal.loc[("personal_data_protection", 2005), "hard_share"] == 0.0
    regions = api.adoption_by_group(db, group="region").set_index(["norm", "year", "region"])
    assert tuple(regions.loc[("personal_data_protection", 2005, "Oceania"), ["treaties", "group_treaties"]]) == (1, 1)


def test_coding_is_taped_scale_per_treaty(db: Path) -> None:
    coding = api.coding(db).set_index("treaty_id")
    assert list(coding.columns[-len(LABEL_IDS):]) == list(LABEL_IDS)
    assert coding.loc[TPP, ["cross_border_data_flows", "source_code", "personal_data_protection",
                            "data_localization"]].tolist() == [3, 3, 1, 0]
    assert coding.loc[ALGERIA, ["cybercrime", "personal_data_protection"]].tolist() == [1, 3]
    assert coding.loc[AU_US, ["cross_border_data_flows", "personal_data_protection"]].tolist() == [1, 2]
    assert coding.loc[DEA, "source_code"] == 3
    assert int(coding[list(LABEL_IDS)].to_numpy().sum()) == 3 + 3 + 1 + 1 + 3 + 1 + 2 + 3


def test_dyads_count_from_entry_into_force_but_not_before_the_text(db: Path) -> None:
    dyads = api.dyads(db, until=2006)
    rows = {(r.iso3_a, r.iso3_b, r.year, r.norm): r.treaties for r in dyads.itertuples()}
    # Algeria: in force 1976, but its text (and the norms in it) is from 2002.
    assert {k for k in rows if k[:2] == ("DZA", "FRA")} == {
        ("DZA", "FRA", y, n) for y in range(2002, 2007) for n in ("cybercrime", "personal_data_protection")}
    assert {k for k in rows if k[:2] == ("AUS", "USA")} == {
        ("AUS", "USA", y, n) for y in (2005, 2006) for n in ("cross_border_data_flows", "personal_data_protection")}
    assert len(dyads) == 14
    full = api.dyads(db).set_index(["iso3_a", "iso3_b", "year", "norm"])
    assert full.loc[("AUS", "USA", 2016, "cross_border_data_flows"), "treaties"] == 2  # TPP and AUS-USA
    assert list(full.loc[("AUS", "USA", 2016, "cross_border_data_flows"), "treaty_ids"]) == [AU_US, TPP]


def test_a_database_without_derived_tables_says_how_to_fix_it(tmp_path: Path, db: Path) -> None:
    import shutil

    import duckdb

    copy = tmp_path / "old.duckdb"
    shutil.copy(db, copy)
    with duckdb.connect(str(copy)) as connection:
        connection.execute("DELETE FROM treaties")
    with pytest.raises(StoreError, match="cybernorms refresh"):
        api.adoption(copy)
    with duckdb.connect(str(copy)) as connection:  # as a database from before the treaty tables
        connection.execute("DROP VIEW clauses; DROP TABLE treaties")
    with pytest.raises(StoreError, match="cybernorms refresh"):
        api.clauses(copy)

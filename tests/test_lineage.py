"""Template lineage on hand-built clauses whose similarities are worked out by hand.

Texts are short letter runs so that their 5-character shingles can be listed:
  "abcdefgh"  -> abcde bcdef cdefg defgh                (4)
  "abcdefghi" -> the four above + efghi                 (5)
  "abcdefgxy" -> abcde bcdef cdefg defgx efgxy          (5)
  "bcdefghij" -> bcdef cdefg defgh efghi fghij          (5)
so J(abcdefgh, abcdefghi) = 4/5, J(abcdefgh, abcdefgxy) = 3/6, J(abcdefghi, abcdefgxy) = 3/7,
J(abcdefghi, bcdefghij) = 4/6, J(abcdefgh, bcdefghij) = 3/6.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from pipeline.analytics.lineage import FAMILY_THRESHOLD, compute_lineage
from pipeline.analytics.lineage_export import lineage_graph, write_edge_list, write_graphml
from pipeline.analytics.similarity import jaccard, normalise, shingles

X, Y = "source_code", "data_localization"

# provision, treaty, date signed, labels, text, parties
ROWS = [
    ("A", "T1", date(2000, 1, 15), [X], "abcdefgh", ["AUS", "USA"]),
    ("G", "T8", date(2000, 6, 1), [X], "abcdefgh", ["CHL", "USA"]),      # same year as A: neither is the other's parent
    ("B", "T2", date(2005, 3, 1), [X], "ABCDEFGH.", ["SGP", "USA"]),     # exact copy once case and punctuation go
    ("H", "T2", date(2005, 3, 1), [X], "abcdefgh", ["SGP", "USA"]),      # B's own treaty holds a copy: never its parent
    ("D", "T4", date(2008, 1, 1), [X], "abcdefghi", ["JPN", "USA"]),     # near copy, 0.8
    ("U2", "T4", date(2008, 1, 1), [X], "qqqqqq rrrrrr", ["JPN", "USA"]),  # unrelated
    ("E", "T6", date(2009, 1, 1), [Y], "abcdefgh", ["KOR", "PER"]),      # a copy under another norm only
    ("C", "T3", date(2010, 1, 1), [X], "abcdefgxy", ["CAN", "PER"]),     # 0.5: lineage yes, family no
    ("F", "T7", date(2011, 1, 1), [X, Y], "abcdefgh", ["MEX", "PER"]),   # copies under both norms
    ("U", "T5", date(2012, 1, 1), [X], "zyxwvuts", ["NZL", "CHN"]),      # unrelated
]


def clauses(rows=ROWS) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["provision_id", "treaty_id", "date_signed", "labels", "text", "parties"])
    frame["vintage_year"] = [d.year for d in frame["date_signed"]]
    frame["year"] = frame["vintage_year"]
    frame["agreement_name"] = "Agreement " + frame["treaty_id"]
    frame["article_no"] = "1." + frame["provision_id"]
    return frame


def test_shingles_and_jaccard_by_hand() -> None:
    assert normalise("  ABCDEFGH.\n") == "abcdefgh"
    assert shingles("abcdefgh") == {"abcde", "bcdef", "cdefg", "defgh"}
    assert jaccard(shingles("abcdefgh"), shingles("ABCDEFGH.")) == 1.0
    assert jaccard(shingles("abcdefgh"), shingles("abcdefghi")) == pytest.approx(4 / 5)
    assert jaccard(shingles("abcdefgh"), shingles("abcdefgxy")) == pytest.approx(3 / 6)
    assert jaccard(shingles("abcdefghi"), shingles("abcdefgxy")) == pytest.approx(3 / 7)
    assert jaccard(shingles("abcdefgh"), shingles("zyxwvuts")) == 0.0
    assert jaccard(shingles(""), shingles("")) == 0.0


def edge_map(edges: pd.DataFrame) -> dict[tuple[str, str], tuple[str, float]]:
    return {(r.provision_id, r.norm): (r.parent_provision_id, round(r.similarity, 6)) for r in edges.itertuples()}


def test_each_provision_gets_its_most_similar_earlier_provision_of_the_same_norm_in_another_treaty() -> None:
    edges = compute_lineage(clauses()).edges
    assert edge_map(edges) == {
        # 1.0 from A and from G (both 2000): the earlier date wins.
        ("B", X): ("A", 1.0),
        # H's own treaty holds B (1.0, 2005), but only other treaties count.
        ("H", X): ("A", 1.0),
        # 0.8 from A, G, B and H: the earliest date wins.
        ("D", X): ("A", 0.8),
        # 0.5 from A, G, B, H; 3/7 from D.
        ("C", X): ("A", 0.5),
        # Under X the earliest exact copy; under Y the only earlier Y provision (E in 2009).
        ("F", X): ("A", 1.0),
        ("F", Y): ("E", 1.0),
    }
    # A and G (the first year), E (no earlier Y provision) and the unrelated U, U2: no parent.
    row = edges.set_index(["provision_id", "norm"]).loc[("D", X)]
    assert (row.treaty_id, row.year, row.parent_treaty_id, row.parent_year) == ("T4", 2008, "T1", 2000)
    assert list(edges.columns) == ["provision_id", "treaty_id", "year", "norm", "parent_provision_id",
                                   "parent_treaty_id", "parent_year", "similarity"]


def test_parents_are_strictly_earlier() -> None:
    later_copy = [("A", "T1", date(2000, 1, 15), [X], "abcdefgh", []),
                  ("Z", "T9", date(2000, 12, 31), [X], "abcdefgh", []),  # same year, later date
                  ("W", "T10", date(1999, 12, 31), [X], "zzzzzzz qqq", [])]
    assert compute_lineage(clauses(later_copy)).edges.empty


def test_families_are_connected_near_copies_per_norm() -> None:
    lineage = compute_lineage(clauses())
    families = lineage.families.set_index("family_id")
    assert set(families.index) == {f"{X}:A", f"{Y}:E"}
    x = families.loc[f"{X}:A"]
    # A, G, B, H, F (1.0) and D (0.8); C (0.5) stays out.
    assert (x.norm, x["size"], x.treaties, x.first_year, x.first_treaty_id, x.last_year) == (X, 6, 5, 2000, "T1", 2011)
    assert x.parties == ["AUS", "CHL", "JPN", "MEX", "PER", "SGP", "USA"]
    assert x.first_provision_id == "A" and x.first_treaty_name == "Agreement T1"
    y = families.loc[f"{Y}:E"]
    assert (y["size"], y.treaties, y.first_year, y.last_year, y.parties) == (2, 2, 2009, 2011, ["KOR", "MEX", "PER"])
    members = lineage.members
    assert sorted(members.loc[members.family_id == f"{X}:A", "provision_id"]) == ["A", "B", "D", "F", "G", "H"]
    assert members.loc[members.family_id == f"{X}:A"].iloc[0].provision_id == "A"  # in order of appearance
    assert list(lineage.families.family_id) == [f"{X}:A", f"{Y}:E"]  # largest first


def test_families_chain_through_intermediate_copies() -> None:
    rows = [("P1", "T1", date(2001, 1, 1), [X], "abcdefgh", []),
            ("P2", "T2", date(2002, 1, 1), [X], "abcdefghi", []),   # 0.8 to P1
            ("P3", "T3", date(2003, 1, 1), [X], "bcdefghij", [])]   # 4/6 to P2, only 0.5 to P1
    lineage = compute_lineage(clauses(rows))
    assert lineage.families["size"].tolist() == [3]
    assert edge_map(lineage.edges)[("P3", X)] == ("P2", round(4 / 6, 6))


def test_treaty_sources_share_of_digital_provisions_copied() -> None:
    sources = compute_lineage(clauses()).treaty_sources
    table = {(r.treaty_id, r.source_treaty_id): (r.share, r.copied_provisions, r.digital_provisions)
             for r in sources.itertuples()}
    assert table == {
        ("T2", "T1"): (1.0, 2, 2),   # B and H copy A
        ("T4", "T1"): (0.5, 1, 2),   # D copies A (0.8); U2 copies nothing
        # F copies A under X and E under Y, both 1.0: the earlier parent counts, once.
        ("T7", "T1"): (1.0, 1, 1),
    }  # C's best match (0.5) is below the family threshold: T3 has no source.
    assert FAMILY_THRESHOLD > 0.5


def test_no_labelled_pairs_give_empty_tables() -> None:
    rows = [("A", "T1", date(2000, 1, 1), [X], "abcdefgh", []), ("U", "T2", date(2001, 1, 1), [X], "zyxwvuts", [])]
    lineage = compute_lineage(clauses(rows))
    assert lineage.edges.empty and lineage.families.empty and lineage.members.empty and lineage.treaty_sources.empty


def test_missing_column_is_named() -> None:
    with pytest.raises(ValueError, match="vintage_year"):
        compute_lineage(clauses().drop(columns=["vintage_year"]))


def test_edge_list_and_graphml_round_trip(tmp_path: Path) -> None:
    frame = clauses()
    lineage = compute_lineage(frame)
    csv = write_edge_list(lineage.edges, tmp_path / "lineage.csv")
    back = pd.read_csv(csv)
    assert len(back) == 6 and list(back.columns) == list(lineage.edges.columns)

    path = write_graphml(lineage_graph(lineage, frame), tmp_path / "lineage.graphml")
    graph = nx.read_graphml(path)
    assert graph.is_directed()
    # F copies A under X and E under Y: two edges into F; B, H, D, C from A.
    assert set(graph.edges) == {("A", "B"), ("A", "H"), ("A", "D"), ("A", "C"), ("A", "F"), ("E", "F")}
    assert graph.edges["A", "D"]["similarity"] == pytest.approx(0.8)
    assert graph.edges["A", "D"]["near_copy"] is True and graph.edges["A", "C"]["near_copy"] is False
    assert graph.nodes["F"]["treaty_id"] == "T7" and graph.nodes["F"]["year"] == 2011
    assert graph.nodes["F"]["families"] == f"{Y}:E; {X}:A"
    assert "U" not in graph  # in no edge and no family


# --- real treaty text ------------------------------------------------------------------------

def test_us_australia_copies_us_singapore(tota_dir: Path) -> None:
    """US - Singapore (2003) and US - Australia (2004), read from ToTA and classified by the
    shipped model: Australia's articles on intermediary liability and on the privacy of
    financial information are near-copies of Singapore's."""
    from pipeline.classify.base import ClassifierInput, provision_heading
    from pipeline.classify.registry import load_classifier
    from pipeline.sources.tota import read_tota_file

    documents = [read_tota_file(tota_dir / f"pta_{number}.xml") for number in ("52", "37")]
    classifier = load_classifier("default")
    rows = []
    for document in documents:
        agreement = document.agreement
        inputs = [ClassifierInput(p.id, p.text, agreement.language, provision_heading(p.article_title, p.chapter))
                  for p in document.provisions]
        for provision, prediction in zip(document.provisions, classifier.predict(inputs)):
            if prediction.labels:
                rows.append({"provision_id": provision.id, "treaty_id": agreement.id, "agreement_name": agreement.name,
                             "date_signed": agreement.date_signed, "vintage_year": agreement.date_signed.year,
                             "parties": list(agreement.parties), "article_no": provision.article_no,
                             "text": provision.text, "labels": list(prediction.labels)})
    frame = pd.DataFrame(rows)
    lineage = compute_lineage(frame)
    edges = lineage.edges[lineage.edges["similarity"] >= FAMILY_THRESHOLD]
    copied = {(r.provision_id, r.norm): r.parent_provision_id for r in edges.itertuples()}
    assert copied[("tota:37:199", "intermediary_liability")] == "tota:52:177"
    assert copied[("tota:37:238", "privacy_safeguard")] == "tota:52:212"
    assert set(edges["treaty_id"]) == {"tota:37"} and set(edges["parent_treaty_id"]) == {"tota:52"}
    share = lineage.treaty_sources.set_index(["treaty_id", "source_treaty_id"]).loc[("tota:37", "tota:52")]
    assert share.copied_provisions >= 3 and share.share == share.copied_provisions / share.digital_provisions
    assert lineage.families["first_treaty_id"].eq("tota:52").all()

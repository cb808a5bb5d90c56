"""Template lineage: which earlier clause each digital provision copies, the families of
near-copies, and how much of each treaty's digital text comes from which earlier treaty.

Input is the clauses table of the analytics contract (one row per labelled provision, with
provision_id, treaty_id, labels, text, date_signed, parties, agreement_name and a year column).
Everything here is a pure function of that table.

Similarity is the exact Jaccard of 5-character shingles (`similarity.py`); MinHash LSH only
proposes the pairs to compare.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from pipeline.analytics.similarity import CandidateSettings, candidate_pairs, jaccard, shingles, signatures

# Two provisions with at least this similarity are near-copies, and near-copies connected
# through each other form a clause family. Chosen by reading pairs of labelled ToTA provisions
# (same norm, different agreements) in bands of 0.05: from 0.60 up, sampled pairs were one text
# adapted (chapters renumbered, "either Party" for "a Party", "shall endeavour" for "shall");
# between 0.40 and 0.55 many were only the stock phrasing of a genre (the financial-information
# carve-outs of the Canadian and US templates, GATS-derived prudential clauses) drafted apart.
# Families link by single linkage, so a lower threshold also chains distinct templates: the
# largest family (GATT Article XX incorporated, privacy_safeguard) has 49 provisions at 0.60,
# 64 at 0.50 and 73 at 0.40. The threshold errs towards precision.
FAMILY_THRESHOLD = 0.6

# Below this, shared shingles are the vocabulary of trade law ("each Party shall", "for
# greater certainty"), not a shared source: no lineage edge is reported.
MIN_SIMILARITY = 0.3

EDGE_COLUMNS = ["provision_id", "treaty_id", "year", "norm", "parent_provision_id", "parent_treaty_id",
                "parent_year", "similarity"]
FAMILY_COLUMNS = ["family_id", "norm", "size", "treaties", "first_year", "first_treaty_id", "last_year",
                  "parties", "first_provision_id", "first_treaty_name"]
MEMBER_COLUMNS = ["family_id", "provision_id", "treaty_id", "year"]
SOURCE_COLUMNS = ["treaty_id", "source_treaty_id", "share", "copied_provisions", "digital_provisions"]
PAIR_COLUMNS = ["provision_id", "other_provision_id", "norm", "similarity"]


@dataclass(frozen=True, slots=True)
class LineageSettings:
    family_threshold: float = FAMILY_THRESHOLD
    min_similarity: float = MIN_SIMILARITY
    # Year the text belongs to: the vintage year (the text actually held), as adoption uses.
    year_column: str = "vintage_year"
    candidates: CandidateSettings = field(default_factory=CandidateSettings)


@dataclass(frozen=True)
class Lineage:
    """The lineage tables. `pairs` holds every confirmed similar pair (both directions, one row
    per shared norm); the other tables are derived from it."""

    edges: pd.DataFrame
    families: pd.DataFrame
    members: pd.DataFrame
    treaty_sources: pd.DataFrame
    pairs: pd.DataFrame
    settings: LineageSettings


def compute_lineage(clauses: pd.DataFrame, settings: LineageSettings = LineageSettings()) -> Lineage:
    """Edges, families and treaty sources of the labelled provisions in `clauses`."""
    provisions = provision_table(clauses, settings.year_column)
    pairs = similar_pairs(provisions, settings)
    edges = lineage_edges(provisions, pairs)
    families, members = clause_families(provisions, pairs, settings.family_threshold)
    sources = treaty_sources(provisions, edges, settings.family_threshold)
    return Lineage(edges=edges, families=families, members=members, treaty_sources=sources, pairs=pairs,
                   settings=settings)


def provision_table(clauses: pd.DataFrame, year_column: str) -> pd.DataFrame:
    """One row per provision with the columns lineage needs (`year` from `year_column`, `norms`
    as a frozenset): the input of `similar_pairs`, `lineage_edges`, `clause_families`."""
    required = {"provision_id", "treaty_id", "labels", "text", "date_signed", year_column}
    missing = required - set(clauses.columns)
    if missing:
        raise ValueError(f"clauses table lacks column(s) {sorted(missing)}; lineage needs {sorted(required)}")
    frame = clauses.drop_duplicates("provision_id").reset_index(drop=True)
    return pd.DataFrame({
        "provision_id": frame["provision_id"].astype(str),
        "treaty_id": frame["treaty_id"].astype(str),
        "year": pd.to_numeric(frame[year_column], errors="coerce").astype("Int64"),
        "date_signed": pd.to_datetime(frame["date_signed"], errors="coerce"),
        "norms": [frozenset(labels) for labels in frame["labels"]],
        "text": frame["text"].astype(str),
        "parties": [list(p) if isinstance(p, (list, tuple, np.ndarray)) else []
                    for p in frame.get("parties", pd.Series([None] * len(frame)))],
        "agreement_name": frame.get("agreement_name", frame["treaty_id"]).astype(str),
    })


def similar_pairs(provisions: pd.DataFrame, settings: LineageSettings = LineageSettings()) -> pd.DataFrame:
    """Every pair of provisions of different treaties that share a norm and whose exact
    similarity is at least `min_similarity`: one row per direction and shared norm."""
    sets = [shingles(text) for text in provisions["text"]]
    ids = provisions["provision_id"].tolist()
    treaties = provisions["treaty_id"].tolist()
    norms = provisions["norms"].tolist()
    minhashes = signatures(sets, settings.candidates)
    estimate_floor = settings.min_similarity - settings.candidates.estimate_margin
    rows = []
    for i, j in sorted(candidate_pairs(minhashes, settings.candidates)):
        shared = norms[i] & norms[j]
        if not shared or treaties[i] == treaties[j] or minhashes[i].jaccard(minhashes[j]) < estimate_floor:
            continue
        value = jaccard(sets[i], sets[j])
        if value < settings.min_similarity:
            continue
        for norm in sorted(shared):
            rows.append((ids[i], ids[j], norm, value))
            rows.append((ids[j], ids[i], norm, value))
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def lineage_edges(provisions: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """For each provision and norm, its most similar provision with that norm in another treaty
    of a strictly earlier year. Ties go to the earlier date of signature, then the lower id.
    Provisions with no such provision at or above the pair floor get no row."""
    if pairs.empty:
        return pd.DataFrame(columns=EDGE_COLUMNS)
    attributes = provisions.set_index("provision_id")[["treaty_id", "year", "date_signed"]]
    frame = pairs.join(attributes, on="provision_id").join(
        attributes.add_prefix("parent_"), on="other_provision_id")
    frame = frame[frame["year"].notna() & frame["parent_year"].notna() & (frame["parent_year"] < frame["year"])]
    frame = frame.rename(columns={"other_provision_id": "parent_provision_id"}).sort_values(
        ["provision_id", "norm", "similarity", "parent_date_signed", "parent_provision_id"],
        ascending=[True, True, False, True, True], na_position="last", kind="mergesort")
    best = frame.drop_duplicates(["provision_id", "norm"], keep="first")
    return best[EDGE_COLUMNS].reset_index(drop=True)


def clause_families(provisions: pd.DataFrame, pairs: pd.DataFrame, threshold: float = FAMILY_THRESHOLD
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Connected components of near-copies (similarity >= threshold) per norm.

    A family is named after its norm and its first member (earliest year, then date, then id),
    so its id stays the same when later treaties join it. Largest families first."""
    near = pairs[pairs["similarity"] >= threshold]
    components = []
    for norm, group in near.groupby("norm", sort=True):
        graph = nx.Graph()
        graph.add_edges_from(zip(group["provision_id"], group["other_provision_id"]))
        components.extend((norm, number, provision_id)
                          for number, component in enumerate(nx.connected_components(graph))
                          for provision_id in component)
    members = pd.DataFrame(components, columns=["norm", "component", "provision_id"]).merge(
        provisions[["provision_id", "treaty_id", "year", "date_signed", "parties", "agreement_name"]],
        on="provision_id", how="left")
    members = members.sort_values(["norm", "component", "year", "date_signed", "provision_id"],
                                  na_position="last", kind="mergesort")
    grouped = members.groupby(["norm", "component"], sort=False)
    first = grouped.head(1).set_index(["norm", "component"])
    families = pd.DataFrame({
        "size": grouped.size(),
        "treaties": grouped["treaty_id"].nunique(),
        "last_year": grouped["year"].max(),
        "parties": grouped["parties"].agg(lambda lists: sorted({party for parties in lists for party in parties})),
    })
    families["first_year"] = first["year"]
    families["first_treaty_id"] = first["treaty_id"]
    families["first_provision_id"] = first["provision_id"]
    families["first_treaty_name"] = first["agreement_name"]
    families["family_id"] = families.index.get_level_values("norm") + ":" + families["first_provision_id"]
    members = members.join(families["family_id"], on=["norm", "component"])
    families = families.sort_values(["size", "treaties", "first_year", "family_id"],
                                    ascending=[False, False, True, True])
    families = families.reset_index().reindex(columns=FAMILY_COLUMNS)
    members = members.sort_values(["family_id", "year", "date_signed", "provision_id"], na_position="last",
                                  kind="mergesort")
    for frame, columns in ((families, ("first_year", "last_year")), (members, ("year",))):
        for column in columns:
            frame[column] = frame[column].astype("Int64")
    return families.reset_index(drop=True), members.reindex(columns=MEMBER_COLUMNS).reset_index(drop=True)


def treaty_sources(provisions: pd.DataFrame, edges: pd.DataFrame, threshold: float = FAMILY_THRESHOLD
                   ) -> pd.DataFrame:
    """Per treaty and earlier treaty: the share of the treaty's digital (labelled) provisions
    whose best earlier match over all their norms lies in that earlier treaty and is a
    near-copy (similarity >= threshold). Shares of one treaty sum to at most 1."""
    digital = provisions.groupby("treaty_id")["provision_id"].nunique().rename("digital_provisions")
    best = edges.join(provisions.set_index("provision_id")["date_signed"].rename("parent_date_signed"),
                      on="parent_provision_id")
    best = best.sort_values(["provision_id", "similarity", "parent_date_signed", "parent_provision_id"],
                            ascending=[True, False, True, True], na_position="last", kind="mergesort")
    best = best.drop_duplicates("provision_id", keep="first")
    best = best[best["similarity"] >= threshold]
    counts = (best.groupby(["treaty_id", "parent_treaty_id"]).size().rename("copied_provisions").reset_index()
              .rename(columns={"parent_treaty_id": "source_treaty_id"}))
    counts = counts.join(digital, on="treaty_id")
    counts["share"] = counts["copied_provisions"] / counts["digital_provisions"]
    counts = counts.sort_values(["treaty_id", "share", "source_treaty_id"], ascending=[True, False, True])
    return counts[SOURCE_COLUMNS].reset_index(drop=True)

"""Lineage as files: the edge list as CSV and the provision graph as GraphML (Gephi, yEd,
networkx, igraph read it)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd

from pipeline.analytics.lineage import Lineage


def write_edge_list(edges: pd.DataFrame, path: Path) -> Path:
    """One row per (provision, norm) with its closest earlier provision and the similarity."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    edges.to_csv(path, index=False)
    return path


def lineage_graph(lineage: Lineage, clauses: pd.DataFrame) -> nx.DiGraph:
    """Provisions as nodes, an edge from each parent to the provision that copies it.

    A pair that is the best match for several norms is one edge listing the norms, so that
    tools that cannot draw parallel edges show it once. Nodes carry where the provision sits
    and the families it belongs to; edges carry the similarity and whether it is a near-copy."""
    graph = nx.DiGraph(family_threshold=lineage.settings.family_threshold,
                       min_similarity=lineage.settings.min_similarity)
    families = lineage.members.groupby("provision_id")["family_id"].agg(lambda ids: "; ".join(sorted(ids)))
    in_graph = set(lineage.edges["provision_id"]) | set(lineage.edges["parent_provision_id"]) | set(families.index)
    for row in clauses.drop_duplicates("provision_id").itertuples(index=False):
        if row.provision_id not in in_graph:
            continue
        attributes = {
            "treaty_id": str(row.treaty_id), "agreement_name": str(row.agreement_name),
            "article_no": "" if pd.isna(row.article_no) else str(row.article_no),
            "labels": "; ".join(row.labels), "families": families.get(row.provision_id, ""),
        }
        year = getattr(row, lineage.settings.year_column)
        if not pd.isna(year):  # GraphML has no null: an unknown year is an absent attribute
            attributes["year"] = int(year)
        graph.add_node(str(row.provision_id), **attributes)
    grouped = lineage.edges.groupby(["parent_provision_id", "provision_id"], sort=True)
    for (parent, child), rows in grouped:
        similarity = float(rows["similarity"].iloc[0])
        graph.add_edge(parent, child, norms="; ".join(sorted(rows["norm"])), similarity=similarity,
                       near_copy=similarity >= lineage.settings.family_threshold)
    return graph


def write_graphml(graph: nx.DiGraph, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(graph, path)
    return path

"""Annotation conflicts: near-identical provisions coded differently.

Trade agreements are drafted from templates: the US, EU, EFTA and Japanese models repeat
articles almost word for word across dozens of agreements. Two annotators (or one, months apart)
can code the same template article differently, and the model then learns both answers. On
agreements it has never seen, which mostly follow those templates too, such noise costs more
than it does in cross-validation. This finds every pair of annotated provisions whose texts are
near-identical (cosine similarity of their log-scaled word 1-2-gram counts) but whose labels or
bindingness differ, so that each pair can be read against the taxonomy and made consistent.

A pair's headings are reported too: the taxonomy codes some identical texts differently by
chapter ("Transparency" is `ecommerce_general` only in an electronic-commerce chapter), so a
conflict is a question for the reader, not an error by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors

from pipeline.classify.annotations import AnnotatedProvision
from pipeline.nlp.screen import normalise_whitespace

# Template articles differ in party names, cross-reference numbers and a word or two. At 0.9 the
# ToTA annotations gave 28 pairs, all of them copies of one template: 4 coded inconsistently, the
# rest differing where it matters ("may" / "shall", a privacy footnote, GATT XX / GATS XIV) or
# coded under the paragraph-level `mixed` convention the model card states; at
# 0.85, 71, most of them articles rewritten in part.
DEFAULT_SIMILARITY = 0.9


@dataclass(frozen=True, slots=True)
class AnnotationConflict:
    """Two near-identical annotated provisions with different labels or bindingness."""

    first: AnnotatedProvision
    second: AnnotatedProvision
    similarity: float

    @property
    def labels_differ(self) -> bool:
        return set(self.first.annotation.labels) != set(self.second.annotation.labels)

    @property
    def bindingness_differs(self) -> bool:
        return self.first.annotation.bindingness != self.second.annotation.bindingness

    def as_record(self) -> dict:
        def side(example: AnnotatedProvision) -> dict:
            a = example.annotation
            return {"source_id": a.source_id, "source_provision_id": a.source_provision_id,
                    "agreement_id": example.agreement_id, "heading": example.heading, "labels": list(a.labels),
                    "bindingness": a.bindingness, "note": a.note, "text": example.text}

        return {"similarity": round(self.similarity, 4), "labels_differ": self.labels_differ,
                "bindingness_differs": self.bindingness_differs,
                "first": side(self.first), "second": side(self.second)}


def annotation_conflicts(examples: Sequence[AnnotatedProvision], *,
                         similarity: float = DEFAULT_SIMILARITY) -> list[AnnotationConflict]:
    """Every pair of annotated provisions at least `similarity` alike (cosine, 0-1] whose labels
    or (for labelled provisions) bindingness differ, most similar first."""
    if not 0 < similarity <= 1:
        raise ValueError(f"similarity must be in (0, 1], got {similarity}")
    if len(examples) < 2:
        return []
    texts = [normalise_whitespace(e.text.lower()) for e in examples]
    # Log-scaled counts, not TF-IDF: inverse document frequencies would make a pair's similarity
    # depend on which other provisions are compared (in a small set, one changed party name would
    # dominate).
    vectors = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, use_idf=False).fit_transform(texts)
    # Radius search over cosine distance: brute force, chunked by scikit-learn, so the 10,000 x
    # 10,000 distance matrix never sits in memory at once.
    neighbours = NearestNeighbors(radius=1 - similarity + 1e-9, metric="cosine", algorithm="brute").fit(vectors)
    distances, indices = neighbours.radius_neighbors(vectors)
    conflicts = []
    for i, (row_distances, row_indices) in enumerate(zip(distances, indices)):
        for distance, j in zip(row_distances, row_indices):
            if j <= i:
                continue
            conflict = AnnotationConflict(examples[i], examples[j], 1 - float(distance))
            labelled = bool(examples[i].annotation.labels) or bool(examples[j].annotation.labels)
            if conflict.labels_differ or (labelled and conflict.bindingness_differs):
                conflicts.append(conflict)
    return sorted(conflicts, key=lambda c: (-c.similarity, c.first.agreement_id,
                                            c.first.annotation.source_provision_id))

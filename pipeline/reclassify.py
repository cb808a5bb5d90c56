"""A new model over stored agreements: classify the provisions the database holds, without
reading or parsing the source files again.

The stored agreement, its provisions and footnotes are exactly what parsing produced, so the
rows built from them with the new model's predictions are those a full re-read would give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from pipeline.model import Agreement, Document, Footnote, Provision
from pipeline.store.rows import StoreRows


@dataclass(frozen=True, slots=True)
class StoredAgreement:
    source_path: str | None
    document: Document


def read_documents(connection: duckdb.DuckDBPyConnection, agreement_ids: Sequence[str]) -> list[StoredAgreement]:
    """The stored agreements, provisions in order, and footnotes of `agreement_ids`."""
    ids = list(agreement_ids)
    agreements = connection.execute(
        """
        SELECT agreement_id, source, source_id, name, type, composition, status, date_signed, date_in_force,
               parties, region, language, content_hash, treaty, source_path
        FROM all_agreements WHERE list_contains(?, agreement_id) ORDER BY agreement_id
        """, [ids]).fetchall()
    provisions: dict[str, list[Provision]] = {}
    for row in connection.execute(
            """
            SELECT provision_id, agreement_id, ordinal, text, chapter, article_no, article_title, char_start,
                   char_end, source_provision_id, page_start, page_end
            FROM all_provisions WHERE list_contains(?, agreement_id) ORDER BY agreement_id, ordinal
            """, [ids]).fetchall():
        provisions.setdefault(row[1], []).append(Provision(*row))
    footnotes: dict[str, list[Footnote]] = {}
    for row in connection.execute(
            """
            SELECT provision_id, agreement_id, marker, text, page, placement, char_offset
            FROM all_footnotes WHERE list_contains(?, agreement_id) ORDER BY rowid
            """, [ids]).fetchall():
        footnotes.setdefault(row[1], []).append(Footnote(*row))
    documents = []
    for (agreement_id, source, source_id, name, kind, composition, status, signed, in_force, parties, region,
         language, content_hash, treaty, source_path) in agreements:
        agreement = Agreement(agreement_id, source, source_id, name, kind, composition, status, signed, in_force,
                              tuple(parties or ()), region, language, content_hash, treaty)
        documents.append(StoredAgreement(source_path, Document(
            agreement, tuple(provisions.get(agreement_id, ())), tuple(footnotes.get(agreement_id, ())))))
    return documents


def classify_stored(stored: Sequence[StoredAgreement], model_spec: str) -> StoreRows:
    """The rows of stored agreements with the model's predictions (runs in a worker or here)."""
    from pipeline.classify.documents import analyse_documents
    from pipeline.classify.registry import load_classifier
    from pipeline.store.rows import to_rows

    analysed = analyse_documents([s.document for s in stored], load_classifier(model_spec))
    return to_rows(analysed, [s.source_path for s in stored])


def classify_stored_parallel(stored: Sequence[StoredAgreement], model_spec: str, workers: int,
                             chunk: int = 10) -> StoreRows:
    """classify_stored across the refresh's worker processes (here when workers <= 1)."""
    chunks = [list(stored[i:i + chunk]) for i in range(0, len(stored), chunk)]
    from pipeline.parallel import _pool, has_pool

    if workers <= 1 or (len(chunks) <= 1 and not has_pool(workers)):
        return StoreRows.concat([classify_stored(c, model_spec) for c in chunks])

    return StoreRows.concat(list(_pool(workers, model_spec).map(classify_stored, chunks, [model_spec] * len(chunks))))

"""Writes: agreements replace their previous rows inside a transaction.

Delete-then-insert inside one transaction makes a refresh idempotent (the same input
yields the same rows, never duplicates) and a failure part-way leaves the previous version
of an agreement intact, never half of the new one. A batch of agreements shares one
transaction (one commit instead of fifty: a commit costs more than the rows); if the batch
fails, each of its agreements is retried in a transaction of its own, so one bad agreement
costs only itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pyarrow as pa

from pipeline.analyse import AnalysedDocument
from pipeline.model import Run


@dataclass
class WriteOutcome:
    agreements: int = 0
    provisions: int = 0
    errors: list[str] = field(default_factory=list)


def stored_versions(connection: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str | None]]:
    """agreement_id -> (content_hash, model_version of its predictions) for what is stored."""
    rows = connection.execute(
        """
        SELECT a.agreement_id, a.content_hash, min(pr.model_version)
        FROM agreements a LEFT JOIN predictions pr ON pr.agreement_id = a.agreement_id
        GROUP BY ALL
        """
    ).fetchall()
    return {agreement_id: (content_hash, model) for agreement_id, content_hash, model in rows}


def write_documents(
    connection: duckdb.DuckDBPyConnection, analysed: Sequence[AnalysedDocument], run_id: str
) -> WriteOutcome:
    """Replace each agreement with its provisions and predictions."""
    if not analysed:
        return WriteOutcome()
    try:
        provisions = _replace(connection, analysed, run_id)
        return WriteOutcome(agreements=len(analysed), provisions=provisions)
    except duckdb.Error:
        pass  # find the agreement(s) at fault: one transaction each
    outcome = WriteOutcome()
    for one in analysed:
        try:
            outcome.provisions += _replace(connection, [one], run_id)
            outcome.agreements += 1
        except duckdb.Error as exc:
            agreement = one.document.agreement
            outcome.errors.append(f"{agreement.id} ({agreement.name}): not written, previous rows kept: {exc}")
    return outcome


def _replace(connection: duckdb.DuckDBPyConnection, analysed: Sequence[AnalysedDocument], run_id: str) -> int:
    ids = [a.document.agreement.id for a in analysed]
    agreements, provisions, predictions = _tables(analysed, run_id)
    connection.execute("BEGIN TRANSACTION")
    try:
        for table in ("predictions", "provisions", "agreements"):
            connection.execute(f"DELETE FROM {table} WHERE list_contains(?, agreement_id)", [ids])
        for name, data in (("agreements", agreements), ("provisions", provisions), ("predictions", predictions)):
            if data.num_rows:
                connection.register("_incoming", data)
                try:
                    columns = ", ".join(data.column_names)
                    connection.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM _incoming")
                finally:
                    connection.unregister("_incoming")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return provisions.num_rows


def _tables(analysed: Sequence[AnalysedDocument], run_id: str) -> tuple[pa.Table, pa.Table, pa.Table]:
    agreement_rows = [a.document.agreement for a in analysed]
    provision_rows = [p for a in analysed for p in a.document.provisions]
    prediction_rows = [(a.document.agreement.id, pr) for a in analysed for pr in a.predictions]
    agreements = pa.table({
        "agreement_id": [a.id for a in agreement_rows],
        "source": [a.source for a in agreement_rows],
        "source_id": [a.source_id for a in agreement_rows],
        "name": [a.name for a in agreement_rows],
        "type": [a.type for a in agreement_rows],
        "composition": [a.composition for a in agreement_rows],
        "status": [a.status for a in agreement_rows],
        "date_signed": pa.array([a.date_signed for a in agreement_rows], pa.date32()),
        "date_in_force": pa.array([a.date_in_force for a in agreement_rows], pa.date32()),
        "parties": pa.array([list(a.parties) for a in agreement_rows], pa.list_(pa.string())),
        "region": [a.region for a in agreement_rows],
        "language": [a.language for a in agreement_rows],
        "content_hash": [a.content_hash for a in agreement_rows],
        "run_id": [run_id] * len(agreement_rows),
    })
    provisions = pa.table({
        "provision_id": [p.id for p in provision_rows],
        "agreement_id": [p.agreement_id for p in provision_rows],
        "ordinal": pa.array([p.ordinal for p in provision_rows], pa.int32()),
        "chapter": pa.array([p.chapter for p in provision_rows], pa.string()),
        "article_no": pa.array([p.article_no for p in provision_rows], pa.string()),
        "article_title": pa.array([p.article_title for p in provision_rows], pa.string()),
        "text": [p.text for p in provision_rows],
        "char_start": pa.array([p.char_start for p in provision_rows], pa.int32()),
        "char_end": pa.array([p.char_end for p in provision_rows], pa.int32()),
        "source_provision_id": pa.array([p.source_provision_id for p in provision_rows], pa.string()),
        "page_start": pa.array([p.page_start for p in provision_rows], pa.int32()),
        "page_end": pa.array([p.page_end for p in provision_rows], pa.int32()),
    })
    predictions = pa.table({
        "provision_id": [pr.provision_id for _, pr in prediction_rows],
        "agreement_id": [agreement_id for agreement_id, _ in prediction_rows],
        "labels": pa.array([list(pr.labels) for _, pr in prediction_rows], pa.list_(pa.string())),
        "scores": [json.dumps(pr.scores, sort_keys=True) for _, pr in prediction_rows],
        "bindingness": pa.array([pr.bindingness for _, pr in prediction_rows], pa.string()),
        "instruments": pa.array([list(pr.instruments) for _, pr in prediction_rows], pa.list_(pa.string())),
        "model_version": [pr.model_version for _, pr in prediction_rows],
    })
    return agreements, provisions, predictions


def start_run(connection: duckdb.DuckDBPyConnection, run: Run) -> None:
    connection.execute(
        "INSERT INTO runs (run_id, started_at, source, model_version, status) VALUES (?, ?, ?, ?, ?)",
        [run.id, run.started_at, run.source, run.model_version, run.status],
    )


def finish_run(connection: duckdb.DuckDBPyConnection, run: Run) -> None:
    connection.execute(
        """
        UPDATE runs SET finished_at = ?, agreements_seen = ?, agreements_written = ?, agreements_unchanged = ?,
               provisions_written = ?, errors = ?, status = ?
        WHERE run_id = ?
        """,
        [run.finished_at or datetime.now(), run.agreements_seen, run.agreements_written, run.agreements_unchanged,
         run.provisions_written, list(run.errors), run.status, run.id],
    )

"""Inter-annotator agreement: blind re-labels of a sample against the main annotations, and
blind re-labels of hand-written articles (corpora/written) against their coding."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pipeline.classify.annotations import ANNOTATIONS_DIR, read_annotation_files

BLIND_DIR = ANNOTATIONS_DIR / "blind"
WRITTEN_DIR = ANNOTATIONS_DIR.parent / "written"

Coding = tuple[frozenset[str], str | None]  # labels, bindingness


def agreement_report(sample: str, pairs: Sequence[tuple[Coding, Coding]]) -> dict:
    """Label micro-F1, exact-match rate and bindingness agreement (where both coders gave a label)
    of (first coding, blind coding) pairs."""
    tp = fp = fn = exact = same_bindingness = both_labelled = 0
    for (a, a_bindingness), (b, b_bindingness) in pairs:
        tp, fp, fn, exact = tp + len(a & b), fp + len(b - a), fn + len(a - b), exact + (a == b)
        if a and b:
            both_labelled += 1
            same_bindingness += a_bindingness == b_bindingness
    return {
        "sample": sample, "provisions": len(pairs),
        "label_micro_f1": round(2 * tp / (2 * tp + fp + fn), 3) if tp + fp + fn else 1.0,
        "exact_match": round(exact / len(pairs), 3) if pairs else 0.0,
        "bindingness_agreement": round(same_bindingness / both_labelled, 3) if both_labelled else 0.0,
        "bindingness_compared": both_labelled,
    }


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def blind_agreement(directory: Path = ANNOTATIONS_DIR, written: Path = WRITTEN_DIR) -> list[dict]:
    """Per blind sample (ToTA annotations, then written articles): agreement_report."""
    main = {(a.source_id, a.source_provision_id): a for a in read_annotation_files(directory)}
    reports = []
    for path in sorted((directory / "blind").glob("*.jsonl")):
        pairs = []
        for record in _lines(path):
            first = main[(str(record["source_id"]), str(record["source_provision_id"]))]
            pairs.append(((frozenset(first.labels), first.bindingness),
                          (frozenset(record["labels"]), record["bindingness"])))
        reports.append(agreement_report(path.name, pairs))
    for path in sorted(written.glob("*.blind.jsonl")):
        coded = {str(r["id"]): r for r in _lines(path.with_name(path.name.replace(".blind.jsonl", ".jsonl")))}
        pairs = [((frozenset(coded[str(r["id"])]["labels"]), coded[str(r["id"])]["bindingness"]),
                  (frozenset(r["labels"]), r["bindingness"])) for r in _lines(path)]
        reports.append(agreement_report(f"written/{path.name}", pairs))
    return reports

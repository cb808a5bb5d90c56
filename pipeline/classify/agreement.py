"""Inter-annotator agreement: blind re-labels of a sample against the main annotations."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.classify.annotations import ANNOTATIONS_DIR, read_annotation_files

BLIND_DIR = ANNOTATIONS_DIR / "blind"


def blind_agreement(directory: Path = ANNOTATIONS_DIR) -> list[dict]:
    """Per blind sample: label micro-F1, exact-match rate and bindingness agreement."""
    main = {(a.source_id, a.source_provision_id): a for a in read_annotation_files(directory)}
    reports = []
    for path in sorted((directory / "blind").glob("*.jsonl")):
        tp = fp = fn = exact = same_bindingness = both_labelled = 0
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for record in lines:
            first = main[(str(record["source_id"]), str(record["source_provision_id"]))]
            a, b = set(first.labels), set(record["labels"])
            tp, fp, fn, exact = tp + len(a & b), fp + len(b - a), fn + len(a - b), exact + (a == b)
            if a and b:
                both_labelled += 1
                same_bindingness += first.bindingness == record["bindingness"]
        reports.append({
            "sample": path.name, "provisions": len(lines),
            "label_micro_f1": round(2 * tp / (2 * tp + fp + fn), 3) if tp + fp + fn else 1.0,
            "exact_match": round(exact / len(lines), 3) if lines else 0.0,
            "bindingness_agreement": round(same_bindingness / both_labelled, 3) if both_labelled else 0.0,
            "bindingness_compared": both_labelled,
        })
    return reports

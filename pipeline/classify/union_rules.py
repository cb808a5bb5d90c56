"""How often the union rules are right on the annotations.

A union rule (canonical wording, `pipeline/nlp/canonical.py`; privacy carve-outs,
`pipeline/nlp/safeguards.py`) labels a provision whatever the model scores, so its wording has to
mean the label nearly every time it occurs. For each label, this counts the annotated provisions
the rules fire on and how many of them carry the label — the figures behind each phrase added to
`pipeline/nlp/data/canonical_*.json` and `safeguards_*.json`. Training applies the same check
(`train.choose_rule`: a label keeps its union rule only at 80% precision on its training provisions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.classify.annotations import AnnotatedProvision
from pipeline.classify.evaluate import signing_year
from pipeline.classify.trained import FEATURES, provision_frame
from pipeline.model import Document
from pipeline.nlp.canonical import canonical_labels
from pipeline.taxonomy import LABEL_IDS


@dataclass(frozen=True, slots=True)
class UnionRuleRecord:
    label: str
    fired: int  # annotated provisions the label's union rules fire on
    correct: int  # ... of which carry the label

    @property
    def wrong(self) -> int:
        return self.fired - self.correct


def union_rule_records(examples: Sequence[AnnotatedProvision], documents: dict[str, Document], *,
                       until: int | None = None, features: int = FEATURES) -> list[UnionRuleRecord]:
    """Per label (taxonomy order, labels whose rules never fire left out), on the annotated provisions
    of agreements signed up to `until` (all when None), read as the model of `features` reads them."""
    chosen = [e for e in examples
              if until is None or (signing_year(documents[e.annotation.source_id]) or until + 1) <= until]
    frame = provision_frame([e.text for e in chosen], [e.lang for e in chosen], features=features)
    found = canonical_labels(frame["text"].tolist(), frame["lang"].tolist(), safeguards=features >= 2,
                             general_exceptions=features >= 7, joined_words=features >= 10)
    records = []
    for label in LABEL_IDS:
        hits = [label in e.annotation.labels for e, labels in zip(chosen, found) if label in labels]
        if hits:
            records.append(UnionRuleRecord(label, len(hits), sum(hits)))
    return records

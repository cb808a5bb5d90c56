"""A provision's prediction does not depend on what it is classified with: one batch, one
agreement at a time or one provision at a time give the same labels, scores, bindingness and
paragraphs (the classifier shares work across a batch: cue counts, spaCy, the TF-IDF transforms)."""

from __future__ import annotations

from pathlib import Path

from pipeline.classify.base import ClassifierInput, provision_heading
from pipeline.classify.registry import load_classifier
from pipeline.nlp.screen import could_be_cyber
from pipeline.sources.tota import read_tota_file

# An e-commerce chapter (151), an EU agreement (395), a Spanish text (433).
AGREEMENTS = ("151", "395", "433")


def test_batch_agreement_and_single_predictions_are_the_same(tota_dir: Path) -> None:
    classifier = load_classifier("default")
    by_agreement = []
    for treaty_id in AGREEMENTS:
        document = read_tota_file(tota_dir / f"pta_{treaty_id}.xml")
        by_agreement.append([ClassifierInput(p.id, p.text, document.agreement.language,
                                             provision_heading(p.article_title, p.chapter))
                             for p in document.provisions])
    items = [item for agreement in by_agreement for item in agreement]
    batch = classifier.predict(items)
    assert sum(bool(p.labels) for p in batch) > 30 and any(p.paragraphs for p in batch)
    assert [p for agreement in by_agreement for p in classifier.predict(agreement)] == batch
    assert classifier.predict(items) == batch  # nothing carried over from one call to the next
    # One at a time: the provisions past the screen (the others are never looked at).
    for item, expected in zip(items, batch):
        if could_be_cyber(f"{item.text} {item.heading}"):
            assert classifier.predict([item]) == [expected], item.id

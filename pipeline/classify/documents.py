"""Document -> predictions for each provision: the pure core of a refresh."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.classify.base import ClassifierInput, NormClassifier, provision_heading
from pipeline.model import Document, Prediction


@dataclass(frozen=True, slots=True)
class AnalysedDocument:
    document: Document
    predictions: tuple[Prediction, ...]


@dataclass(frozen=True, slots=True)
class UnchangedDocument:
    """Same bytes and same model as what the database holds: nothing to write."""

    agreement_id: str
    name: str


def analyse_document(document: Document, classifier: NormClassifier) -> AnalysedDocument:
    return analyse_documents([document], classifier)[0]


def analyse_documents(documents: Sequence[Document], classifier: NormClassifier) -> list[AnalysedDocument]:
    """Classify the provisions of several documents in one call: the classifier's fixed cost
    per call (feature pipeline set-up) is paid once, not once per agreement."""
    items = [
        ClassifierInput(p.id, p.text, d.agreement.language, provision_heading(p.article_title, p.chapter))
        for d in documents for p in d.provisions
    ]
    predictions = classifier.predict(items)
    analysed, start = [], 0
    for document in documents:
        end = start + len(document.provisions)
        analysed.append(AnalysedDocument(document, tuple(predictions[start:end])))
        start = end
    return analysed

"""Document -> predictions for each provision: the pure core of a refresh."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.classify.base import ClassifierInput, NormClassifier
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
    language = document.agreement.language
    items = [ClassifierInput(p.id, p.text, language) for p in document.provisions]
    return AnalysedDocument(document, tuple(classifier.predict(items)))

"""What every norm classifier offers: one Prediction per input text, in order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from pipeline.model import Prediction


@dataclass(frozen=True, slots=True)
class ClassifierInput:
    id: str
    text: str
    lang: str | None = "en"


class NormClassifier(Protocol):
    version: str

    def predict(self, items: Sequence[ClassifierInput]) -> list[Prediction]:
        """Labels, scores, bindingness and instruments for each item, in input order."""
        ...

"""What every norm classifier offers: one Prediction per input text, in order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from pipeline.model import Prediction

LEXICON_VERSION = "lexicon-1.0"


@dataclass(frozen=True, slots=True)
class ClassifierInput:
    id: str
    text: str
    lang: str | None = "en"
    # Article title and chapter title when known ("Location of Computing Facilities |
    # Electronic Commerce"): strong evidence, but optional; models must work without it.
    heading: str = ""


def provision_heading(article_title: str | None, chapter: str | None) -> str:
    return " | ".join(part for part in (article_title, chapter) if part)


class NormClassifier(Protocol):
    version: str

    def predict(self, items: Sequence[ClassifierInput]) -> list[Prediction]:
        """Labels, scores, bindingness and instruments for each item, in input order."""
        ...

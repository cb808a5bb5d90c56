"""Labels an article's heading rules out, whatever its words score (taxonomy.md).

- A definitions article only defines terms ("computing facilities means ..."): the taxonomy
  gives it no label, yet it names every topic of its chapter. None of the 507 annotated
  articles titled "Definitions" / "Definiciones" (and variants) carries a label.
- Electronic notices and tendering in government procurement are outside the taxonomy: of 477
  annotated provisions of procurement chapters, one carries a label, a privacy safeguard
  ("nothing requires disclosure ... contrary to its law protecting privacy"), which stays allowed.

The heading is "Article title | Chapter title" (classify.base.provision_heading); an input with
no heading is never ruled out, so the rules cost nothing where the structure is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from pipeline.taxonomy import LABEL_IDS

_DEFINITIONS = re.compile(r"\b(?:definitions?|definiciones|definici[oó]n|d[ée]finitions?)\b", re.IGNORECASE)
# "Scope and Definitions", "Definiciones y Términos": the article does more than define.
_COMBINED = re.compile(r"\b(?:and|y|e|et)\b|[,;&]", re.IGNORECASE)
_PROCUREMENT = re.compile(r"procurement|contrataci[oó]n p[uú]blica|compras (?:del sector )?p[uú]blic|"
                          r"compras gubernamentales|march[ée]s publics", re.IGNORECASE)
PROCUREMENT_ALLOWED = frozenset({"privacy_safeguard"})


def is_definitions_article(heading: str) -> bool:
    """Whether the article's own title says it only defines terms."""
    title = heading.split("|")[0]
    return bool(_DEFINITIONS.search(title)) and not _COMBINED.search(title)


def allowed_labels(heading: str) -> frozenset[str]:
    """The labels an article with this heading may carry."""
    if not heading.strip():
        return frozenset(LABEL_IDS)
    if is_definitions_article(heading):
        return frozenset()
    if _PROCUREMENT.search(heading):
        return PROCUREMENT_ALLOWED
    return frozenset(LABEL_IDS)


def allowed_matrix(headings: Sequence[str]) -> np.ndarray:
    """n x labels (taxonomy order): True where the heading leaves the label possible."""
    matrix = np.ones((len(headings), len(LABEL_IDS)), dtype=bool)
    for i, heading in enumerate(headings):
        allowed = allowed_labels(heading)
        if len(allowed) < len(LABEL_IDS):
            matrix[i] = [label in allowed for label in LABEL_IDS]
    return matrix

"""Labels an article's heading rules out, whatever its words score (taxonomy.md).

- A definitions article only defines terms ("computing facilities means ..."): the taxonomy
  gives it no label, yet it names every topic of its chapter. None of the 507 annotated
  articles titled "Definitions" / "Definiciones" (and variants) carries a label.
- Electronic notices and tendering in government procurement are outside the taxonomy: of 477
  annotated provisions of procurement chapters, one carries a label, a privacy safeguard
  ("nothing requires disclosure ... contrary to its law protecting privacy"), which stays allowed.

- An article whose own title names one label's topic ("Cybersecurity", "Online Consumer
  Protection") is about that topic. "Share information on threats, including threats to personal
  information, online consumers and electronic payments" in it mentions the other topics in
  passing, and the taxonomy gives a passing mention no label: there another label's lexicon cue
  phrase alone does not decide it (`cue_rule_matrix`; the model's score and the canonical wording
  still can). Cooperation and dialogue articles that list topics are not titled by one of them,
  so the taxonomy's listing rule still labels each listed topic.
- In such an article another label's model score decides it only when the model is nearly
  certain (`passing_mention_matrix`, PASSING_MENTION_MIN_SCORE): "... taking into account the
  protection of personal data" in a "Financial Technology Cooperation" article scores in the
  middle of the range, while a second topic an article really commits to ("Digital Products"
  with its paragraph on customs duties) scores near 1. Canonical wording still decides.

The heading is "Article title | Chapter title" (classify.base.provision_heading); an input with
no heading is never ruled out, so the rules cost nothing where the structure is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache

import numpy as np

from pipeline.nlp.lexicon import _load
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


@cache
def _title_topics() -> dict[str, re.Pattern[str]]:
    return {label: re.compile(pattern, re.IGNORECASE)
            for label, pattern in _load("title_topics.json").items() if not label.startswith("_")}


def title_topic(heading: str) -> str | None:
    """The one label whose topic the article's own title names (`data/title_topics.json`), if exactly one."""
    return _topic_of_title(heading.split("|")[0])


@lru_cache(maxsize=65_536)  # a corpus repeats its titles; each costs a search per label's pattern
def _topic_of_title(title: str) -> str | None:
    named = [label for label, pattern in _title_topics().items() if pattern.search(title)]
    return named[0] if len(named) == 1 else None


def cue_rule_matrix(headings: Sequence[str]) -> np.ndarray:
    """n x labels (taxonomy order): True where a label's lexicon cue phrases may decide it; in an
    article titled by one topic, only that topic's."""
    matrix = np.ones((len(headings), len(LABEL_IDS)), dtype=bool)
    for i, topic in _titled_by_one_topic(headings):
        matrix[i] = [label == topic for label in LABEL_IDS]
    return matrix


def _titled_by_one_topic(headings: Sequence[str]) -> Iterator[tuple[int, str]]:
    """(row, label) for each heading whose article title names exactly one label's topic."""
    for i, heading in enumerate(headings):
        topic = title_topic(heading) if heading.strip() else None
        if topic is not None:
            yield i, topic


# Of the annotated articles up to 2012 titled by one topic, every other label the model decided
# (model 1.7.0, in-sample) scored >= 0.97 and was right; on the development split (trained up to
# 2009, tested 2010-2012) no other label in such an article was the model's alone. Written
# post-2016 articles with a passing mention ("Cybersecurity" naming personal information)
# score 0.3-0.85.
PASSING_MENTION_MIN_SCORE = 0.9
# `ecommerce_general` has its own rule for an article that carries another label, a second
# threshold chosen in training (trained.LabelRule.threshold_with_others). Held back here too, the
# titled articles would no longer show training that rule's gain, and bare text (no title, so no
# gate) would lose it: on the development split bare-text micro-F1 fell 0.922 -> 0.913.
_OWN_RULE_BESIDE_OTHERS = frozenset({"ecommerce_general"})


def passing_mention_matrix(headings: Sequence[str], scores: np.ndarray) -> np.ndarray:
    """n x labels (taxonomy order): False where the article's title names one other label's topic
    and this label's calibrated score is below PASSING_MENTION_MIN_SCORE, so the model alone does
    not decide a topic the article only mentions in passing (`ecommerce_general` excepted)."""
    matrix = np.ones(scores.shape, dtype=bool)
    for i, topic in _titled_by_one_topic(headings):
        matrix[i] = [label == topic or label in _OWN_RULE_BESIDE_OTHERS or scores[i, k] >= PASSING_MENTION_MIN_SCORE
                     for k, label in enumerate(LABEL_IDS)]
    return matrix

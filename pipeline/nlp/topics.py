"""Which paragraphs of a labelled provision name the topic of each of its labels.

The classifier labels whole articles; bindingness is judged on the paragraphs that carry a label
(pipeline.nlp.paragraphs.aggregate_bindingness). The cue phrases that place a label on a paragraph
are the lexicon's, written to find labels, so they are narrow: in "1. The Parties recognise the
importance of measures to protect consumers from fraudulent practices when they engage in
electronic commerce. 2. Each Party shall adopt or maintain consumer protection laws ..." no
consumer cue phrase stands in paragraph 1, and the article came out `hard` where the annotators
code it `mixed`. The topic words here (`data/topic_words.json`) are looser and only ever attribute
a label the provision already has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from pipeline.nlp.lexicon import _load


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {label: re.compile(pattern, re.IGNORECASE)
            for label, pattern in _load("topic_words.json").items() if not label.startswith("_")}


def topics_named(text: str, labels: Iterable[str]) -> set[str]:
    """The labels among `labels` whose topic words occur in `text`."""
    patterns = _patterns()
    return {label for label in labels if label in patterns and patterns[label].search(text)}

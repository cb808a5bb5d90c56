"""spaCy pipeline factory and components (cue matchers, bindingness, instruments)."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

from pipeline.nlp import components as _components  # noqa: F401  (registers the factories)
from pipeline.nlp.lexicon import lexicon_language


@cache
def build_nlp(lang: str | None = "en") -> Language:
    """A blank spaCy pipeline for the language with the cue, instrument and bindingness components."""
    code = lexicon_language(lang)
    nlp = spacy.blank(code)
    nlp.add_pipe("cyber_cues", config={"lang": code})
    nlp.add_pipe("instruments")
    nlp.add_pipe("bindingness", config={"lang": code})
    return nlp

"""spaCy pipeline factory and components (cue matchers, bindingness, instruments).

spaCy is imported when a pipeline is built, not when this package is: its data modules (dates,
lexicon) serve processes that never classify, such as the refresh's main process deriving
treaties, and importing spaCy costs seconds.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language


@cache
def build_nlp(lang: str | None = "en") -> Language:
    """A blank spaCy pipeline for the language with the cue, instrument and bindingness components."""
    import spacy

    from pipeline.nlp import components as _components  # noqa: F401  (registers the factories)
    from pipeline.nlp.lexicon import lexicon_language

    code = lexicon_language(lang)
    nlp = spacy.blank(code)
    nlp.add_pipe("cyber_cues", config={"lang": code})
    nlp.add_pipe("instruments")
    nlp.add_pipe("bindingness", config={"lang": code})
    return nlp

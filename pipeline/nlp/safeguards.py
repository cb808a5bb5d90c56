"""Privacy safeguards: sentences that keep a Party's privacy or personal-data law intact.

The taxonomy gives `privacy_safeguard` to such a clause in any chapter: an environment
chapter's "This Chapter is not to be construed to require a Party to release information ...
concerning access to information and privacy", an IP chapter's "without prejudice to each
Party's law governing ... the processing of personal data". The clause is one sentence in a
long article about something else, so a model that reads the whole article misses it; a
sentence that both names privacy and carves something out of an obligation is the
drafting pattern itself. The phrases live in `data/safeguards_<lang>.json`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import spacy

from pipeline.nlp.lexicon import _load, lexicon_language
from pipeline.nlp.modality import PhraseRules
from pipeline.nlp.screen import PhraseScreen, normalise_whitespace

# A sentence ends at a full stop or semicolon before a capital, a number, an item letter or a
# footnote marker ("... this Article. [40] It is understood ..."): ToTA gathers an agreement's
# footnotes into one article, and unsplit, one footnote's "without prejudice to" meets another's
# "personal data".
_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-Z0-9(\[“\"¿ÁÉÍÓÚÑ])")


@cache
def _rules(lang: str) -> tuple[spacy.language.Language, PhraseRules, PhraseScreen]:
    nlp = spacy.blank(lang)
    data = _load(f"safeguards_{lang}.json")
    rules = PhraseRules(nlp, {"privacy": data["privacy_terms"], "carve_out": data["carve_out_markers"]})
    return nlp, rules, PhraseScreen(data["privacy_terms"])


def privacy_safeguards(texts: Sequence[str], langs: Sequence[str | None]) -> list[bool]:
    """Whether each text has a sentence naming privacy or personal data inside a carve-out."""
    found = [False] * len(texts)
    for i, (text, lang) in enumerate(zip(texts, langs)):
        nlp, rules, screen = _rules(lexicon_language(lang))
        if not screen.hits(normalise_whitespace(text.lower())):
            continue  # most texts never name privacy: no spaCy
        for sentence in _SENTENCE_END.split(text):
            if not screen.hits(normalise_whitespace(sentence.lower())):
                continue  # nor do most of their sentences
            kinds = {kind for kind, _, _ in rules(nlp.make_doc(sentence))}
            if kinds == {"privacy", "carve_out"}:
                found[i] = True
                break
    return found

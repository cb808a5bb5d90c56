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
    rules = PhraseRules(nlp, {"privacy": data["privacy_terms"], "carve_out": data["carve_out_markers"],
                              "self_contained": data["self_contained"]})
    return nlp, rules, PhraseScreen(data["privacy_terms"] + data["self_contained"])


# GATS Article XIV made to apply to a chapter: the taxonomy gives such a general-exceptions
# article `privacy_safeguard`, because paragraph (c)(ii) of Article XIV preserves privacy law,
# though the article never says "privacy". Not "Article XIV bis" (security exceptions; ToTA's
# "XIV bis" is joined into one word here), and not when only other paragraphs of it are
# named: "the exception in subparagraph (d) of Article XIV" (taxes) preserves no privacy law.
_ARTICLE_XIV = re.compile(r"\b(?:articles?|art[ií]culos?)\s+XIV\b(?!\s*(?:bis\b|\.\d|\(\s*[abde]\s*\)))", re.IGNORECASE)
_GATS = re.compile(r"\bGATS\b|General Agreement on Trade in Services|\bAGCS\b|"
                   r"Acuerdo General sobre el Comercio de Servicios", re.IGNORECASE)
_MADE_TO_APPLY = re.compile(r"incorporat|mutatis mutandis|forms? (?:an integral )?part|\bappl(?:y|ies|ied)\b|"
                            r"se aplicar|aplicar[aá]n?\b|forman? parte", re.IGNORECASE)
_OTHER_PARAGRAPHS = re.compile(r"(?:sub)?paragraphs?\s*\(?[abde]\)|letters?\s*\(?[abde]\)|"
                               r"literal(?:es)?\s*\(?[abde]\)|incisos?\s*\(?[abde]\)", re.IGNORECASE)


def applies_general_exceptions(sentence: str) -> bool:
    """Whether a sentence makes GATS Article XIV (general exceptions, privacy among them) apply."""
    sentence = re.sub(r"\bXIV\s+bis\b", "XIVbis", sentence, flags=re.IGNORECASE)
    return bool(_ARTICLE_XIV.search(sentence) and _GATS.search(sentence) and _MADE_TO_APPLY.search(sentence)
                and not _OTHER_PARAGRAPHS.search(sentence))


@cache
def _self_contained_without_spaces(lang: str) -> tuple[tuple[str, str], ...]:
    """(its longest word, the wording without whitespace) for each self-contained wording: a text
    without that word cannot hold the wording, however its spaces were lost, and is not squeezed."""
    data = _load(f"safeguards_{lang}.json")
    return tuple((max(phrase.split(), key=len), squeezed(phrase))
                 for phrase in data["self_contained"] + data["self_contained_any_spacing"])


def squeezed(text: str) -> str:
    """The lower-cased text without whitespace."""
    return "".join(text.lower().split())


def _holds_squeezed(lowered: str, wordings: tuple[tuple[str, str], ...]) -> bool:
    without_spaces = None
    for word, wording in wordings:
        if word in lowered:
            without_spaces = without_spaces if without_spaces is not None else squeezed(lowered)
            if wording in without_spaces:
                return True
    return False


def privacy_safeguards(texts: Sequence[str], langs: Sequence[str | None], *,
                       general_exceptions: bool = False, joined_words: bool = False) -> list[bool]:
    """Whether each text has a sentence naming privacy or personal data inside a carve-out, or one
    whose wording is such a carve-out by itself ("confidentiality of messages"); with
    `general_exceptions`, also a sentence that makes GATS Article XIV apply; with `joined_words`,
    also such self-contained wording with its spaces lost.

    ToTA's texts of some agreements lost the space at each printed line break ("the privacy of
    individualsin relation to the processing anddissemination of personal data"): the tokens no
    longer match, but the wording without spaces does. Only the self-contained wordings are read
    so, each long and specific enough that no other text spells it without spaces."""
    found = [False] * len(texts)
    for i, (text, lang) in enumerate(zip(texts, langs)):
        if general_exceptions and "XIV" in text and any(
                applies_general_exceptions(sentence) for sentence in _SENTENCE_END.split(text)):
            found[i] = True
            continue
        if joined_words and _holds_squeezed(text.lower(), _self_contained_without_spaces(lexicon_language(lang))):
            found[i] = True
            continue
        nlp, rules, screen = _rules(lexicon_language(lang))
        if not screen.hits(normalise_whitespace(text.lower())):
            continue  # most texts never name privacy: no spaCy
        for sentence in _SENTENCE_END.split(text):
            if not screen.hits(normalise_whitespace(sentence.lower())):
                continue  # nor do most of their sentences
            kinds = {kind for kind, _, _ in rules(nlp.make_doc(sentence))}
            if "self_contained" in kinds or {"privacy", "carve_out"} <= kinds:
                found[i] = True
                break
    return found

"""spaCy components: per-label cue matchers, instrument matcher and bindingness.

Registered by name so that pipelines are configured, not hard-wired. Results live on
Doc extensions: `doc._.cue_labels`, `doc._.instruments`, `doc._.bindingness`.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.nlp.bindingness import provision_bindingness
from pipeline.nlp.lexicon import instrument_names, label_cues

for _name, _default in (("cue_labels", ()), ("cue_counts", None), ("instruments", ()), ("bindingness", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def _phrase_matcher(nlp: Language, phrases_by_key: dict[str, list[str]]) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for key, phrases in phrases_by_key.items():
        matcher.add(key, list(nlp.tokenizer.pipe(phrases)))
    return matcher


class CueMatcher:
    """Marks each taxonomy label whose lexicon cue phrases occur in the text."""

    def __init__(self, nlp: Language, name: str, lang: str) -> None:
        self.name = name
        self.matcher = _phrase_matcher(nlp, label_cues(lang))

    def __call__(self, doc: Doc) -> Doc:
        counts: dict[str, int] = {}
        for match_id, _start, _end in self.matcher(doc):
            label = doc.vocab.strings[match_id]
            counts[label] = counts.get(label, 0) + 1
        doc._.cue_counts = counts
        doc._.cue_labels = tuple(sorted(counts))
        return doc


class InstrumentMatcher:
    """Finds references to international instruments, normalised to canonical names.

    A canonical name whose match lies inside a longer one's match is dropped, so
    "UNCITRAL Model Law on Electronic Commerce" does not also yield "UNCITRAL".
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.matcher = _phrase_matcher(nlp, instrument_names())

    def __call__(self, doc: Doc) -> Doc:
        spans = [(start, end, doc.vocab.strings[match_id]) for match_id, start, end in self.matcher(doc)]
        kept = {
            canonical
            for start, end, canonical in spans
            if not any(s <= start and end <= e and (e - s) > (end - start) and c != canonical for s, e, c in spans)
        }
        doc._.instruments = tuple(sorted(kept))
        return doc


# Doc.text rebuilds the text from every token (a Python object each): a doc made by
# `doc_with_text` carries the text it was made from instead.
SOURCE_TEXT = "source_text"


def doc_with_text(nlp: Language, text: str) -> Doc:
    """Tokenise `text` for `nlp.pipe`, keeping the text itself for the components."""
    doc = nlp.make_doc(text)
    doc.user_data[SOURCE_TEXT] = text
    return doc


class BindingnessTagger:
    def __init__(self, name: str, lang: str) -> None:
        self.name = name
        self.lang = lang

    def __call__(self, doc: Doc) -> Doc:
        # Bindingness is recorded only for labelled provisions; skip the rest (most of them).
        if doc._.cue_labels:
            text = doc.user_data.get(SOURCE_TEXT)
            doc._.bindingness = provision_bindingness(text if text is not None else doc.text, self.lang)
        return doc


@Language.factory("cyber_cues", default_config={"lang": "en"})
def make_cue_matcher(nlp: Language, name: str, lang: str) -> CueMatcher:
    return CueMatcher(nlp, name, lang)


@Language.factory("instruments")
def make_instrument_matcher(nlp: Language, name: str) -> InstrumentMatcher:
    return InstrumentMatcher(nlp, name)


@Language.factory("bindingness", default_config={"lang": "en"})
def make_bindingness_tagger(nlp: Language, name: str, lang: str) -> BindingnessTagger:
    return BindingnessTagger(name, lang)

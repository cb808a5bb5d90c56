"""Does a provision ask anything of anyone?

The taxonomy gives no label to a provision that only defines terms ("'electronic signature'
means ...") or only states a fact: a label needs an operative commitment, binding or
hortatory. The statistical model learns this from the annotations; the cue-phrase rules do
not, so a label decided by a rule is kept only where some sentence of the provision commits
to something (pipeline.nlp.modality: binding, weak or hortatory, and not a definition).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.nlp.lexicon import lexicon_language
from pipeline.nlp.modality import commits_to_something, modality_cues
from pipeline.nlp.paragraphs import sentence_spans, split_paragraphs


# An inline footnote opens a new sentence: "... a non-Party. [For the purposes of this
# Article, a digital product does not include ...]" is a definition beside an obligation.
_FOOTNOTE_OPENS = re.compile(r"(?<=[.;:])\s+(?=\[)")


def commitment_units(text: str, by_paragraph: bool = False) -> list[str]:
    """The pieces of a provision whose commitment is judged one by one: its sentences and,
    with `by_paragraph`, the sentences of each of its paragraphs (pipeline.nlp.paragraphs) and
    its inline footnotes. Sentences alone do not end at "... its territory.\n2. For the purposes
    of this Article, 'computing facilities' means ...", so a definition paragraph made a whole
    modern article look like a definition, and its cue rule never fired."""
    if not by_paragraph:
        return [text[start:end] for start, end in sentence_spans(text)]
    units = []
    for paragraph in split_paragraphs(text):
        piece = text[paragraph.start:paragraph.end]
        for start, end in sentence_spans(piece):
            units.extend(_FOOTNOTE_OPENS.split(piece[start:end]))
    return units


def makes_commitment(texts: Sequence[str], langs: Sequence[str | None], by_paragraph: bool = False) -> list[bool]:
    """For each text: does at least one of its sentences (see commitment_units) commit to something?"""
    found = [False] * len(texts)
    by_lang: dict[str, list[tuple[int, str]]] = {}
    for i, (text, lang) in enumerate(zip(texts, langs)):
        for unit in commitment_units(text, by_paragraph):
            by_lang.setdefault(lexicon_language(lang), []).append((i, unit))
    for lang, sentences in by_lang.items():
        for (i, _), cues in zip(sentences, modality_cues([s for _, s in sentences], lang)):
            found[i] = found[i] or commits_to_something(cues)
    return found

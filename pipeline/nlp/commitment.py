"""Does a provision ask anything of anyone?

The taxonomy gives no label to a provision that only defines terms ("'electronic signature'
means ...") or only states a fact: a label needs an operative commitment, binding or
hortatory. The statistical model learns this from the annotations; the cue-phrase rules do
not, so a label decided by a rule is kept only where some sentence of the provision commits
to something (pipeline.nlp.modality: binding, weak or hortatory, and not a definition).
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.nlp.lexicon import lexicon_language
from pipeline.nlp.modality import commits_to_something, modality_cues
from pipeline.nlp.paragraphs import sentence_spans


def makes_commitment(texts: Sequence[str], langs: Sequence[str | None]) -> list[bool]:
    """For each text: does at least one of its sentences commit to something?"""
    found = [False] * len(texts)
    by_lang: dict[str, list[tuple[int, str]]] = {}
    for i, (text, lang) in enumerate(zip(texts, langs)):
        for start, end in sentence_spans(text):
            by_lang.setdefault(lexicon_language(lang), []).append((i, text[start:end]))
    for lang, sentences in by_lang.items():
        for (i, _), cues in zip(sentences, modality_cues([s for _, s in sentences], lang)):
            found[i] = found[i] or commits_to_something(cues)
    return found

"""The lexicon baseline: spaCy cue matchers per label, rule-based bindingness.

An honest, transparent baseline: a provision gets every label whose cue phrases occur
in it. It is what an analyst's keyword search does, and the trained classifier is
scored against it in the same evaluation run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from pipeline.classify.base import ClassifierInput
from pipeline.model import Prediction
from pipeline.nlp import build_nlp
from functools import cache

from pipeline.nlp.lexicon import label_cues, lexicon_language
from pipeline.nlp.screen import PhraseScreen, normalise_whitespace

LEXICON_VERSION = "lexicon-1.0"
_BATCH_SIZE = 64


class LexiconClassifier:
    version = LEXICON_VERSION

    def predict(self, items: Sequence[ClassifierInput]) -> list[Prediction]:
        results: dict[int, Prediction] = {}
        by_lang: dict[str, list[int]] = defaultdict(list)
        texts: dict[int, str] = {}
        for index, item in enumerate(items):
            lang = lexicon_language(item.lang)
            text = normalise_whitespace(item.text)
            if _cue_screen(lang).hits(text.lower()):
                by_lang[lang].append(index)
                texts[index] = text
            else:
                results[index] = Prediction(provision_id=item.id, labels=(), model_version=self.version)
        for lang, indexes in by_lang.items():
            docs = build_nlp(lang).pipe((texts[i] for i in indexes), batch_size=_BATCH_SIZE)
            for index, doc in zip(indexes, docs, strict=True):
                labels = doc._.cue_labels
                results[index] = Prediction(
                    provision_id=items[index].id,
                    labels=labels,
                    scores={label: 1.0 for label in labels},
                    bindingness=doc._.bindingness if labels else None,
                    instruments=doc._.instruments,
                    model_version=self.version,
                )
        return [results[i] for i in range(len(items))]


@cache
def _cue_screen(lang: str) -> PhraseScreen:
    return PhraseScreen([phrase for phrases in label_cues(lang).values() for phrase in phrases])

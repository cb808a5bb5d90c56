"""Union rules: labels whose canonical phrasing is well known across agreements.

"Each Party shall allow the cross-border transfer of information by electronic means" is
worded the same way in agreement after agreement; a statistical model that misses it, for
want of training examples in that drafting family, should not decide alone. A provision
gets a label here when one of the label's canonical phrases (`data/canonical_<lang>.json`)
stands in a sentence that asks something of someone (binding, weak or hortatory, by the
modality rules) and defines nothing — a definition or a recital that names the topic does
not count — and is not
a cross-reference: "Article 14.11 (Cross-Border Transfer of Information by Electronic
Means)" in a dispute-settlement article names the article, it commits to nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import spacy

from pipeline.nlp.lexicon import _load, lexicon_language
from pipeline.nlp.modality import PhraseRules, commits_to_something, modality_cues
from pipeline.nlp.safeguards import privacy_safeguards
from pipeline.nlp.screen import PhraseScreen, normalise_whitespace

# The sentence around a match, lettered items included: their modal verb stands in the
# sentence that introduces them ("Each Party shall: (a) ...; (b) ...").
_BOUNDARY = re.compile(r"(?<=\.)\s+(?=[A-Z0-9(“\"¿ÁÉÍÓÚÑ])")
# "Article 14.11 (" / "Articles 3 and 4 (" / "paragraph 2 (" just before the phrase.
_CROSS_REFERENCE = re.compile(r"(?:article|artículo|paragraph|párrafo|section|sección)s?\s+[\w.\-]+\s*\(\s*$",
                              re.IGNORECASE)


@cache
def _matcher(lang: str) -> tuple[spacy.language.Language, PhraseRules, PhraseScreen]:
    nlp = spacy.blank(lang)
    phrases_by_label = _load(f"canonical_{lang}.json")
    # Texts with no phrase's first words skip spaCy (most screened articles).
    screen = PhraseScreen([p.split("*")[0].strip() for phrases in phrases_by_label.values() for p in phrases])
    return nlp, PhraseRules(nlp, phrases_by_label), screen


def canonical_labels(texts: Sequence[str], langs: Sequence[str | None], *, safeguards: bool = True,
                     general_exceptions: bool = True, joined_words: bool = True) -> list[frozenset[str]]:
    """The labels each text commits to in canonical wording; with `safeguards`, also
    `privacy_safeguard` where a sentence carves privacy law out (pipeline.nlp.safeguards) and,
    with `general_exceptions` too, where one makes GATS Article XIV apply; with `joined_words`,
    where a safeguard's self-contained wording occurs with spaces lost."""
    results: list[frozenset[str]] = [frozenset()] * len(texts)
    by_lang: dict[str, list[int]] = {}
    for i, lang in enumerate(langs):
        by_lang.setdefault(lexicon_language(lang), []).append(i)
    for lang, indices in by_lang.items():
        nlp, matcher, screen = _matcher(lang)
        indices = [i for i in indices if screen.hits(normalise_whitespace(texts[i].lower()))]
        for i, doc in zip(indices, nlp.tokenizer.pipe([texts[i] for i in indices], batch_size=256)):
            matches = matcher(doc)
            if not matches:
                continue
            text = texts[i]
            found: set[str] = set()
            candidates = []
            for label, start, end in matches:
                if label in found:
                    continue
                begin = doc[start].idx
                if _CROSS_REFERENCE.search(text[max(0, begin - 40):begin]):
                    continue
                candidates.append((label, _sentence(text, begin, doc[end - 1].idx + len(doc[end - 1]))))
            sentences = list(dict.fromkeys(sentence for _, sentence in candidates))
            # A definition ("... means ...") names the topic; it commits to nothing, even when
            # the defined term's wording carries a modal verb ("forms that must be completed").
            committing = {s for s, cues in zip(sentences, modality_cues(sentences, lang))
                          if commits_to_something(cues)}
            found.update(label for label, sentence in candidates if sentence in committing)
            results[i] = frozenset(found)
    if safeguards:
        carve_outs = privacy_safeguards(texts, langs, general_exceptions=general_exceptions, joined_words=joined_words)
        for i, carved_out in enumerate(carve_outs):
            if carved_out:
                results[i] |= {"privacy_safeguard"}
    return results


def _sentence(text: str, begin: int, end: int) -> str:
    starts = [m.end() for m in _BOUNDARY.finditer(text, 0, begin)]
    following = _BOUNDARY.search(text, end)
    return text[starts[-1] if starts else 0: following.start() if following else len(text)]

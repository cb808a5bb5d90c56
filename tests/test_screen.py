"""Screening must never hide a provision that the spaCy cue matchers would label."""

from __future__ import annotations

import random
from pathlib import Path

from pipeline.classify.lexicon import _phrase_screen as _cue_screen
from pipeline.nlp import build_nlp
from pipeline.nlp.lexicon import LEXICON_LANGUAGES, label_cues
from pipeline.nlp.screen import could_be_cyber, is_normalised, normalise_whitespace
from pipeline.sources.tota import list_tota_files, read_tota_file
from tests.conftest import requires_tota


def test_short_words_need_word_boundaries() -> None:
    assert could_be_cyber("the ICT sector") and not could_be_cyber("strict rules of origin")
    # ("metadatabase" no longer works here: "databas" became a screening stem of its own.)
    assert could_be_cyber("personal DATA") and not could_be_cyber("metadata of tariffs")
    assert not could_be_cyber("ticket prices") and not could_be_cyber("candidates for the post")


def test_every_cue_phrase_passes_its_own_screen() -> None:
    for lang in LEXICON_LANGUAGES:
        screen = _cue_screen(lang)
        for phrases in label_cues(lang).values():
            for phrase in phrases:
                assert screen.hits(normalise_whitespace(phrase.lower())), phrase


@requires_tota
def test_screen_rejects_nothing_the_matcher_would_label(tota_dir: Path) -> None:
    rng = random.Random(3)
    files = rng.sample(list_tota_files(tota_dir), 25)
    checked = 0
    for path in files:
        document = read_tota_file(path)
        lang = document.agreement.language if document.agreement.language in LEXICON_LANGUAGES else "en"
        nlp = build_nlp(lang)
        for provision in document.provisions:
            text = normalise_whitespace(provision.text)
            if not _cue_screen(lang).hits(text.lower()):
                assert nlp(text)._.cue_labels == (), (path.name, provision.source_provision_id)
                checked += 1
    assert checked > 500


def test_whitespace_is_normalised_once() -> None:
    # `is_normalised` relies on this: every whitespace character but the space is unprintable.
    assert all(c == 0x20 or not chr(c).isprintable() for c in range(0x110000) if chr(c).isspace())
    for text in ("", "a", "a b", " a", "a ", "a  b", "a\nb", "a\u00a0b", "a\u2009b", "a\x1cb", "\u3000", "é ü"):
        assert is_normalised(text) == (" ".join(text.split()) == text), repr(text)
        assert normalise_whitespace(text) == " ".join(text.split())

"""Screening must never hide a provision that the spaCy cue matchers would label."""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

import pytest

from pipeline.classify.lexicon import _phrase_screen as _cue_screen
from pipeline.nlp import build_nlp
from pipeline.nlp import screen as corpus_screen
from pipeline.nlp.lexicon import LEXICON_LANGUAGES, label_cues
from pipeline.nlp.screen import SCREEN_STEMS, SCREEN_WORDS, could_be_cyber, is_normalised, normalise_whitespace, stands_alone
from pipeline.sources.tota import list_tota_files, read_tota_file
from tests.conftest import requires_tota


def test_short_words_need_word_boundaries() -> None:
    assert could_be_cyber("the ICT sector") and not could_be_cyber("strict rules of origin")
    # ("metadatabase" no longer works here: "databas" became a screening stem of its own.)
    assert could_be_cyber("personal DATA") and not could_be_cyber("metadata of tariffs")
    assert not could_be_cyber("ticket prices") and not could_be_cyber("candidates for the post")


def _screened_by_definition(text: str) -> bool:
    """The screen as its docstring defines it, the slow way: a stem anywhere in the lower-cased,
    whitespace-normalised text, or a short word standing alone there."""
    lowered = normalise_whitespace(text.lower())
    if any(stem in lowered for stem in SCREEN_STEMS):
        return True
    for word in SCREEN_WORDS:
        start = lowered.find(word)
        while start >= 0:
            if stands_alone(lowered, start + len(word) - 1, len(word)):
                return True
            start = lowered.find(word, start + 1)
    return False


@pytest.mark.parametrize("gap", ["\n", " \n  ", "\t", "\u00a0", "\r\n"])
def test_stems_of_several_words_pass_across_line_breaks(gap: str) -> None:
    # The screen searches the raw text and normalises only where every longer word of such a
    # stem occurs: each must still pass when the source breaks its line inside the stem.
    for stem in (s for s in SCREEN_STEMS if " " in s):
        text = f"Tariff lines.\n{stem.upper().replace(' ', gap)}\n of goods"
        assert could_be_cyber(text), repr(text)
        assert could_be_cyber(text) == _screened_by_definition(text)
    assert not could_be_cyber("Tariff lines of goods and their origin")


@requires_tota
def test_screen_is_its_definition_on_the_corpus(tota_dir: Path) -> None:
    rng = random.Random(11)
    checked = passed = 0
    for path in rng.sample(list_tota_files(tota_dir), 60):
        for provision in read_tota_file(path).provisions:
            text = f"{provision.text} {provision.article_title or ''}"
            assert could_be_cyber(text) == _screened_by_definition(text), (path.name, provision.source_provision_id)
            checked += 1
            passed += could_be_cyber(text)
    assert checked > 3_000 and 0 < passed < checked


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


def test_long_texts_are_searched_a_window_at_a_time() -> None:
    # A stem, a short word and a stem of several words each cut by a window's edge still pass.
    edge = corpus_screen._WINDOW
    for literal in ("cyber", " data ", "individual \n customers"):
        for shift in range(-len(literal), 2):
            text = "x" * (edge + shift) + literal + " tariffs" * 10
            assert could_be_cyber(text), (literal, shift)
    assert not could_be_cyber("x" * (edge - 2) + " tariffs " * 10)


def test_a_hostile_text_of_one_short_word_does_not_fill_memory() -> None:
    # 16 million characters of "tic": 4 million matches, none standing alone. As one list of
    # match tuples that was hundreds of megabytes; a window at a time it stays small.
    text = "stic " * 3_200_000
    tracemalloc.start()
    try:
        assert not could_be_cyber(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < len(text) * 4 + 60_000_000, peak  # the lower-cased copy (UCS-1 here) and one window's matches

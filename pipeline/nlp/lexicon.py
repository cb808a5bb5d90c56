"""Language data (cue lexicons, bindingness cues, instrument names) kept as JSON files."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

# Languages with their own lexicon; anything else (ToTA has two French texts) uses English.
LEXICON_LANGUAGES = ("en", "es")


def lexicon_language(lang: str | None) -> str:
    return lang if lang in LEXICON_LANGUAGES else "en"


@cache
def _load(name: str) -> dict:
    data = json.loads(resources.files("pipeline.nlp").joinpath("data", name).read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("_")}


def label_cues(lang: str) -> dict[str, list[str]]:
    """Label id -> cue phrases for a language."""
    return _load(f"lexicon_{lexicon_language(lang)}.json")


def bindingness_cues(lang: str) -> dict[str, list[str]]:
    """'soft' / 'hard' / 'cooperate_only' -> cue phrases for a language."""
    return _load(f"bindingness_{lexicon_language(lang)}.json")


def instrument_names() -> dict[str, list[str]]:
    """Canonical instrument name -> phrases (all languages) that refer to it."""
    return {name: entry["phrases"] for name, entry in _load("instruments.json").items()}


def instrument_years() -> dict[str, int]:
    """Canonical instrument name -> year of adoption, for the instruments that have one."""
    return {name: entry["year"] for name, entry in _load("instruments.json").items() if "year" in entry}

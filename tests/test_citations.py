"""The cited-title pattern: its fast form finds exactly what its plain form finds."""

from __future__ import annotations

import random
import re
from pathlib import Path

from pipeline.nlp.citations import _CITED_TITLE, mask_cited_titles
from pipeline.sources.tota import list_tota_files, read_tota_file
from tests.conftest import requires_tota

# The pattern as written before it was rearranged for speed (pipeline/nlp/citations.py).
PLAIN = re.compile(
    r"(?P<reference>(?i:\b(?:articles?|artículos?|chapters?|capítulos?|sections?|secciones?|sección|annex(?:es)?"
    r"|anexos?)\s+[\w.\-]+)|\b\d+(?:\.\d+)+)"
    r"\s*\((?P<title>[A-ZÁÉÍÓÚÑ][^()]{2,160})\)"
)


def plain_mask(text: str) -> str:
    return PLAIN.sub(lambda match: match.group("reference"), text)


def test_the_first_letters_are_every_case_of_the_keywords() -> None:
    # The fast form lists the characters that match the keywords' first letters without case.
    every_character = "".join(map(chr, range(0x110000)))
    for letter, listed in (("a", "Aa"), ("c", "Cc"), ("s", "Ssſ")):
        assert set(re.findall(f"(?i:{letter})", every_character)) == set(listed)


def test_fast_and_plain_patterns_agree_on_made_up_texts() -> None:
    pieces = ["Article", "ARTICLES", "article", "Artículo", "artículos", "Chapter", "capítulos", "Section",
              "SECCIONES", "sección", "ſection", "Annex", "annexes", "Anexo", "anexos", "particle", "subsection",
              "14.11", "3", "2.1.4", "x14.2", "12a", "(Cross-Border Transfer)", "(a)", "(Title", "(WTO)", "(B)",
              "(Transferencia de Información)", " ", "  ", "\n", ", ", " and ", ".", "-", "é", "9"]
    rng = random.Random(8)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 12)))
        assert mask_cited_titles(text) == plain_mask(text), repr(text)


@requires_tota
def test_fast_and_plain_patterns_agree_on_tota(tota_dir: Path) -> None:
    files = random.Random(8).sample(list_tota_files(tota_dir), 40)
    masked = 0
    for path in files:
        for provision in read_tota_file(path).provisions:
            expected = plain_mask(provision.text)
            assert _CITED_TITLE.sub(lambda match: match.group("reference"), provision.text) == expected
            assert mask_cited_titles(provision.text) == expected
            masked += expected != provision.text
    assert masked > 20

"""ToTA agreements as known texts for round-trip tests (never the hold-out).

An agreement is turned into layout blocks with headings built from its ToTA attributes in one
of several drafting styles, rendered, read back and scored against the ToTA text.
"""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pdf_render import FONT_DIR, Block, paragraphs

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TOTA_XML = SHARED / "corpora/tota/xml"
HOLDOUT_FILE = SHARED / "corpora/holdout.txt"

# Chosen for variety of numbering and language, outside the hold-out:
# "ARTICLE ONE", roman "ARTICLE I", "ARTICLE - 1", "1.1", "1ER" (French), Spanish
# "ARTÍCULO" (and "ARTÍCULO TRANSITORIO"), chapters as CHAPTER / TITLE / PART / SECTION / CAPÍTULO / TITRE.
ROUNDTRIP_IDS = (50, 15, 14, 113, 123, 437, 88, 367, 222, 172, 374, 321, 297)
# Small enough for pdfplumber's ~3 pages/s in the default test run.
PLUMBER_IDS = (50, 437)

_WORD_NUMBERS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13",
    "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
    "nineteen": "19", "twenty": "20", "premier": "1",
}  # fmt: skip


# ToTA keeps some sub-headings inside article text ("Section I: ...", "Paragraphe 1er: ...");
# in a rendered document they are headings, not article text, so samples leave them out.
_SUBHEADING = re.compile(
    r"^(?:SECTION|Section|SECCIÓN|Sección|Sub-Section|Paragraphe|PARAGRAPHE|Párrafo|CHAPTER|Chapter"
    r"|CAPÍTULO|Capítulo|CAPITULO|PART|Part|TITLE|Title|TÍTULO|Título|TITRE|Titre)\s+\S+"
)
# ToTA sometimes merges two articles into one; the parser rightly splits them, so such
# agreements cannot serve as ground truth and are not sampled.
_EMBEDDED_ARTICLE = re.compile(
    r"^(?:ARTICLE|Article|ARTÍCULO|Artículo|ARTICULO|Articulo)\s+(?:[\dIVXL]+|(?i:transitori[oa]|final))\b"
    r"(?!\s+(?:of|del?|du)\b)"
)


_TENS = {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60"}


@lru_cache(maxsize=1)
def holdout_ids() -> frozenset[int]:
    ids = set()
    for line in HOLDOUT_FILE.read_text(encoding="utf-8").splitlines():
        first = line.split("\t")[0].strip()
        if first.isdigit():
            ids.add(int(first))
    return frozenset(ids)


def corpus_available() -> bool:
    """The ToTA corpus beside the repository, and the font the round trips render with."""
    font = FONT_DIR / "DejaVuSerif.ttf"
    return TOTA_XML.is_dir() and HOLDOUT_FILE.is_file() and font.is_file()


@dataclass(frozen=True)
class SampleArticle:
    number: str  # as rendered after the keyword: "1.1", "ONE", "I", "1ER"
    title: str | None
    text: str


@dataclass(frozen=True)
class SampleChapter:
    label: str | None  # "CHAPTER 1", "TITLE I"
    name: str | None
    articles: tuple[SampleArticle, ...]


@dataclass(frozen=True)
class SampleAgreement:
    id: int
    name: str
    language: str
    preamble: str
    chapters: tuple[SampleChapter, ...]
    conclusion: str
    merged_articles: int  # articles whose ToTA text holds another article's heading


@lru_cache(maxsize=1)
def _cmap() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT_DIR / "DejaVuSerif.ttf"))
    return frozenset(font.getBestCmap())


def renderable(text: str) -> str:
    """Drop characters the test font has no glyph for (they cannot survive a PDF round trip)."""
    cmap = _cmap()
    text = text.replace("\u00ad", "").replace("\ufeff", "").replace("\u200b", "")
    return "".join(ch for ch in text if ch.isspace() or ord(ch) in cmap)


def load_agreement(treaty_id: int) -> SampleAgreement:
    if treaty_id in holdout_ids():
        raise ValueError(f"pta_{treaty_id} is in the hold-out and must not be used")
    root = ET.parse(TOTA_XML / f"pta_{treaty_id}.xml").getroot()
    meta = root.find("meta")
    chapters: list[SampleChapter] = []
    preamble, conclusion = "", ""
    merged = 0
    for chapter in root.find("body"):
        articles = []
        for article in chapter:
            kept = [p for p in paragraphs(renderable("".join(article.itertext()))) if not _SUBHEADING.match(p)]
            merged += sum(1 for p in kept if _EMBEDDED_ARTICLE.match(p))
            text = "\n".join(kept)
            number = article.get("number")
            if not number:
                if not chapters and not articles:
                    preamble = text
                else:
                    conclusion = f"{conclusion}\n{text}".strip()
                continue
            number = re.sub(r"^\S*\s*", "", number.strip()).lstrip("-– ").strip()
            articles.append(SampleArticle(number, renderable(article.get("name") or "") or None, text))
        if articles:
            chapters.append(
                SampleChapter(chapter.get("number"), renderable(chapter.get("name") or "") or None, tuple(articles))
            )
    return SampleAgreement(
        treaty_id, meta.findtext("name") or "", meta.findtext("language") or "en",
        preamble, tuple(chapters), conclusion, merged,
    )  # fmt: skip


# -- heading styles ----------------------------------------------------------------------------

STYLES = ("colon", "upper_two_lines", "space", "dash", "abbrev")
_KEYWORD = {"en": "Article", "es": "Artículo", "fr": "Article"}


def article_heading(style: str, language: str, number: str, title: str | None) -> list[Block]:
    keyword = _KEYWORD.get(language, "Article")
    if style == "abbrev" and language == "en":
        keyword = "Art."
    if style == "upper_two_lines":
        blocks = [Block("article", f"{keyword.upper()} {number}")]
        return blocks + ([Block("title", title)] if title else [])
    sep = {"colon": ": ", "space": " ", "dash": " – ", "abbrev": " "}[style]
    return [Block("article", f"{keyword} {number}{sep + title if title else ''}")]


def chapter_heading(style: str, chapter: SampleChapter) -> list[Block]:
    if not chapter.label:
        return []
    name = chapter.name or ""
    if style == "upper_two_lines":
        return [Block("chapter", chapter.label.upper())] + ([Block("title", name.upper())] if name else [])
    if style == "colon":
        keyword, _, number = chapter.label.partition(" ")
        return [Block("chapter", f"{keyword.title()} {number}: {name}".rstrip(": "))]
    return [Block("chapter", f"{chapter.label.upper()} {name.upper()}".strip())]


def to_blocks(sample: SampleAgreement, style: str) -> list[Block]:
    blocks = [Block("para", p) for p in paragraphs(sample.preamble)]
    for chapter in sample.chapters:
        blocks += chapter_heading(style, chapter)
        for article in chapter.articles:
            blocks += article_heading(style, sample.language, article.number, article.title)
            blocks += [Block("para", p) for p in paragraphs(article.text)]
    blocks += [Block("para", p) for p in paragraphs(sample.conclusion)]
    return blocks


def expected_articles(sample: SampleAgreement) -> list[SampleArticle]:
    return [article for chapter in sample.chapters for article in chapter.articles]


# -- scoring -----------------------------------------------------------------------------------


def normalise_number(number: str | None) -> str:
    if number is None:
        return ""
    number = re.sub(r"\s+", "", number).lower()
    number = re.sub(r"^(\d+)(?:er|re|º|°)$", r"\1", number)
    words = _WORD_NUMBERS | _TENS
    parts = number.split("-")
    if all(part in words for part in parts):
        return str(sum(int(words[part]) for part in parts))
    return number


def squash(text: str) -> str:
    """Text up to whitespace."""
    return "".join(renderable(text).split())


@dataclass(frozen=True)
class Score:
    expected: int
    found: int
    matched: int
    text_equal: int
    mismatches: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 0.0


def score(sample: SampleAgreement, found: list[tuple[str | None, str]]) -> Score:
    """Align found (article_no, text) with the expected articles by number, in order."""
    expected = expected_articles(sample)
    want = [normalise_number(a.number) for a in expected]
    got = [normalise_number(number) for number, _ in found]
    matcher = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
    matched = equal = 0
    mismatches = []
    last = len(expected) - 1
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            i, j = block.a + k, block.b + k
            matched += 1
            text = squash(found[j][1])
            # A signature block with no "In witness whereof" / "Done at" before it has no
            # boundary in the text: ToTA split it off by hand, the parser leaves it in place.
            with_closing = squash(expected[i].text + sample.conclusion) if i == last else None
            if text in (squash(expected[i].text), with_closing):
                equal += 1
            else:
                mismatches.append(f"pta_{sample.id} article {expected[i].number}")
    return Score(len(expected), len(found), matched, equal, tuple(mismatches))


# -- official layouts ----------------------------------------------------------------------------
# Treaty texts as governments publish them (CPTPP, RCEP, the UK and EU agreements): each chapter
# on a new page under a two-line capitals heading ("CHAPTER 12" / "ELECTRONIC COMMERCE"),
# sections likewise ("Section A" / "General Provisions"), "Article 12.6: Title" headings that
# wrap, footnote references glued to heading words ("Scope3"), headings at page tops, annexes
# after chapters ("ANNEX 12-A", "ANNEX 13A"). Chosen outside the hold-out and the set above,
# with "12.6"-style numbers.
OFFICIAL_IDS = (331, 104, 329)
_SECTION_TITLES = ("General Provisions", "Specific Commitments", "Institutional Provisions")


def _chapter_no(chapter: SampleChapter, index: int) -> str:
    # Chapters numbered in words ("CHAPTER TWO") get figures in the page labels, as printed.
    token = (chapter.label or "").split()[-1:]
    return token[0] if token and token[0].isdigit() else str(index + 1)


def official_blocks(sample: SampleAgreement, variant: int) -> list[Block]:
    """Blocks of `sample` in an official layout; `variant` varies annex numbering and where
    headings fall (every article heading with a footnote reference, every one on a fresh page)."""
    blocks = [Block("para", p) for p in paragraphs(sample.preamble)]
    marker_every, page_every = (3, 4) if variant % 2 == 0 else (4, 3)
    count = 0
    last = len(sample.chapters) - 1
    for index, chapter in enumerate(sample.chapters):
        number = _chapter_no(chapter, index)
        if chapter.label:
            blocks.append(Block("chapter", chapter.label.upper(), label=number))
            if chapter.name:
                blocks.append(Block("title", chapter.name.upper()))
        sections = len(chapter.articles) >= 6
        half = len(chapter.articles) // 2
        for position, article in enumerate(chapter.articles):
            if sections and position in (0, half):
                letter = "A" if position == 0 else "B"
                blocks += [Block("section", f"Section {letter}"),
                           Block("title", _SECTION_TITLES[(index + (position > 0)) % len(_SECTION_TITLES)])]
            count += 1
            title = article.title
            heading = f"Article {article.number}" + (f": {title}" if title else "")
            blocks.append(Block("article", heading, marker=bool(title) and count % marker_every == 0,
                                new_page=count % page_every == 0 and position > 0))
            blocks += [Block("para", p) for p in paragraphs(article.text)]
        if index % 3 == 1 and index != last:
            annex = f"{number}-A" if variant % 2 == 0 else f"{number}A"
            blocks += [
                Block("annex", f"ANNEX {annex}", label=annex.replace("-", "")),
                Block("title", "CONTACT POINTS"),
                Block("para", f"1. For the purposes of this Annex, each Party shall designate a contact point "
                              f"for the matters covered by Chapter {number}."),
                Block("para", f"2. The contact points shall be notified within 60 days of the entry into force "
                              f"of this Agreement."),
            ]
    blocks += [Block("para", p) for p in paragraphs(sample.conclusion)]
    return blocks

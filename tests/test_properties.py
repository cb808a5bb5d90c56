"""Property tests: arbitrary input to the structure parser, the ToTA XML source and the
paragraph splitter raises only the project's typed errors, never crashes or hangs, and every
offset stays within the text, in order. Bounded (examples, deadline) to keep the suite fast."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import SourceError
from pipeline.nlp.paragraphs import split_paragraphs
from pipeline.sources.tota import parse_tota_xml
from pipeline.structure import parse_articles
from tests.test_tota_source import MINIMAL

# The deadline is the "never hangs" check: any example slower than this fails the test.
BOUNDED = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like agreements: headings, numbered paragraphs, cross-references, noise.
_PIECES = st.sampled_from([
    "Article 1", "ARTICLE 2", "Article 3bis", "Article 14.11", "Art. 5", "Artículo 7", "Chapter 1", "CHAPTER II",
    "Section A", "Annex 1-A", "Part III", "1.", "2.", "(a)", "(b)", "(i)", "Definitions", "Scope",
    "Each Party shall", "Article 12 of the GATT 1994", "Entry into Force", "IN WITNESS WHEREOF",
    "Done at Lima", "\n", "\n\n", "\f", " ", ".", ";", "\t", "—", "…",
])
agreement_text = st.lists(st.one_of(_PIECES, st.text(max_size=30)), max_size=60).map(" ".join) | st.text(max_size=400)


@BOUNDED
@given(agreement_text, st.lists(st.tuples(st.integers(0, 500), st.integers(0, 500)), max_size=5),
       st.lists(st.integers(0, 500), max_size=5))
def test_parse_articles_keeps_offsets_within_the_text(text: str, emphasis, pages) -> None:
    page_offsets = sorted({0, *(p for p in pages if p <= len(text))})
    articles = parse_articles(text, page_offsets=page_offsets, emphasis=[(min(a, b), max(a, b)) for a, b in emphasis])
    previous_end = 0
    for article in articles:
        assert 0 <= article.heading_start <= article.char_start <= article.char_end <= len(text)
        assert article.text == text[article.char_start:article.char_end]
        assert article.char_start >= previous_end
        previous_end = article.char_end
        for paragraph in article.paragraphs:
            assert article.char_start <= paragraph.char_start <= paragraph.char_end <= article.char_end


@BOUNDED
@given(agreement_text)
def test_split_paragraphs_covers_the_text_in_order(text: str) -> None:
    paragraphs = split_paragraphs(text)
    end = 0
    for index, paragraph in enumerate(paragraphs):
        assert paragraph.index == index
        assert end <= paragraph.start < paragraph.end <= len(text)
        assert text[paragraph.start:paragraph.end].strip()
        end = paragraph.end
    covered = {i for p in paragraphs for i in range(p.start, p.end)}
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


def _parses_or_refuses(data: bytes) -> None:
    try:
        document = parse_tota_xml(data, location="prop/pta_1.xml")
    except SourceError as exc:
        assert str(exc).startswith("prop/pta_1.xml: ") and exc.fix  # typed, named, with a fix
        return
    for provision in document.provisions:
        assert provision.agreement_id == document.agreement.id


@BOUNDED
@given(st.binary(max_size=2000))
def test_tota_xml_from_arbitrary_bytes(data: bytes) -> None:
    _parses_or_refuses(data)


@BOUNDED
@given(st.integers(0, len(MINIMAL)), st.integers(0, len(MINIMAL)), st.binary(max_size=40))
def test_tota_xml_damaged_anywhere(cut: int, at: int, inserted: bytes) -> None:
    """A real ToTA document truncated, or with bytes spliced in anywhere."""
    _parses_or_refuses(MINIMAL[:cut])
    _parses_or_refuses(MINIMAL[:at] + inserted + MINIMAL[at:])


_TAGS = st.sampled_from(["treaty", "meta", "body", "chapter", "article", "name", "treaty_identifier", "date_signed",
                         "parties", "partyisocode", "language", "x"])


@st.composite
def _xml(draw, depth: int = 0) -> str:
    tag = draw(_TAGS)
    attributes = "".join(f' {k}="{v}"' for k, v in draw(st.dictionaries(
        st.sampled_from(["name", "number", "article_identifier", "chapter_identifier", "n"]),
        st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"<&'), max_size=8),
        max_size=2)).items())
    text = draw(st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<&"), max_size=20))
    children = draw(st.lists(_xml(depth + 1), max_size=3)) if depth < 3 else []
    return f"<{tag}{attributes}>{text}{''.join(children)}</{tag}>"


@BOUNDED
@given(_xml())
def test_tota_xml_of_any_shape(document: str) -> None:
    _parses_or_refuses(f"<treaty><meta><treaty_identifier>1</treaty_identifier></meta>{document}</treaty>"
                       .encode("utf-8"))
    _parses_or_refuses(document.encode("utf-8"))

"""Round trip: ToTA agreements rendered as PDFs and read back must give back their articles.

Each agreement outside the hold-out is rendered with headings built from its ToTA attributes
in one of several drafting styles, running headers (some changing with the chapter), page
numbers, superscript footnote markers with footnotes, hyphenated line ends, justified text and,
for every other agreement, two columns. The structure read back is scored against ToTA:
article-boundary precision and recall (articles aligned by number, in order) and the share of
articles whose text equals the ToTA text up to whitespace.

A second set is typeset as governments publish treaties (`tota_samples.official_blocks`):
chapter-page labels ("12-5", "13A-1") at the page top or bottom, every chapter and annex on a
new page under a two-line capitals heading, sections in two lines, article headings that wrap
and carry footnote references glued to their last word ("Scope3"), headings opening pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.sources.files import parse_files_parallel
from pipeline.sources.pdf import read_pdf
from pipeline.structure import parse_articles
from pipeline.sources.pdf import PDF_ENGINES

import tota_samples as samples
from pdf_render import PageStyle, render_pdf

pytestmark = pytest.mark.skipif(
    not samples.corpus_available(), reason="ToTA corpus not found at ../shared/corpora/tota/xml"
)
PAGE_NUMBERS = ("- {n} -", "Page {n}", "{n}")


def _style(index: int, name: str) -> PageStyle:
    return PageStyle(
        columns=1 + index % 2,
        running_header="{chapter}" if index % 2 == 0 else name,
        page_number=PAGE_NUMBERS[index % 3],
        footnote_every=5,
        justify=index % 3 == 0,
    )


def _clean_samples(ids) -> list[tuple[int, str, samples.SampleAgreement]]:
    """The agreements to render, never a hold-out one, each with ToTA articles that split cleanly."""
    out = []
    for index, treaty_id in enumerate(ids):
        assert treaty_id not in samples.holdout_ids()
        sample = samples.load_agreement(treaty_id)
        assert sample.merged_articles == 0
        out.append((index, treaty_id, sample))
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> list[tuple[samples.SampleAgreement, Path, int]]:
    folder = tmp_path_factory.mktemp("roundtrip")
    out = []
    for index, treaty_id, sample in _clean_samples(samples.ROUNDTRIP_IDS):
        style = samples.STYLES[index % len(samples.STYLES)]
        blocks = samples.to_blocks(sample, style)
        result = render_pdf(blocks, folder / f"pta_{treaty_id}.pdf", _style(index, sample.name))
        out.append((sample, result.path, result.pages))
    return out


def _scores(rendered, engine: str):
    docs = list(parse_files_parallel([path for _, path, _ in rendered], pdf_engine=engine, workers=2))
    scores = []
    for (sample, _, pages), doc in zip(rendered, docs):
        assert not isinstance(doc, Exception), doc
        for provision in doc.provisions:
            assert 1 <= provision.page_start <= provision.page_end <= pages
        found = [(p.article_no, p.text) for p in doc.provisions if p.article_no is not None]
        scores.append(samples.score(sample, found))
    return scores


@pytest.mark.parametrize("engine", PDF_ENGINES)
def test_roundtrip_recovers_articles_and_text(rendered, engine):
    assert len(rendered) >= 10
    assert sum(pages for _, _, pages in rendered) >= 100
    scores = _scores(rendered, engine)
    expected = sum(s.expected for s in scores)
    found = sum(s.found for s in scores)
    matched = sum(s.matched for s in scores)
    equal = sum(s.text_equal for s in scores)
    precision, recall = matched / found, matched / expected
    mismatches = [m for s in scores for m in s.mismatches]
    assert precision >= 0.98, (engine, precision)
    assert recall >= 0.98, (engine, recall)
    assert equal / matched >= 0.99, (engine, equal, matched, mismatches)


# -- official layouts ---------------------------------------------------------------------------


def _official_style(index: int) -> PageStyle:
    return PageStyle(
        running_header=None,
        page_number=None,
        page_label="{label}-{n}",
        page_label_at=("bottom", "top")[index % 2],
        chapter_new_page=True,
        centre_headings=True,
        heading_width=0.55,  # long titles wrap onto a second line
        footnote_every=5,
        justify=index % 2 == 0,
    )


@pytest.fixture(scope="module")
def official(tmp_path_factory):
    folder = tmp_path_factory.mktemp("official")
    out = []
    for index, treaty_id, sample in _clean_samples(samples.OFFICIAL_IDS):
        blocks = samples.official_blocks(sample, index)
        result = render_pdf(blocks, folder / f"official_{treaty_id}.pdf", _official_style(index))
        out.append((sample, blocks, result))
    return out


def _title(text: str | None) -> str:
    return " ".join((text or "").split()).lower()


@pytest.mark.parametrize("engine", PDF_ENGINES)
def test_official_layouts_parse_exactly(official, engine):
    pages = sum(result.pages for _, _, result in official)
    assert pages >= 100
    docs = list(parse_files_parallel([result.path for _, _, result in official], pdf_engine=engine, workers=2))
    expected = found = matched = equal = 0
    for (sample, blocks, result), doc in zip(official, docs):
        assert not isinstance(doc, Exception), doc
        articles = [p for p in doc.provisions if p.article_no is not None]
        score = samples.score(sample, [(p.article_no, p.text) for p in articles])
        expected, found, matched, equal = (expected + score.expected, found + score.found,
                                           matched + score.matched, equal + score.text_equal)
        # Two-line chapter headings give every article its chapter; titles come back whole
        # (wrapped lines joined, footnote references taken off).
        want = {a.number: a.title for a in samples.expected_articles(sample)}
        assert all(p.chapter for p in articles), f"pta_{sample.id}: articles without a chapter"
        wrong = [(p.article_no, p.article_title) for p in articles if _title(p.article_title) != _title(want[p.article_no])]
        assert not wrong, (engine, sample.id, wrong[:5])
        # Every footnote printed is stored once, on a provision (issue 12: footnotes table).
        assert sorted(f.marker for f in doc.footnotes) == sorted(n.split(" ", 1)[0] for n in result.footnotes)
        annexes = [p for p in doc.provisions if p.chapter and p.chapter.startswith("ANNEX") and p.article_no is None]
        assert len(annexes) == sum(1 for b in blocks if b.kind == "annex")
    assert matched / found == 1.0 and matched / expected == 1.0, (engine, matched, found, expected)
    assert equal == matched, (engine, equal, matched)


def test_official_layout_footnote_references_and_sections(official):
    sample, blocks, result = official[0]
    laid_out = read_pdf(result.path)
    articles = parse_articles(laid_out.text, page_offsets=laid_out.page_offsets, emphasis=laid_out.emphasis)
    by_number = {a.article_no: a for a in articles if a.kind == "article"}
    marked = [b.text.split()[1].rstrip(":") for b in blocks if b.kind == "article" and b.marker]
    assert marked
    for number in marked:
        refs = by_number[number].footnote_refs
        assert len(refs) == 1 and refs[0].isdigit(), (number, refs)
        assert any(note.startswith(refs[0] + " ") for note in result.footnotes)
    assert {a.section for a in articles if a.section} >= {"Section A: General Provisions"}
    # Page labels ("2-3", "5A-1") are page furniture: no article text holds one on a line of its own.
    assert not any(line.strip() and samples.re.fullmatch(r"\d+A?-\d+", line.strip())
                   for a in articles for line in a.text.splitlines())

"""Round trip: ToTA agreements rendered as PDFs and read back must give back their articles.

Each agreement outside the hold-out is rendered with headings built from its ToTA attributes
in one of several drafting styles, running headers (some changing with the chapter), page
numbers, superscript footnote markers with footnotes, hyphenated line ends, justified text and,
for every other agreement, two columns. The structure read back is scored against ToTA:
article-boundary precision and recall (articles aligned by number, in order) and the share of
articles whose text equals the ToTA text up to whitespace.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.sources.files import parse_files_parallel
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


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> list[tuple[samples.SampleAgreement, Path, int]]:
    folder = tmp_path_factory.mktemp("roundtrip")
    out = []
    for index, treaty_id in enumerate(samples.ROUNDTRIP_IDS):
        assert treaty_id not in samples.holdout_ids()
        sample = samples.load_agreement(treaty_id)
        assert sample.merged_articles == 0
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


def test_without_an_engine_pdfium_reads_the_file(tmp_path, monkeypatch):
    """The default is what actually runs when no engine is named (not a constant's spelling)."""
    from fpdf import FPDF

    import pipeline.sources.pdf_pdfium as pdfium_engine
    import pipeline.sources.pdf_plumber as plumber_engine
    from pipeline.sources.files import read_document

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Article 1\nScope\nThis Agreement applies to electronic commerce.")
    path = tmp_path / "one.pdf"
    pdf.output(str(path))
    used = []
    for module, name in ((pdfium_engine, "pdfium_pages"), (plumber_engine, "plumber_pages")):
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda p, _o=original, _n=name: (used.append(_n), _o(p))[1])
    assert read_document(path).provisions
    assert used == ["pdfium_pages"]

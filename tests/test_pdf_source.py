"""PDF source: page furniture, footnotes, hyphens, columns, bad files, both engines."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw

from pipeline.errors import SourceError
from pipeline.sources.files import parse_files_parallel, read_document
from pipeline.sources.hyphenation import build_vocabulary, keep_hyphen
from pipeline.sources.pdf import PDF_ENGINES, read_pdf
from pipeline.sources.pdf_layout import PageLines, TextLine, lay_out

from pdf_render import Block, PageStyle, render_pdf

LONG = (
    "The Parties recognise the economic growth and opportunities provided by electronic commerce "
    "and the importance of frameworks that promote consumer confidence in electronic commerce and "
    "of avoiding unnecessary barriers to its use and development. Each Party shall endeavour to "
    "adopt measures that facilitate cross-border electronic transactions and interoperability. "
)


def _document_blocks() -> list[Block]:
    blocks = [Block("para", "AGREEMENT BETWEEN PARTY A AND PARTY B"), Block("para", "The Parties have agreed:")]
    for chapter in (1, 2):
        blocks.append(Block("chapter", f"CHAPTER {chapter} SUBJECT NUMBER {chapter}"))
        for article in range(1, 6):
            blocks.append(Block("article", f"Article {chapter}.{article}: Heading {chapter}.{article}"))
            blocks += [Block("para", f"{article}. {LONG * 2}"), Block("para", LONG)]
    return blocks


@pytest.fixture(scope="module")
def two_column_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "two-column.pdf"
    style = PageStyle(columns=2, running_header="{chapter}", footnote_every=2, justify=True)
    render_pdf(_document_blocks(), path, style)
    return path


@pytest.mark.parametrize("engine", PDF_ENGINES)
def test_page_furniture_removed_and_footnotes_kept_apart(two_column_pdf, engine):
    laid_out = read_pdf(two_column_pdf, engine)
    assert "SUBJECT NUMBER 1" in laid_out.text
    # The running header repeats the chapter heading on every page; only the heading stays.
    assert laid_out.text.count("CHAPTER 1 SUBJECT NUMBER 1") == 1
    assert "- 2 -" not in laid_out.text
    assert laid_out.footnotes and all("note" in f.text or "concerns" in f.text or "understand" in f.text
                                      or "read with" in f.text or "applies" in f.text for f in laid_out.footnotes)
    for footnote in laid_out.footnotes:
        assert footnote.text not in laid_out.text
    assert "electronic commerce" in laid_out.text and "elec-" not in laid_out.text
    assert "cross-border" in laid_out.text  # a compound broken at its hyphen keeps it


@pytest.mark.parametrize("engine", PDF_ENGINES)
def test_two_columns_read_in_order_with_page_ranges(two_column_pdf, engine):
    doc = read_document(two_column_pdf, pdf_engine=engine)
    numbers = [p.article_no for p in doc.provisions if p.article_no]
    assert numbers == [f"{c}.{a}" for c in (1, 2) for a in range(1, 6)]
    for provision in doc.provisions:
        assert provision.text.startswith(("AGREEMENT", "1.", "2.", "3.", "4.", "5."))
        assert 1 <= provision.page_start <= provision.page_end
        assert "  " not in provision.text
    assert doc.provisions[-1].page_end >= 3
    assert doc.agreement.id == "pdf:two-column" and doc.agreement.source == "pdf"
    assert doc.provisions[1].id == "pdf:two-column:1"


def test_both_engines_agree(two_column_pdf):
    texts = {engine: [p.text for p in read_document(two_column_pdf, pdf_engine=engine).provisions]
             for engine in PDF_ENGINES}  # fmt: skip
    assert texts["pypdfium2"] == texts["pdfplumber"]


# -- layout rules on synthetic lines (no PDF) ------------------------------------------------


def _line(text, x0, top, size=10.0, x1=None, bold=False):
    return TextLine(text, x0, x1 if x1 is not None else x0 + 5.0 * len(text), top, top + size, size, bold)


def test_layout_drops_repeated_header_and_page_numbers():
    pages = []
    for n in range(1, 5):
        body = [_line(f"Body line {n}.{k} text of the article continues", 60, 100 + 14 * k) for k in range(5)]
        furniture = [_line("Official Journal of the Parties", 200, 40, 8), _line(f"Page {n} of 4", 270, 800, 8)]
        pages.append(PageLines(n, 595, 842, tuple(furniture + body)))
    laid_out = lay_out(pages)
    assert "Official Journal" not in laid_out.text and "Page" not in laid_out.text
    assert laid_out.text.startswith("Body line 1.0")
    assert len(laid_out.page_offsets) == 4 and laid_out.page_offsets[1] == laid_out.text.index("Body line 2.0")


def test_layout_orders_two_columns_and_joins_hyphenated_words():
    left = [_line("alpha beta gamma delta epsilon agree-", 60, 100 + 13 * k, x1=280) for k in range(6)]
    right = [_line("ment zeta eta theta iota kappa lambda", 310, 100 + 13 * k, x1=535) for k in range(6)]
    laid_out = lay_out([PageLines(1, 595, 842, tuple(right + left))])
    assert laid_out.text.index("alpha") < laid_out.text.index("zeta")
    assert "agreement" in laid_out.text


def test_hyphenation_uses_the_document_as_dictionary():
    vocab = build_vocabulary(["the agreement and the cross-border trade", "trade related matters"])
    assert not keep_hyphen("the agree-", "ment enters", vocab)
    assert keep_hyphen("the cross-", "border trade", vocab)
    assert keep_hyphen("trade-", "related", vocab)  # both halves are words
    assert not keep_hyphen("impa-", "rtial", vocab)
    assert keep_hyphen("Non-", "Agricultural", vocab)


# -- bad files --------------------------------------------------------------------------------


def _scanned_pdf(path: Path) -> None:
    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).text((50, 50), "Article 1 Objectives", fill="black")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=180)
    pdf.output(str(path))


def _encrypted_pdf(path: Path) -> None:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.text(20, 20, "Article 1 Objectives")
    pdf.output(str(path))


def _blank_pdf(path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.output(str(path))


@pytest.mark.parametrize(
    ("name", "make", "problem", "fix"),
    [
        ("empty.pdf", lambda p: p.write_bytes(b""), "is empty", "complete file"),
        ("notes.pdf", lambda p: p.write_text("just some notes"), "is not a PDF", ""),
        ("broken.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n1 0 obj <<\n%%garbage"), "corrupt", "download"),
        ("scanned.pdf", _scanned_pdf, "no text layer", "OCR"),
        ("locked.pdf", _encrypted_pdf, "encrypted", "decrypt"),
        ("blank.pdf", _blank_pdf, "no text on any page", ""),
    ],
)
@pytest.mark.parametrize("engine", PDF_ENGINES)
def test_bad_pdfs_get_clear_errors_naming_the_file(tmp_path, name, make, problem, fix, engine):
    path = tmp_path / name
    make(path)
    with pytest.raises(SourceError) as caught:
        read_document(path, pdf_engine=engine)
    message = str(caught.value)
    assert str(path) in message and problem in message
    assert fix in caught.value.fix


def test_a_bad_file_does_not_stop_the_run(tmp_path, two_column_pdf, caplog):
    bad = tmp_path / "empty.pdf"
    bad.write_bytes(b"")
    caplog.set_level(logging.WARNING)
    results = list(parse_files_parallel([bad, two_column_pdf, bad], workers=2))
    assert [type(r).__name__ for r in results] == ["SourceError", "Document", "SourceError"]
    assert str(bad) in str(results[0])

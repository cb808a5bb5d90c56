"""Footnotes: read from official-style PDFs with both engines, attached to their provisions,
stored, and cited as "Art. 12.2(2), fn. 3"."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.classify.documents import AnalysedDocument
from pipeline.model import ParagraphPrediction, Prediction
from pipeline.nlp.paragraphs import split_paragraphs
from pipeline.sources.files import read_document
from pipeline.sources.pdf import PDF_ENGINES
from pipeline.store import open_database
from pipeline.store.writes import write_documents

from pdf_render import FONT_DIR, Block, PageStyle, render_pdf

pytestmark = pytest.mark.skipif(not (FONT_DIR / "DejaVuSerif.ttf").exists(), reason="test font missing")

SENTENCES = (
    "Each Party shall adopt or maintain a legal framework governing electronic transactions consistent "
    "with the principles of the UNCITRAL Model Law on Electronic Commerce 1996.",
    "No Party shall require a covered person to use or locate computing facilities in that Party's territory "
    "as a condition for conducting business in that territory.",
    "The Parties shall endeavour to cooperate on matters relating to cybersecurity, including the exchange "
    "of information and experience on legislation, regulations and best practices.",
)


def _blocks() -> list[Block]:
    blocks = [Block("chapter", "CHAPTER 12", label="12"), Block("title", "ELECTRONIC COMMERCE")]
    titles = ("Definitions", "Scope", "Electronic Authentication and Electronic Signature", "Cooperation",
              "Location of Computing Facilities", "Cybersecurity")
    for n, title in enumerate(titles, start=1):
        blocks.append(Block("article", f"Article 12.{n}: {title}", marker=n % 2 == 0, new_page=n == 4))
        for k in range(1, 4):
            blocks.append(Block("para", f"{k}. {SENTENCES[(n + k) % 3]} {SENTENCES[(n + 2 * k) % 3]}"))
    return blocks


@pytest.fixture(scope="module")
def official_pdf(tmp_path_factory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("footnotes") / "chapter-12.pdf"
    style = PageStyle(running_header=None, page_number=None, page_label="{label}-{n}", chapter_new_page=True,
                      centre_headings=True, footnote_every=2, heading_width=0.6)
    result = render_pdf(_blocks(), path, style)
    return path, result.footnotes


@pytest.mark.parametrize("engine", PDF_ENGINES)
def test_every_footnote_is_attached_once_to_its_provision(official_pdf, engine):
    path, notes = official_pdf
    document = read_document(path, pdf_engine=engine)
    provisions = {p.id: p for p in document.provisions}
    stored = {f.marker: f for f in document.footnotes}
    assert len(document.footnotes) == len(notes) == len(stored)
    for note in notes:
        marker, text = note.split(" ", 1)
        footnote = stored[marker]
        assert footnote.text == text
        provision = provisions[footnote.provision_id]
        if "the heading" in text:  # a reference glued to an article heading ("Scope2")
            assert footnote.placement == "heading"
            assert provision.article_title in text and not provision.article_title[-1].isdigit()
        else:  # a superscript after the last word of a paragraph
            assert footnote.placement == "text"
            before = provision.text[: footnote.char_offset]
            assert before.endswith(".") and footnote.char_offset > 0
            quoted = text.split("“", 1)[1].rstrip("”.")
            paragraph_start = before.rfind("\n") + 1
            assert provision.text[paragraph_start:].startswith(quoted[:20])
        assert provision.page_start <= footnote.page <= provision.page_end


def test_footnotes_are_stored_and_cited_with_their_paragraph(official_pdf, tmp_path):
    path, _ = official_pdf
    document = read_document(path)
    # Paragraph rows as the classifier writes them for labelled provisions.
    predictions = []
    for provision in document.provisions:
        rows = tuple(ParagraphPrediction(p.index, p.number, p.kind, p.start, p.end, "binding", ("e_commerce",))
                     for p in split_paragraphs(provision.text))
        predictions.append(Prediction(provision.id, ("e_commerce",), {"e_commerce": 0.9}, "hard", (), "test",
                                      paragraphs=rows))
    connection = open_database(tmp_path / "db.duckdb")
    for run in ("run1", "run2"):  # replaced with their agreement, never duplicated
        write_documents(connection, [AnalysedDocument(document, tuple(predictions))], run)
        assert connection.execute("SELECT count(*) FROM footnotes").fetchone()[0] == len(document.footnotes)
    citations = dict(connection.execute(
        "SELECT marker, citation FROM footnote_citations ORDER BY page, marker").fetchall())
    in_text = [f for f in document.footnotes if f.placement == "text"]
    on_heading = [f for f in document.footnotes if f.placement == "heading"]
    assert in_text and on_heading
    for footnote in in_text:
        provision = next(p for p in document.provisions if p.id == footnote.provision_id)
        line_start = provision.text.rfind("\n", 0, footnote.char_offset) + 1
        paragraph_no = provision.text[line_start:].split(".", 1)[0]
        assert citations[footnote.marker] == f"Art. {provision.article_no}({paragraph_no}), fn. {footnote.marker}"
    for footnote in on_heading:
        provision = next(p for p in document.provisions if p.id == footnote.provision_id)
        assert citations[footnote.marker] == f"Art. {provision.article_no}, fn. {footnote.marker}"
    write_documents(connection, [AnalysedDocument(replace(document, footnotes=()), tuple(predictions))], "run3")
    assert connection.execute("SELECT count(*) FROM footnotes").fetchone()[0] == 0


def test_heading_references_in_text_sources_are_kept_without_note_text(tmp_path):
    path = tmp_path / "chapter.txt"
    path.write_text("CHAPTER 12\nELECTRONIC COMMERCE\nArticle 12.1: Scope3\nThis Chapter applies to trade.\n"
                    "Article 12.2: Cooperation\nThe Parties shall cooperate.\n", encoding="utf-8")
    document = read_document(path)
    assert [(f.provision_id, f.marker, f.text, f.placement) for f in document.footnotes] == [
        ("text:chapter:0", "3", None, "heading")]
    assert document.provisions[0].article_title == "Scope"

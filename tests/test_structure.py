"""Legal-structure parser: heading styles, cross-references, contents lists, offsets, pages."""

from __future__ import annotations

import random

import pytest

from pipeline.structure import ParsedArticle, parse_articles

import tota_samples as samples


def articles(text: str, **kwargs) -> list[ParsedArticle]:
    return [a for a in parse_articles(text, **kwargs) if a.kind == "article"]


def test_chapter_and_numbered_article_with_colon_title():
    text = (
        "CHAPTER 14 ELECTRONIC COMMERCE\n"
        "Article 14.10: Paperless Trading\n"
        "Each Party shall endeavour to accept documents in electronic form.\n"
        "Article 14.11: Cross-Border Transfer of Information by Electronic Means\n"
        "1. The Parties recognise that each Party may have its own regulatory requirements.\n"
        "2. Each Party shall allow the cross-border transfer of information by electronic means.\n"
    )
    found = articles(text)
    assert [(a.article_no, a.article_title) for a in found] == [
        ("14.10", "Paperless Trading"),
        ("14.11", "Cross-Border Transfer of Information by Electronic Means"),
    ]
    assert found[1].chapter == "ELECTRONIC COMMERCE"
    assert found[1].chapter_no == "14"
    assert [p.number for p in found[1].paragraphs] == ["1", "2"]


@pytest.mark.parametrize(
    ("heading", "number", "title"),
    [
        ("ARTICLE 5\nElectronic Authentication", "5", "Electronic Authentication"),
        ("Article 5 Electronic Authentication", "5", "Electronic Authentication"),
        ("Article 5 – Electronic Authentication", "5", "Electronic Authentication"),
        ("Article 5 (Electronic Authentication)", "5", "Electronic Authentication"),
        ("Art. 3bis Electronic Signatures", "3bis", "Electronic Signatures"),
        ("ARTICLE XXIV\nCustoms Unions", "XXIV", "Customs Unions"),
        ("Article One\nEstablishment", "1", "Establishment"),
        ("ARTICLE TWENTY-ONE\nEntry into Force", "21", "Entry into Force"),
        ("ARTÍCULO 1-01: Establecimiento de la Zona de Libre Comercio", "1-01",
         "Establecimiento de la Zona de Libre Comercio"),
        ("Artículo 15.3 Comercio sin papel", "15.3", "Comercio sin papel"),
        ("Article premier\nObjet", "1", "Objet"),
        ("Article 1er : Objet", "1", "Objet"),
    ],
)  # fmt: skip
def test_article_heading_styles(heading, number, title):
    text = f"{heading}\nThe Parties shall cooperate in this field.\n"
    (found,) = articles(text)
    assert (found.article_no, found.article_title) == (number, title)
    assert found.text == "The Parties shall cooperate in this field."


def test_spanish_and_french_chapters():
    text = (
        "Capítulo 15 Comercio Electrónico\nArtículo 15.1: Definiciones\nPara los efectos de este Capítulo.\n"
        "Chapitre III Commerce électronique\nArticle 30\nObjectif\nLes Parties reconnaissent la croissance.\n"
    )
    found = articles(text)
    assert [(a.chapter, a.article_no, a.article_title) for a in found] == [
        ("Comercio Electrónico", "15.1", "Definiciones"),
        ("Commerce électronique", "30", "Objectif"),
    ]


def test_cross_references_at_line_start_are_not_headings():
    # Hard-wrapped text: lines start with "Article ..." that continue a sentence.
    text = (
        "Article 3: Scope\n"
        "This Chapter applies to measures adopted in accordance with\n"
        "Article 22 of this Agreement and with\n"
        "Article XXIV of the GATT 1994, as well as the rights under\n"
        "Article 5, which the Parties affirm.\n"
        "Article 4: Definitions\n"
        "For the purposes of this Chapter the following definitions apply.\n"
    )
    found = articles(text)
    assert [a.article_no for a in found] == ["3", "4"]
    assert "Article XXIV of the GATT 1994" in found[0].text


def test_sentence_after_bare_heading_is_not_taken_for_a_title():
    text = "ARTICLE 7\nThe Parties shall exchange information.\nARTICLE 8\nThe Joint Committee shall meet.\n"
    found = articles(text)
    assert [(a.article_no, a.article_title, a.text) for a in found] == [
        ("7", None, "The Parties shall exchange information."),
        ("8", None, "The Joint Committee shall meet."),
    ]


def test_table_of_contents_entries_are_dropped():
    text = (
        "TABLE OF CONTENTS\nArticle 1 Objectives\nArticle 2 Definitions\n\n"
        "Article 1 Objectives\nThe objectives of this Agreement are set out here.\n"
        "Article 2 Definitions\nFor the purposes of this Agreement the terms mean.\n"
    )
    found = articles(text)
    assert [a.article_no for a in found] == ["1", "2"]
    assert found[0].text.startswith("The objectives")


def test_preamble_annex_side_letter_and_closing():
    text = (
        "AGREEMENT BETWEEN A AND B\nThe Parties, desiring to strengthen their ties, have agreed as follows:\n"
        "Article 1: Objective\nThis Agreement establishes a free trade area.\n"
        "IN WITNESS WHEREOF, the undersigned have signed this Agreement.\n"
        "ANNEX 14-A\nSCHEDULE OF PARTY A\nThe measures listed below.\n"
        "Side Letter on Data Localisation\nExcellency, I have the honour to confirm our understanding.\n"
    )
    kinds = [(a.kind, a.article_no, a.chapter) for a in parse_articles(text)]
    assert kinds == [
        ("preamble", None, None),
        ("article", "1", None),
        ("conclusion", None, None),
        ("annex", None, "ANNEX 14-A: SCHEDULE OF PARTY A"),
        ("side_letter", None, "Side Letter on Data Localisation"),
    ]


def test_done_at_ends_the_last_article():
    text = (
        "Article 9 Entry into Force\nThis Agreement enters into force on signature.\n"
        "Done at Bern, this 28th day of April 2016.\n"
    )
    parsed = parse_articles(text)
    assert [(a.kind, a.text) for a in parsed] == [
        ("article", "This Agreement enters into force on signature."),
        ("conclusion", "Done at Bern, this 28th day of April 2016."),
    ]


def test_offsets_slice_the_source_and_pages_follow_offsets():
    text = "Preamble text.\nArticle 1\nFirst body.\nArticle 2\nSecond body\nruns on.\n"
    second_page = text.index("Second body") + 3  # page 2 starts inside article 2
    parsed = parse_articles(text, page_offsets=(0, second_page))
    for unit in parsed:
        assert text[unit.char_start : unit.char_end] == unit.text
    by_no = {a.article_no: a for a in parsed}
    assert (by_no["1"].page_start, by_no["1"].page_end) == (1, 1)
    assert (by_no["2"].page_start, by_no["2"].page_end) == (1, 2)


def test_emphasis_makes_a_sentence_case_heading_line_a_title():
    text = "Article 3\nCross-border transfer of information\nEach Party shall allow transfers.\n"
    start = text.index("Cross")
    emphasis = [(0, 9), (start, start + len("Cross-border transfer of information"))]
    (found,) = articles(text, emphasis=emphasis)
    assert found.article_title == "Cross-border transfer of information"
    assert found.text == "Each Party shall allow transfers."


def test_markdown_decoration_is_tolerated():
    text = "## Article 2: Scope\nThis Chapter applies to trade.\n**Article 3: Definitions**\nTerms.\n"
    assert [(a.article_no, a.article_title) for a in articles(text)] == [("2", "Scope"), ("3", "Definitions")]


@pytest.mark.skipif(not samples.corpus_available(), reason="ToTA corpus not found beside the repository")
def test_plain_text_round_trip_over_many_tota_agreements():
    """Layouts the PDF tests do not use: ToTA agreements as plain text in random heading styles."""
    rng = random.Random(4)
    pool = [
        i for i in range(1, 449)
        if i not in samples.holdout_ids() and (samples.TOTA_XML / f"pta_{i}.xml").exists()
    ]  # fmt: skip
    chosen, totals = [], [0, 0, 0]
    for treaty_id in rng.sample(pool, 80):
        sample = samples.load_agreement(treaty_id)
        n = len(samples.expected_articles(sample))
        if sample.merged_articles or not 5 <= n <= 150:
            continue
        chosen.append(treaty_id)
        style = rng.choice(samples.STYLES)
        blocks = samples.to_blocks(sample, style)
        text = "\n".join(block.text for block in blocks)
        found = [(a.article_no, a.text) for a in articles(text)]
        score = samples.score(sample, found)
        totals = [totals[0] + score.expected, totals[1] + score.found, totals[2] + score.matched]
        if len(chosen) == 30:
            break
    assert len(chosen) == 30
    precision, recall = totals[2] / totals[1], totals[2] / totals[0]
    assert precision >= 0.98 and recall >= 0.98, (precision, recall)


# -- official layouts (issue 12): what a reader leaves of an official PDF's page ----------------

OFFICIAL_TEXT = """CHAPTER 12
ELECTRONIC COMMERCE1
Section A
General Provisions
Article 12.1: Definitions
For the purposes of this Chapter, digital product means a computer programme.
Article 12.2: Scope3
1. This Chapter shall apply to measures affecting trade by electronic means.
2. This Chapter shall not apply to government procurement.
12-4
Article 12.3: Electronic Authentication and Electronic
Signature4
1. Except in circumstances otherwise provided for under its law, a Party shall not deny the
legal validity of a signature solely on the basis that the signature is in electronic form.
Article 12.4: Appropriate Measures against
Anti-Competitive Activities
Each Party shall adopt or maintain measures to proscribe anti-competitive business conduct
12-5
Article 12.5: Cooperation5
The Parties shall cooperate.
ANNEX 12-A
CONTACT POINTS
1. Each Party shall designate a contact point.
CHAPTER 13
COMPETITION
13-1
Article 13.1: Objectives
The Parties recognise the importance of competition.
ANNEX 13A
TRANSPARENCY
1. Each Party shall publish its measures.
"""


def test_official_layout_patterns_in_text():
    articles = parse_articles(OFFICIAL_TEXT)
    found = [(a.kind, a.article_no, a.article_title, a.chapter, a.section, a.footnote_refs) for a in articles]
    assert found == [
        ("article", "12.1", "Definitions", "ELECTRONIC COMMERCE", "Section A: General Provisions", ("1",)),
        ("article", "12.2", "Scope", "ELECTRONIC COMMERCE", "Section A: General Provisions", ("3",)),
        ("article", "12.3", "Electronic Authentication and Electronic Signature", "ELECTRONIC COMMERCE",
         "Section A: General Provisions", ("4",)),
        ("article", "12.4", "Appropriate Measures against Anti-Competitive Activities", "ELECTRONIC COMMERCE",
         "Section A: General Provisions", ()),
        ("article", "12.5", "Cooperation", "ELECTRONIC COMMERCE", "Section A: General Provisions", ("5",)),
        ("annex", None, "CONTACT POINTS", "ANNEX 12-A: CONTACT POINTS", None, ()),
        ("article", "13.1", "Objectives", "COMPETITION", None, ()),
        ("annex", None, "TRANSPARENCY", "ANNEX 13A: TRANSPARENCY", None, ()),
    ]
    # The chapter heading's own reference ("COMMERCE1") goes with the chapter's first article.
    assert articles[4].text == "The Parties cooperate.".replace("cooperate", "shall cooperate")


def test_page_labels_and_glued_numbers_that_are_not_references():
    assert parse_articles("Article 1: Cooperation with the G20\nThe Parties cooperate.\n")[0].footnote_refs == ()
    text = "Article 1.1: Scope\nThe Parties agree.\nA-3\nArticle 1.2: Annex 2\nThe Parties shall report.\n"
    articles = parse_articles(text)
    assert [(a.article_no, a.article_title, a.footnote_refs) for a in articles] == [
        ("1.1", "Scope", ()), ("1.2", "Annex 2", ())]

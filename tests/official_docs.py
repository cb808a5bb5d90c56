"""Digital-trade chapters typeset as publishers serve them (tests only): official-style PDFs
(chapter-page labels, two-line capitals chapter headings, sections, footnote references on
headings, headings at page tops) and HTML pages, for the post-2016 manifest's entries."""

from __future__ import annotations

import html
from pathlib import Path

from pdf_render import Block, PageStyle, render_pdf

# (title, text) of digital-trade articles as recent agreements word them.
ARTICLES = (
    ("Definitions", "For the purposes of this Chapter, computing facilities means computer servers and storage "
     "devices for processing or storing information for commercial use."),
    ("Customs Duties", "No Party shall impose customs duties on electronic transmissions, including content "
     "transmitted electronically, between a person of one Party and a person of another Party."),
    ("Electronic Authentication and Electronic Signatures", "Except in circumstances otherwise provided for "
     "under its law, a Party shall not deny the legal validity of a signature solely on the basis that the "
     "signature is in electronic form."),
    ("Personal Information Protection", "Each Party shall adopt or maintain a legal framework that provides "
     "for the protection of the personal information of the users of digital trade."),
    ("Cross-Border Transfer of Information by Electronic Means", "No Party shall prohibit or restrict the "
     "cross-border transfer of information, including personal information, by electronic means if this "
     "activity is for the conduct of the business of a covered person."),
    ("Location of Computing Facilities", "No Party shall require a covered person to use or locate computing "
     "facilities in that Party's territory as a condition for conducting business in that territory."),
    ("Source Code", "No Party shall require the transfer of, or access to, source code of software owned by a "
     "person of another Party as a condition for the import, distribution, sale or use of such software."),
    ("Unsolicited Commercial Electronic Messages", "Each Party shall adopt or maintain measures regarding "
     "unsolicited commercial electronic messages sent to an electronic mail address."),
    ("Cybersecurity", "The Parties recognise that threats to cybersecurity undermine confidence in digital "
     "trade and shall endeavour to build the capabilities of their national entities responsible for "
     "cybersecurity incident response."),
)


def official_pdf(path: Path, chapter: int, name: str, *, label_at: str = "bottom") -> Path:
    blocks = [Block("chapter", f"CHAPTER {chapter}", label=str(chapter)), Block("title", name.upper()),
              Block("section", "Section A"), Block("title", "General Provisions")]
    for n, (title, text) in enumerate(ARTICLES, start=1):
        if n == 5:
            blocks += [Block("section", "Section B"), Block("title", "Data Flows")]
        blocks.append(Block("article", f"Article {chapter}.{n}: {title}", marker=n in (2, 6), new_page=n == 4))
        blocks += [Block("para", f"1. {text}"), Block("para", f"2. {ARTICLES[(n + 3) % len(ARTICLES)][1]}")]
    blocks += [Block("annex", f"ANNEX {chapter}-A", label=f"{chapter}A"), Block("title", "CONTACT POINTS"),
               Block("para", "Each Party shall designate a contact point for matters covered by this Chapter.")]
    style = PageStyle(running_header=None, page_number=None, page_label="{label}-{n}", page_label_at=label_at,
                      chapter_new_page=True, centre_headings=True, heading_width=0.6, footnote_every=3)
    render_pdf(blocks, path, style)
    return path


def official_html(path: Path, chapter: int, name: str) -> Path:
    body = [f"<h2>CHAPTER {chapter}</h2><h2>{html.escape(name.upper())}</h2>"]
    for n, (title, text) in enumerate(ARTICLES, start=1):
        body.append(f"<h3>Article {chapter}.{n}</h3><h3>{html.escape(title)}</h3><p>1. {html.escape(text)}</p>")
    path.write_text(f"<html><head><title>{html.escape(name)}</title></head><body>{''.join(body)}</body></html>",
                    encoding="utf-8")
    return path

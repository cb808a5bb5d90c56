"""A folder of ToTA XML, PDF, HTML and text files with a manifest refreshes into one database."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from pipeline import flows
from pipeline.sources import OTHER_SUFFIXES, list_source_files
from pipeline.sources.files import SUPPORTED_SUFFIXES

from pdf_render import Block, PageStyle, render_pdf

E_COMMERCE = [
    ("14.1", "Definitions", "For the purposes of this Chapter, computing facilities means computer servers."),
    ("14.2", "Customs Duties", "No Party shall impose customs duties on electronic transmissions, including "
     "content transmitted electronically, between a person of one Party and a person of another Party."),
    ("14.3", "Location of Computing Facilities", "No Party shall require a covered person to use or locate "
     "computing facilities in that Party's territory as a condition for conducting business in that territory."),
]

MANIFEST = """
[[agreement]]
file = "digital.pdf"
id = "dea"
name = "Digital Economy Agreement"
parties = ["AAA", "BBB"]
date_signed = 2020-06-12
language = "en"

[[agreement]]
file = "online.html"
name = "Online Trade Agreement"
parties = ["CCC", "DDD"]
date_signed = "2019-01-30"
"""


def build_folder(folder: Path, tota_dir: Path) -> None:
    shutil.copy(tota_dir / "pta_63.xml", folder)
    blocks = [Block("chapter", "CHAPTER 14 ELECTRONIC COMMERCE")]
    for number, title, text in E_COMMERCE:
        blocks += [Block("article", f"Article {number}: {title}"), Block("para", text)]
    render_pdf(blocks, folder / "digital.pdf", PageStyle(columns=1))
    articles = "".join(f"<h3>Article {n}: {t}</h3><p>{x}</p>" for n, t, x in E_COMMERCE)
    (folder / "online.html").write_text(
        f"<html><head><title>Online</title><script>alert(1)</script></head><body><h2>CHAPTER 14 ELECTRONIC "
        f"COMMERCE</h2>{articles}</body></html>")
    (folder / "notes.txt").write_text("ARTICLE 1\nUnsolicited Commercial Electronic Messages\n\nEach Party shall "
                                      "adopt or maintain measures regarding unsolicited commercial electronic "
                                      "messages.\n\nARTICLE 2\nFinal Provisions\n\nThis Agreement enters into force.\n")
    (folder / "sources.toml").write_text(MANIFEST)


def test_suffix_lists_agree() -> None:
    assert OTHER_SUFFIXES == SUPPORTED_SUFFIXES


def test_mixed_folder_refreshes_into_one_database(tmp_path: Path, tota_dir: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    build_folder(folder, tota_dir)
    assert [p.name for p in list_source_files(folder)] == ["pta_63.xml", "digital.pdf", "notes.txt", "online.html"]
    db = tmp_path / "mixed.duckdb"
    summary = flows.refresh(source=str(folder), db_path=str(db), workers=1)
    assert summary.agreements_written == 4 and not summary.errors
    with duckdb.connect(str(db), read_only=True) as connection:
        sources = dict(connection.execute("SELECT agreement_id, source FROM agreements").fetchall())
        assert sources == {"tota:63": "tota", "pdf:dea": "pdf", "html:online": "html", "text:notes": "text"}
        name, parties, signed = connection.execute(
            "SELECT name, parties, date_signed::VARCHAR FROM agreements WHERE agreement_id = 'pdf:dea'").fetchone()
        assert (name, parties, signed) == ("Digital Economy Agreement", ["AAA", "BBB"], "2020-06-12")
        pdf_rows = connection.execute(
            "SELECT p.article_no, p.article_title, p.page_start, pr.labels FROM provisions p JOIN predictions pr "
            "USING (provision_id) WHERE p.agreement_id = 'pdf:dea' AND len(pr.labels) > 0 ORDER BY p.article_no"
        ).fetchall()
        assert [r[0] for r in pdf_rows] == ["14.2", "14.3"]
        assert all(r[2] == 1 for r in pdf_rows)
        assert "data_localization" in pdf_rows[1][3]
        assert "customs_duties_electronic_transmissions" in pdf_rows[0][3]
        html_labels = connection.execute(
            "SELECT list_sort(flatten(list(labels))) FROM clauses WHERE agreement_id = 'html:online'").fetchone()[0]
        assert "data_localization" in html_labels
        text_rows = connection.execute("SELECT labels FROM clauses WHERE agreement_id = 'text:notes'").fetchall()
        assert text_rows == [(["unsolicited_messages"],)]

"""HTML, text and Markdown sources, the manifest, language detection and records."""

from __future__ import annotations

import logging
import socket
from datetime import date
from pathlib import Path

import pytest

from pipeline.errors import SourceError
from pipeline.sources.files import (
    SUPPORTED_SUFFIXES,
    discover_inputs,
    parse_files_parallel,
    provisions_as_records,
    read_document,
)
from pipeline.sources.html import html_to_text
from pipeline.sources.language import detect_language
from pipeline.sources.manifest import load_manifest
from pipeline.sources.text import plain_text

REPO = Path(__file__).resolve().parents[1]

HTML = """<!DOCTYPE html>
<html><head><title>Agreement between A and B</title>
<meta charset="utf-8">
<script>document.write("INJECTED"); fetch("http://example.invalid/x")</script>
<style>p { color: red } /* STYLED */</style>
<link rel="stylesheet" href="http://example.invalid/site.css">
</head>
<body>
<nav><script src="http://example.invalid/app.js"></script></nav>
<h1>CHAPTER 14<br>ELECTRONIC COMMERCE</h1>
<h2>Article 14.1</h2><h3>Definitions</h3>
<p>For the purposes of this Chapter: &ldquo;electronic transmission&rdquo; means a transmission
made using any electromagnetic means.</p>
<img src="http://example.invalid/logo.png" onerror="alert(1)">
<p><b>Article 14.2: Scope</b></p>
<p>1. This Chapter shall apply to measures adopted by a Party &amp; affecting trade.</p>
<p>2. It shall not apply to government procurement.</p>
<template><p>TEMPLATE TEXT</p></template>
<table><tr><td>Article 22 of the GATT</td><td>applies</td></tr></table>
</body></html>
"""


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything tries to open a socket."""

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_html_markup_stripped_safely(no_network):
    result = html_to_text(HTML.encode("utf-8"))
    for hidden in ("INJECTED", "STYLED", "TEMPLATE TEXT", "example.invalid", "alert"):
        assert hidden not in result.text
    assert "“electronic transmission”" in result.text and "Party & affecting" in result.text
    assert result.title == "Agreement between A and B"
    emphasized = [result.text[a:b] for a, b in result.emphasis]
    assert "Article 14.2: Scope" in emphasized and "Definitions" in emphasized


def test_html_document_structure(tmp_path, no_network):
    path = tmp_path / "ab-fta.html"
    path.write_text(HTML, encoding="utf-8")
    doc = read_document(path)
    assert doc.agreement.id == "html:ab-fta" and doc.agreement.name == "Agreement between A and B"
    records = provisions_as_records(doc)
    assert [(r["chapter"], r["article_no"], r["article_title"]) for r in records] == [
        ("ELECTRONIC COMMERCE", "14.1", "Definitions"),
        ("ELECTRONIC COMMERCE", "14.2", "Scope"),
    ]
    assert records[1]["text"].startswith("1. This Chapter shall apply")
    assert "Article 22 of the GATT applies" in records[1]["text"]
    assert set(records[0]) == {"chapter", "article_no", "article_title", "text", "page_start", "page_end"}
    assert records[0]["page_start"] is None


def test_plain_text_with_form_feeds_gets_pages(tmp_path):
    path = tmp_path / "pdftotext-export.txt"
    path.write_bytes(
        "Article 1\r\nObjectives\r\nThe Parties establish a free trade area.\r\n\fArticle 2\r\nDefinitions\r\n"
        "For the purposes of this Agreement the terms mean.\r\n".encode("cp1252")
    )
    doc = read_document(path)
    assert doc.agreement.id == "text:pdftotext-export"
    assert [(p.article_no, p.article_title, p.page_start, p.page_end) for p in doc.provisions] == [
        ("1", "Objectives", 1, 1),
        ("2", "Definitions", 2, 2),
    ]


def test_markdown_headings_and_hard_wrapped_text(tmp_path):
    path = tmp_path / "chapter.md"
    path.write_text(
        "# Chapter 8: Digital Trade\n\n## Article 8.3: Paperless trading\n\nEach Party shall make\n"
        "available to the public, in accordance with\nArticle 8.1 of this Chapter, electronic versions.\n\n"
        "## Article 8.4: Electronic authentication\n\nNo Party shall deny legal validity to a signature.\n",
        encoding="utf-8",
    )
    doc = read_document(path)
    assert [(p.chapter, p.article_no, p.article_title) for p in doc.provisions] == [
        ("Digital Trade", "8.3", "Paperless trading"),
        ("Digital Trade", "8.4", "Electronic authentication"),
    ]
    assert "Article 8.1 of this Chapter" in doc.provisions[0].text
    assert plain_text("a\fb").page_offsets == (0, 2)


def test_empty_and_binary_text_files_fail_clearly(tmp_path):
    empty, binary = tmp_path / "empty.txt", tmp_path / "binary.txt"
    empty.write_text("   \n")
    binary.write_bytes(b"\x00\x01\x02PK")
    for path, problem in ((empty, "is empty"), (binary, "is binary")):
        with pytest.raises(SourceError, match=problem) as caught:
            read_document(path)
        assert str(path) in str(caught.value)


def test_unsupported_suffix_names_what_is_supported(tmp_path):
    path = tmp_path / "agreement.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(SourceError, match="unsupported type '.docx'"):
        read_document(path)
    assert {".pdf", ".html", ".htm", ".txt", ".md"} <= SUPPORTED_SUFFIXES


# -- manifest ---------------------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


ARTICLE_TEXT = "Article 1: Scope\nThis Agreement applies to trade between the Parties and to the measures of each Party.\n"


def test_manifest_metadata_sidecar_and_missing_warning(tmp_path, caplog):
    _write(tmp_path / "sources.toml", """
[[agreement]]
file = "ab.txt"
id = "ab-2019"
name = "A - B Free Trade Agreement"
parties = ["aaa", "BBB"]
date_signed = 2019-05-02
type = "Free Trade Agreement"
language = "en"

[[agreement]]
directory = "cd"
name = "C - D Economic Partnership"
date_signed = "2021-01-31"
""")  # fmt: skip
    _write(tmp_path / "ab.txt", ARTICLE_TEXT)
    _write(tmp_path / "ef.txt", ARTICLE_TEXT)
    _write(tmp_path / "ef.txt.toml", 'name = "E - F Agreement"\nparties = ["EEE", "FFF"]\n')
    _write(tmp_path / "gh.txt", ARTICLE_TEXT)
    _write(tmp_path / "cd" / "chapter-10.txt", "Article 10.1: Scope\nChapter ten applies to services.\n")
    _write(tmp_path / "cd" / "chapter-2.txt", "Article 2.1: Scope\nChapter two applies to goods.\n")

    manifest = load_manifest(tmp_path)
    inputs = discover_inputs(tmp_path, manifest)
    assert [p.name for p in inputs] == ["cd", "ab.txt", "ef.txt", "gh.txt"]
    caplog.set_level(logging.WARNING)
    docs = {d.agreement.id: d for d in (read_document(p, manifest=manifest) for p in inputs)}

    ab = docs["text:ab-2019"].agreement
    assert (ab.name, ab.parties, ab.date_signed, ab.type, ab.language) == (
        "A - B Free Trade Agreement", ("AAA", "BBB"), date(2019, 5, 2), "Free Trade Agreement", "en",
    )  # fmt: skip
    assert docs["text:ef"].agreement.parties == ("EEE", "FFF")
    cd = docs["text:cd"]
    assert cd.agreement.date_signed == date(2021, 1, 31)
    assert [p.article_no for p in cd.provisions] == ["2.1", "10.1"]  # natural order of the parts
    assert docs["text:gh"].agreement.name == "gh"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "gh.txt" in warnings[0] and "no metadata" in warnings[0]


def test_language_detected_when_not_given(tmp_path):
    path = _write(tmp_path / "tratado.txt", (
        "Artículo 1: Objetivos\nLas Partes establecen una zona de libre comercio de conformidad con lo "
        "dispuesto en el Artículo XXIV del GATT de 1994 y el Artículo V del AGCS. Los objetivos de este "
        "Tratado, desarrollados de manera específica a través de sus principios y reglas, son los siguientes.\n"
    ))  # fmt: skip
    assert read_document(path).agreement.language == "es"
    assert detect_language("too short") is None


def test_invalid_manifest_fails_naming_it(tmp_path):
    _write(tmp_path / "sources.toml", '[[agreement]]\nfile = "x.pdf"\ndate_signed = "May 2019"\n')
    with pytest.raises(SourceError, match="is not YYYY-MM-DD") as caught:
        load_manifest(tmp_path)
    assert "sources.toml" in str(caught.value)
    _write(tmp_path / "sources.toml", '[[agreement]]\nfile = "x.pdf"\nsigned = 2019\n')
    with pytest.raises(SourceError, match="unknown keys: signed"):
        load_manifest(tmp_path)


def test_example_manifest_is_valid(tmp_path):
    """The shipped manifest is all comments; its examples, uncommented as it tells users to,
    must load as the entries they describe."""
    path = REPO / "corpora" / "sources.toml"
    text = path.read_text(encoding="utf-8")
    assert load_manifest(path.parent).entries == ()
    examples = text.split("# Examples (remove the leading \"# \" to use them):", 1)[1]
    uncommented = "\n".join(line.removeprefix("#").removeprefix(" ") for line in examples.splitlines())
    _write(tmp_path / "sources.toml", uncommented)
    entries = load_manifest(tmp_path).entries
    assert len(entries) == uncommented.count("[[agreement]]") >= 4
    by_id = {e.id: e for e in entries}
    assert by_id["cptpp-14"].treaty == by_id["cptpp-14-es"].treaty == "cptpp"
    assert by_id["rcep"].directory == "rcep" and len(by_id["rcep"].parties) == 15


def test_parallel_reading_keeps_input_order(tmp_path):
    paths = []
    for n in range(4):
        paths.append(_write(tmp_path / f"doc{n}.txt", f"Article {n + 1}: Title\nBody of document {n} here.\n"))
    results = list(parse_files_parallel(paths, workers=2))
    assert [r.agreement.id for r in results] == [f"text:doc{n}" for n in range(4)]

"""`cybernorms sources check MANIFEST`: per entry, does the URL answer and does the text parse?

`check_manifest` fetches (pipeline.sources.remote) and reads each text; `entry_check` turns
what happened into one report row and is pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import SourceError
from pipeline.model import Document
from pipeline.sources.download import DEFAULT_RETRIES
from pipeline.sources.files import read_document
from pipeline.sources.manifest import load_manifest
from pipeline.sources.pdf import DEFAULT_PDF_ENGINE
from pipeline.sources.remote import EntryFetch, fetch_manifest


@dataclass(frozen=True, slots=True)
class EntryCheck:
    id: str
    name: str
    url: str | None
    answers: str  # "HTTP 200", "HTTP 404", "no answer", "no url (manual download)", ...
    ok: bool  # a text is at hand and parses into at least one article
    articles: int | None  # articles found in the text (None: no text to parse)
    problem: str | None  # what to do about it


def entry_check(fetch: EntryFetch, parsed: Document | SourceError | None) -> EntryCheck:
    entry = fetch.entry
    if entry.url is None:
        answers = "no url (manual download)"
    elif fetch.status is None:
        answers = "no answer"
    else:
        answers = f"HTTP {fetch.status}"
    if fetch.from_cache and fetch.status not in (304,):
        answers += ", cached copy used"
    articles = None
    problem = fetch.error
    if isinstance(parsed, SourceError):
        problem = str(parsed)
    elif parsed is not None:
        articles = sum(1 for p in parsed.provisions if p.article_no is not None)
        if articles == 0:
            problem = (f"{fetch.path}: no articles found: check that the address serves the agreement's "
                       f"text rather than a page about it (`cybernorms parse {fetch.path}`)")
    return EntryCheck(entry.id or _name(fetch), entry.name or _name(fetch), entry.url, answers,
                      bool(articles), articles, problem)


def _name(fetch: EntryFetch) -> str:
    return fetch.entry.files[0] if fetch.entry.files else ""


def check_manifest(
    manifest_path: Path, folder: Path, *, pdf_engine: str = DEFAULT_PDF_ENGINE, retries: int = DEFAULT_RETRIES,
    timeout: float = 30.0,
) -> list[EntryCheck]:
    """Fetch every entry of the manifest into `folder` and read it; one row per entry."""
    fetched = fetch_manifest(manifest_path, folder, retries=retries, timeout=timeout)
    manifest = load_manifest(fetched.folder)
    rows = []
    for fetch in fetched.entries:
        parsed: Document | SourceError | None = None
        if fetch.path is not None:
            try:
                parsed = read_document(fetch.path, pdf_engine=pdf_engine, manifest=manifest)
            except SourceError as exc:
                parsed = exc
        rows.append(entry_check(fetch, parsed))
    return rows

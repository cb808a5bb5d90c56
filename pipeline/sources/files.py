"""Non-XML agreements: PDF, HTML, text and Markdown files -> Documents, one per agreement.

`read_document` reads one file (or one folder holding an agreement split one file per
chapter, when the manifest says so), finds its structure and attaches the manifest's
metadata. `parse_files_parallel` does that for many files across processes, yielding in input
order, with a SourceError in place of each file that could not be read so the run goes on.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pipeline.errors import SourceError
from pipeline.model import Agreement, Document, Provision, content_hash, provision_id
from pipeline.sources.footnotes import attach_footnotes
from pipeline.sources.html import html_to_text
from pipeline.sources.language import detect_language
from pipeline.sources.limits import LIMIT_VARIABLES, over_limit, source_limits
from pipeline.sources.manifest import Manifest, SourceMetadata, load_sidecar, warn_missing
from pipeline.sources.pdf import DEFAULT_PDF_ENGINE, PDF_ENGINES, read_pdf
from pipeline.sources.pdf_layout import Footnote as PageNote
from pipeline.sources.pdf_layout import FootnoteReference
from pipeline.sources.text import plain_text
from pipeline.structure import ParsedArticle, parse_articles

log = logging.getLogger(__name__)

PDF_SUFFIXES = frozenset({".pdf"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
SUPPORTED_SUFFIXES = PDF_SUFFIXES | HTML_SUFFIXES | TEXT_SUFFIXES
TEXT_LIMIT_VARIABLE = LIMIT_VARIABLES["text_bytes"][0]  # see pipeline.sources.limits
RECORD_KEYS = ("chapter", "article_no", "article_title", "text", "page_start", "page_end")

__all__ = [
    "DEFAULT_PDF_ENGINE", "PDF_ENGINES", "SUPPORTED_SUFFIXES", "discover_inputs",
    "parse_files_parallel", "provisions_as_records", "read_document",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Extracted:
    """A file's running text and what its format could tell about it."""

    source: str  # "pdf", "html", "text"
    text: str
    page_offsets: tuple[int, ...] | None
    emphasis: tuple[tuple[int, int], ...]
    title: str | None = None
    notes: tuple[PageNote, ...] = ()  # PDF footnotes and where their references stood
    references: tuple[FootnoteReference, ...] = ()


# -- discovery -------------------------------------------------------------------------------


def source_kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def is_stray(path: Path, directory: Path, manifest: Manifest | None = None) -> bool:
    """Files beside a corpus that are not agreements: READMEs, dotfiles (and anything in a
    dot-folder: .git, .cache), and what the manifest's `exclude` patterns name."""
    relative = path.relative_to(directory)
    if any(part.startswith(".") for part in relative.parts) or path.name.upper().startswith("README"):
        return True
    return manifest is not None and manifest.excludes(relative)


def discover_inputs(directory: Path, manifest: Manifest | None = None) -> list[Path]:
    """The agreements in a folder: every supported file but strays (`is_stray`), and each
    multi-file folder the manifest declares (`directory = "..."`) as one input instead of its files."""
    grouped = {
        (directory / entry.directory).resolve()
        for entry in (manifest.entries if manifest else ())
        if entry.directory
    }
    inputs: list[Path] = sorted(grouped)
    for path in sorted(directory.rglob("*")):
        if not path.is_file() or source_kind(path) is None or is_stray(path, directory, manifest):
            continue
        if any(parent in grouped for parent in path.resolve().parents):
            continue
        inputs.append(path)
    return inputs


def _parts(folder: Path, metadata: SourceMetadata | None, base: Path) -> list[Path]:
    """The files of a multi-file agreement, in the manifest's order or in natural order."""
    if metadata and metadata.files:
        return [base / name for name in metadata.files]
    files = [p for p in folder.iterdir() if p.is_file() and source_kind(p) is not None and not is_stray(p, folder)]
    return sorted(files, key=_natural_key)


def _natural_key(path: Path) -> list[Any]:
    # "chapter-2.pdf" before "chapter-10.pdf"
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


# -- one document ----------------------------------------------------------------------------


def read_document(
    path: Path, *, pdf_engine: str = DEFAULT_PDF_ENGINE, manifest: Manifest | None = None
) -> Document:
    """Read one agreement from a PDF, HTML, text or Markdown file (or a multi-file folder)."""
    path = Path(path)
    _check_engine(pdf_engine)
    metadata = manifest.for_file(path) if manifest else load_sidecar(path)
    if path.is_dir():
        parts = _parts(path, metadata, manifest.directory if manifest else path)
        if not parts:
            raise SourceError(path, "is a folder with no PDF, HTML or text files", "point at the agreement's files")
    else:
        parts = [path]
    extracted = [_extract(part, pdf_engine) for part in parts]
    merged = _merge(extracted)
    articles = parse_articles(merged.text, page_offsets=merged.page_offsets, emphasis=merged.emphasis)
    if not articles:
        raise SourceError(path, "has no text to parse", "check that the file is the agreement text")
    if metadata is None:
        warn_missing(path, manifest.directory if manifest else None)
    digest = _hash(parts)
    if metadata is not None:
        # The manifest entry is part of what is stored (name, dates, parties, treaty): a changed
        # entry must re-ingest the agreement, as a changed file does.
        digest = content_hash(f"{digest}\n{metadata!r}".encode("utf-8"))
    agreement = _agreement(path, merged, metadata, digest)
    footnotes = attach_footnotes(agreement.id, articles, merged.notes, merged.references, merged.page_offsets)
    return Document(agreement, tuple(_provisions(agreement.id, articles)), footnotes)


def _check_engine(pdf_engine: str) -> None:
    if pdf_engine not in PDF_ENGINES:
        raise SourceError("--pdf-engine", f"{pdf_engine!r} is not a PDF engine", f"choose one of {', '.join(PDF_ENGINES)}")


def _extract(path: Path, pdf_engine: str) -> _Extracted:
    kind = source_kind(path)
    if kind is None:
        suffixes = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise SourceError(path, f"has an unsupported type {path.suffix or '(no suffix)'!r}", f"supported: {suffixes}")
    if kind == "pdf":
        laid_out = read_pdf(path, pdf_engine)
        return _Extracted("pdf", laid_out.text, laid_out.page_offsets, laid_out.emphasis,
                          notes=laid_out.footnotes, references=laid_out.references)
    data = _read_bytes(path)
    if kind == "html":
        html = html_to_text(data)
        if not html.text.strip():
            raise SourceError(path, "has no text once the markup is removed", "check that the page holds the agreement")
        return _Extracted("html", html.text, None, html.emphasis, html.title)
    text = plain_text(data, markdown=path.suffix.lower() in (".md", ".markdown"))
    if not text.text.strip():
        raise SourceError(path, "is empty (no text)", "replace it with the complete file")
    return _Extracted("text", text.text, text.page_offsets, text.emphasis)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        limit = source_limits().text_bytes
        if size > limit:
            raise SourceError(path, *over_limit("bytes", size, limit, TEXT_LIMIT_VARIABLE))
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot be read: {exc.strerror}", "check that the file exists and is readable") from exc
    if not data.strip():
        raise SourceError(path, "is empty (0 bytes)" if not data else "is empty (only whitespace)",
                          "replace it with the complete file")  # fmt: skip
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(path, "is binary, not text", "check the file type and its suffix")
    return data


def _merge(parts: Sequence[_Extracted]) -> _Extracted:
    """Concatenate the parts of a multi-file agreement; pages are numbered on across files."""
    if len(parts) == 1:
        return parts[0]
    texts: list[str] = []
    pages: list[int] = []
    emphasis: list[tuple[int, int]] = []
    notes: list[PageNote] = []
    references: list[FootnoteReference] = []
    offset = 0
    for part in parts:
        notes.extend(PageNote(note.page + len(pages), note.marker, note.text) for note in part.notes)
        references.extend(FootnoteReference(offset + r.offset, r.marker) for r in part.references)
        pages.extend(offset + o for o in (part.page_offsets or (0,)))
        emphasis.extend((offset + a, offset + b) for a, b in part.emphasis)
        texts.append(part.text)
        offset += len(part.text) + 1
    kinds = [p.source for p in parts]
    source = max(set(kinds), key=kinds.count)
    has_pages = any(p.page_offsets for p in parts)
    return _Extracted(source, "\n".join(texts), tuple(pages) if has_pages else None, tuple(emphasis), parts[0].title,
                      tuple(notes), tuple(references))


def _hash(parts: Sequence[Path]) -> str:
    if len(parts) == 1:
        return content_hash(parts[0].read_bytes())
    digests = "".join(f"{p.name}:{content_hash(p.read_bytes())}\n" for p in parts)
    return content_hash(digests.encode("utf-8"))


def _agreement(path: Path, extracted: _Extracted, metadata: SourceMetadata | None, digest: str) -> Agreement:
    meta = metadata or SourceMetadata()
    source_id = meta.id or (path.name if path.is_dir() else path.stem)
    language = meta.language or detect_language(extracted.text)
    if not meta.language:
        log.info("%s: language not given; detected %s", path, language or "nothing conclusive")
    return Agreement(
        id=f"{extracted.source}:{source_id}",
        source=extracted.source,
        source_id=source_id,
        name=meta.name or extracted.title or _name_from_path(path),
        type=meta.type,
        composition=meta.composition,
        status=meta.status,
        date_signed=meta.date_signed,
        date_in_force=meta.date_in_force,
        parties=meta.parties,
        region=meta.region,
        language=language,
        content_hash=digest,
        treaty=meta.treaty,
    )


def _name_from_path(path: Path) -> str:
    stem = path.name if path.is_dir() else path.stem
    return " ".join(re.split(r"[_\-\s]+", stem)).strip() or stem


def _provisions(agreement_id: str, articles: Sequence[ParsedArticle]) -> Iterator[Provision]:
    for ordinal, article in enumerate(articles):
        yield Provision(
            id=provision_id(agreement_id, ordinal),
            agreement_id=agreement_id,
            ordinal=ordinal,
            text=article.text,
            chapter=article.chapter,
            article_no=article.article_no,
            article_title=article.article_title,
            char_start=article.char_start,
            char_end=article.char_end,
            page_start=article.page_start,
            page_end=article.page_end,
        )


def provisions_as_records(doc: Document) -> list[dict[str, Any]]:
    """Per provision: chapter, article_no, article_title, text, page_start, page_end."""
    return [{key: getattr(p, key) for key in RECORD_KEYS} for p in doc.provisions]


# -- many documents --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Failure:
    """A SourceError in transit between processes (its constructor does not survive pickling)."""

    location: str
    problem: str
    fix: str

    def error(self) -> SourceError:
        return SourceError(self.location, self.problem, self.fix)


def _read_or_failure(path: Path, pdf_engine: str, manifest: Manifest | None) -> Document | _Failure:
    """Never raises: a bad file becomes a value so the other files go on."""
    try:
        return read_document(path, pdf_engine=pdf_engine, manifest=manifest)
    except SourceError as exc:
        return _Failure(exc.location, exc.problem, exc.fix)
    except Exception as exc:  # a bug or a library failure on one file must not stop the run
        log.exception("%s: unexpected failure", path)
        return _Failure(str(path), f"could not be read: {type(exc).__name__}: {exc}", "please report this file")


def _result(value: Document | _Failure) -> Document | SourceError:
    return value.error() if isinstance(value, _Failure) else value


def parse_files_parallel(
    paths: Iterable[Path],
    *,
    pdf_engine: str = DEFAULT_PDF_ENGINE,
    manifest: Manifest | None = None,
    workers: int | None = None,
) -> Iterator[Document | SourceError]:
    """Read files in parallel processes, yielding a Document or a SourceError per path, in order."""
    paths = [Path(p) for p in paths]
    _check_engine(pdf_engine)
    workers = min(workers or os.cpu_count() or 1, len(paths))
    job = partial(_read_or_failure, pdf_engine=pdf_engine, manifest=manifest)
    if workers <= 1:
        yield from (_result(job(path)) for path in paths)
        return
    # forkserver/spawn rather than fork: the caller may be a Prefect flow with threads running.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from (_result(value) for value in pool.map(job, paths, chunksize=1))

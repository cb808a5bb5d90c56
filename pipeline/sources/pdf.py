"""PDF source: a PDF file -> running text with page offsets, footnotes apart.

Two engines produce the positioned lines (`pdf_pdfium.py`, `pdf_plumber.py`); `pdf_layout.py`
turns them into text the same way for both. pypdfium2 is the default: it reaches the same
round-trip accuracy as pdfplumber in the test suite at many times the speed (README, figures
from benchmarks/ingest_pdf.py); pdfplumber stays available with `--pdf-engine pdfplumber`.

Every file is first opened with PDFium whatever the engine, so that bad input fails the same
way with the same message: empty, not a PDF, corrupt, encrypted, or scanned without text.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.errors import SourceError
from pipeline.sources.limits import LIMIT_VARIABLES, over_limit, source_limits
from pipeline.sources.pdf_layout import LaidOutText, PageLines, lay_out

log = logging.getLogger(__name__)

PDF_ENGINES = ("pypdfium2", "pdfplumber")
DEFAULT_PDF_ENGINE = "pypdfium2"
OCR_FIX = "run OCR first (for example `ocrmypdf in.pdf out.pdf`) and ingest the OCR'd copy"


def read_pdf(path: Path, engine: str = DEFAULT_PDF_ENGINE) -> LaidOutText:
    """Read the PDF at `path` with `engine`; SourceError names the file and what went wrong."""
    pages_in_file = check_pdf(path)
    seconds = source_limits().pdf_seconds
    try:
        pages = list(_within(seconds, _engine(engine)(path), path))
    except SourceError:
        raise
    except Exception as exc:  # an engine failing on a file PDFium could open
        other = next(e for e in PDF_ENGINES if e != engine)
        raise SourceError(
            path, f"could not be read by {engine}: {type(exc).__name__}: {exc}", f"try --pdf-engine {other}"
        ) from exc
    laid_out = lay_out(pages)
    if not laid_out.text.strip():
        images = _image_count(path)
        if images:
            raise SourceError(path, f"has no text layer: its {pages_in_file} page(s) are scanned images", OCR_FIX)
        raise SourceError(path, "has no text on any page", "check that the file is the agreement text")
    if laid_out.pages_without_text:
        shown = ", ".join(str(n) for n in laid_out.pages_without_text[:10])
        more = "…" if len(laid_out.pages_without_text) > 10 else ""
        log.warning(
            "%s: %d of %d pages have no text layer (pages %s%s); their text is missing — %s",
            path, len(laid_out.pages_without_text), pages_in_file, shown, more, OCR_FIX,
        )  # fmt: skip
    return laid_out


def _within(seconds: float, pages: Iterator[PageLines], path: Path) -> Iterator[PageLines]:
    """The engine's pages until the time limit; checked between pages (one page that never
    ends is not interrupted: PDFium's C code cannot be, short of killing the process)."""
    deadline = time.monotonic() + seconds
    for page in pages:
        yield page
        if time.monotonic() > deadline:
            variable = LIMIT_VARIABLES["pdf_seconds"][0]
            raise SourceError(path, f"took over {seconds:g} s to read (stopped after page {page.number})",
                              f"check the file, or raise {variable} if it is a very long agreement")


def check_pdf(path: Path) -> int:
    """Open the file with PDFium and return its page count, or raise a SourceError saying why not
    (unreadable, empty, not a PDF, over the size or page limit, encrypted, corrupt)."""
    limits = source_limits()
    try:
        size = path.stat().st_size
        if size > limits.pdf_bytes:
            raise SourceError(path, *over_limit("bytes", size, limits.pdf_bytes, LIMIT_VARIABLES["pdf_bytes"][0]))
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise SourceError(path, f"cannot be read: {exc.strerror}", "check that the file exists and is readable") from exc
    if not head:
        raise SourceError(path, "is empty (0 bytes)", "replace it with the complete file")
    if b"%PDF-" not in head:
        raise SourceError(path, "is not a PDF (no %PDF header)", "check the file; rename it if it is HTML or text")
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise _open_error(path, exc) from exc
    try:
        count = len(document)
    finally:
        document.close()
    if count == 0:
        raise SourceError(path, "has no pages", "replace it with the complete file")
    if count > limits.pdf_pages:
        raise SourceError(path, *over_limit("pages", count, limits.pdf_pages, LIMIT_VARIABLES["pdf_pages"][0]))
    return count


def _open_error(path: Path, exc: pdfium.PdfiumError) -> SourceError:
    code = getattr(exc, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return SourceError(
            path, "is encrypted (password-protected)",
            "save an unprotected copy, e.g. `qpdf --password=PW --decrypt in.pdf out.pdf`, and ingest that",
        )  # fmt: skip
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return SourceError(path, "uses an unsupported security scheme", "save an unprotected copy and ingest that")
    return SourceError(path, "is corrupt or truncated and cannot be opened as a PDF", "download the file again")


def _engine(name: str) -> Callable[[Path], Iterator[PageLines]]:
    if name == "pypdfium2":
        from pipeline.sources.pdf_pdfium import pdfium_pages

        return pdfium_pages
    if name == "pdfplumber":
        from pipeline.sources.pdf_plumber import plumber_pages

        return plumber_pages
    raise ValueError(f"unknown PDF engine {name!r}; choose one of {', '.join(PDF_ENGINES)}")


def _image_count(path: Path) -> int:
    """Images on the pages: tells a scanned PDF from an empty one."""
    document = pdfium.PdfDocument(str(path))
    try:
        total = 0
        for index in range(len(document)):
            page = document[index]
            total += sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
            page.close()
        return total
    finally:
        document.close()

"""Corpus sources: where documents come from and how each format is read.

A source location is a ToTA-style folder (pta_*.xml plus, optionally, PDF, HTML and
text files with a manifest), a single file, or an http(s) base URL of ToTA XML files.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import SourceError
from pipeline.model import Document
from pipeline.sources.tota import TOTA_FILE_PATTERN, list_tota_files, read_tota_file

SOURCE_ENV_VAR = "CYBERNORMS_SOURCE"


# Non-XML formats read by pipeline.sources.files (PDF, HTML, plain text, Markdown); kept here
# too so that listing a pure ToTA folder does not import the PDF stack (a test keeps both equal).
OTHER_SUFFIXES = frozenset({".pdf", ".html", ".htm", ".xhtml", ".txt", ".text", ".md", ".markdown"})


def list_source_files(directory: Path) -> list[Path]:
    """Every agreement in a folder: ToTA XML first (by id), then PDF/HTML/text inputs (a
    multi-file agreement that the manifest declares is one input: its folder)."""
    tota = list_tota_files(directory)
    if not any(p.suffix.lower() in OTHER_SUFFIXES for p in directory.rglob("*") if p.is_file()):
        return tota
    from pipeline.sources.files import discover_inputs
    from pipeline.sources.manifest import load_manifest

    return tota + discover_inputs(directory, load_manifest(directory))


def read_any(path: Path, *, pdf_engine: str | None = None, manifest=None) -> Document:
    """Read one document of any supported format."""
    if TOTA_FILE_PATTERN.match(path.name) or path.suffix.lower() == ".xml":
        return read_tota_file(path)
    if path.is_dir() or path.suffix.lower() in OTHER_SUFFIXES:
        from pipeline.sources.files import read_document

        kwargs = {"manifest": manifest}
        if pdf_engine:
            kwargs["pdf_engine"] = pdf_engine
        return read_document(path, **kwargs)
    raise SourceError(path, f"has an unsupported format '{path.suffix}'",
                      "supported: ToTA .xml, " + ", ".join(sorted(OTHER_SUFFIXES)))

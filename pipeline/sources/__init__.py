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


# Non-XML formats read by pipeline.sources.files (PDF, HTML, plain text, Markdown).
OTHER_SUFFIXES = frozenset({".pdf", ".html", ".htm", ".txt", ".md"})


def other_suffixes() -> frozenset[str]:
    return OTHER_SUFFIXES


def list_source_files(directory: Path) -> list[Path]:
    """Every readable document in a folder: ToTA XML first (by id), then other formats by name."""
    tota = list_tota_files(directory)
    suffixes = other_suffixes()
    others = sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
    return tota + others


def read_any(path: Path, *, pdf_engine: str | None = None, manifest=None) -> Document:
    """Read one document of any supported format."""
    if TOTA_FILE_PATTERN.match(path.name) or path.suffix.lower() == ".xml":
        return read_tota_file(path)
    if path.suffix.lower() in other_suffixes():
        from pipeline.sources.files import read_document

        kwargs = {"manifest": manifest}
        if pdf_engine:
            kwargs["pdf_engine"] = pdf_engine
        return read_document(path, **kwargs)
    raise SourceError(path, f"has an unsupported format '{path.suffix}'",
                      "supported: ToTA .xml, " + ", ".join(sorted(other_suffixes())))

"""How much one input file may be: bytes for every format, pages and seconds for PDFs.

A corpus folder is other people's files. Without limits one huge or hostile file (a
multi-gigabyte "agreement", a PDF of a million pages, a PDF crafted to take an hour) stalls a
whole refresh or exhausts memory. Each limit is an environment variable, read when a file is
read, so a run, a test or a worker process can set its own:

| variable                     | default | applies to                       |
|------------------------------|---------|----------------------------------|
| CYBERNORMS_MAX_XML_BYTES     | 64 MB   | one ToTA XML file                |
| CYBERNORMS_MAX_TEXT_BYTES    | 64 MB   | one HTML, text or Markdown file  |
| CYBERNORMS_MAX_PDF_BYTES     | 256 MB  | one PDF file                     |
| CYBERNORMS_MAX_PDF_PAGES     | 3000    | one PDF file                     |
| CYBERNORMS_MAX_PDF_SECONDS   | 300     | reading one PDF's text           |

The largest ToTA file is about 2 MB and the longest agreements (CPTPP, RCEP) are under 2000
pages: the defaults leave room for ten times those.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from pipeline.errors import SourceError

MB = 1024 * 1024
LIMIT_VARIABLES = {
    "xml_bytes": ("CYBERNORMS_MAX_XML_BYTES", 64 * MB),
    "text_bytes": ("CYBERNORMS_MAX_TEXT_BYTES", 64 * MB),
    "pdf_bytes": ("CYBERNORMS_MAX_PDF_BYTES", 256 * MB),
    "pdf_pages": ("CYBERNORMS_MAX_PDF_PAGES", 3000),
    "pdf_seconds": ("CYBERNORMS_MAX_PDF_SECONDS", 300.0),
}


@dataclass(frozen=True, slots=True)
class SourceLimits:
    xml_bytes: int
    text_bytes: int
    pdf_bytes: int
    pdf_pages: int
    pdf_seconds: float


def source_limits(environ: Mapping[str, str] | None = None) -> SourceLimits:
    """The limits in force: each variable if set, else its default."""
    environ = os.environ if environ is None else environ
    values = {}
    for field, (variable, default) in LIMIT_VARIABLES.items():
        text = environ.get(variable, "").strip()
        if not text:
            values[field] = default
            continue
        try:
            value = type(default)(text)
        except ValueError:
            value = 0
        if value <= 0:
            raise SourceError(variable, f"{text!r} is not a positive number",
                              f"set it to e.g. {default} (the default), or unset it")
        values[field] = value
    return SourceLimits(**values)


def over_limit(kind: str, size: int, limit: int, variable: str) -> tuple[str, str]:
    """The problem and fix of a file over a size limit (SourceError's arguments)."""
    return (f"is {size:,} {kind}, over the {limit:,}-{kind.rstrip('s')} limit for one agreement",
            f"split it, or raise {variable} if it really is one agreement")

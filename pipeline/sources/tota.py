"""ToTA source: the Texts of Trade Agreements corpus, from a local folder or a base URL.

ToTA (Alschner, Seiermann & Skougarevskiy 2017, CC BY-NC 4.0) ships one XML file per
agreement, `pta_<treaty_identifier>.xml`, with metadata and a chapter -> article body.
Parsing is pure (`parse_tota_xml`); downloading lives in `pipeline.sources.download`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from pipeline.errors import SourceError
from pipeline.model import Agreement, Document, Provision, content_hash, provision_id
from pipeline.sources.limits import LIMIT_VARIABLES, over_limit, source_limits

SOURCE_NAME = "tota"
DEFAULT_BASE_URL = "https://raw.githubusercontent.com/mappingtreaties/tota/master/xml/"
TOTA_FILE_PATTERN = re.compile(r"^pta_(\d+)\.xml$")
XML_LIMIT_VARIABLE = LIMIT_VARIABLES["xml_bytes"][0]  # see pipeline.sources.limits


def list_tota_files(directory: Path) -> list[Path]:
    """The ToTA XML files of a folder, in treaty-id order."""
    if not directory.is_dir():
        raise SourceError(directory, "is not a directory", "point --source at the folder that holds pta_*.xml")
    files = [p for p in directory.iterdir() if TOTA_FILE_PATTERN.match(p.name) and p.is_file()]
    return sorted(files, key=lambda p: int(TOTA_FILE_PATTERN.match(p.name).group(1)))  # type: ignore[union-attr]


def read_tota_file(path: Path) -> Document:
    """Read and parse one ToTA file, with errors that name the file."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(path, f"cannot be read: {exc.strerror}", "check that the file exists and is readable") from exc
    limit = source_limits().xml_bytes
    if size > limit:
        raise SourceError(path, *over_limit("bytes", size, limit, XML_LIMIT_VARIABLE))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot be read: {exc.strerror}", "check that the file exists and is readable") from exc
    return parse_tota_xml(data, location=str(path))


def parse_tota_xml(data: bytes, location: str = "<bytes>") -> Document:
    """Parse one ToTA XML document into an Agreement and its Provisions.

    defusedxml refuses DTDs, entity expansion and external references, so a hostile
    file cannot read local files, reach the network or blow up memory.
    """
    if not data.strip():
        raise SourceError(location, "is empty", "re-download it or remove it from the corpus folder")
    limit = source_limits().xml_bytes
    if len(data) > limit:
        raise SourceError(location, *over_limit("bytes", len(data), limit, XML_LIMIT_VARIABLE))
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise SourceError(location, f"refused unsafe XML ({type(exc).__name__})", "ToTA files carry no DTD or entities") from exc
    except SafeET.ParseError as exc:
        raise SourceError(location, f"is not well-formed XML: {exc}", "re-download the file") from exc
    if root.tag != "treaty" or root.find("meta") is None or root.find("body") is None:
        raise SourceError(location, "is not a ToTA treaty file (expected <treaty><meta>…</meta><body>…</body>)",
                          "remove it from the corpus folder, or name it other than pta_<id>.xml")

    meta = root.find("meta")
    treaty_id = _text(meta, "treaty_identifier")
    if not treaty_id:
        raise SourceError(location, "has no <treaty_identifier>", "re-download the file from the ToTA repository")
    agreement = Agreement(
        id=f"{SOURCE_NAME}:{treaty_id}",
        source=SOURCE_NAME,
        source_id=treaty_id,
        name=_text(meta, "name") or f"ToTA {treaty_id}",
        type=_text(meta, "type"),
        composition=_text(meta, "composition"),
        status=_text(meta, "status"),
        date_signed=_date(_text(meta, "date_signed")),
        date_in_force=_date(_text(meta, "date_into_force")),
        parties=tuple(p.text.strip() for p in meta.findall("parties/partyisocode") if p.text and p.text.strip()),
        region=_text(meta, "region"),
        language=_text(meta, "language"),
        content_hash=content_hash(data),
    )
    return Document(agreement=agreement, provisions=tuple(_provisions(root, agreement.id)))


def _provisions(root, agreement_id: str) -> Iterator[Provision]:
    ordinal = 0
    offset = 0  # offsets into the concatenation of article texts joined by "\n\n"
    for chapter in root.find("body").iter("chapter"):
        chapter_title = _clean(chapter.get("name"))
        for article in chapter.iter("article"):
            text = without_trailing_heading("".join(article.itertext()).strip())
            yield Provision(
                id=provision_id(agreement_id, ordinal),
                agreement_id=agreement_id,
                ordinal=ordinal,
                text=text,
                chapter=chapter_title,
                article_no=_article_number(article.get("number")),
                article_title=_clean(article.get("name")),
                char_start=offset,
                char_end=offset + len(text),
                source_provision_id=article.get("article_identifier"),
            )
            ordinal += 1
            offset += len(text) + 2


# ToTA puts the heading of the next sub-section or title at the end of the article before it:
# "... duly protected.\n\n  Sub-section C\n\n  Liability of online service providers". Left in,
# the next part's title would be classified as this article's text. The heading is a line with
# only the part's keyword and number, after a blank line, then at most one short title block.
_TRAILING_HEADING = re.compile(
    r"\n[ \t]*\n[ \t]*(?:sub-?section|subsecci[oó]n|title|t[ií]tulo)[ \t]+[A-Z0-9][\w.\-]*[ \t]*"
    r"(?:\n[ \t]*\n(?:[ \t]*\n)*[ \t]*[^\n.;:]{1,120}(?:\n[^\n.;:]{1,120}){0,2})?\s*\Z",
    re.IGNORECASE)


def without_trailing_heading(text: str) -> str:
    """`text` without a next part's heading ToTA appended to it (see _TRAILING_HEADING)."""
    match = _TRAILING_HEADING.search(text)
    return text[: match.start()].rstrip() if match and text[: match.start()].strip() else text


def _text(meta, tag: str) -> str | None:
    value = meta.findtext(tag)
    return value.strip() if value and value.strip() else None


def _clean(value: str | None) -> str | None:
    return " ".join(value.split()) if value and value.strip() else None


_ARTICLE_KEYWORD = re.compile(r"^(?:art[ií]culo|article|art)\.?\s+", re.IGNORECASE)


def _article_number(value: str | None) -> str | None:
    """'ARTICLE 13.1' -> '13.1', as the PDF/HTML/text parser records numbers."""
    cleaned = _clean(value)
    return _ARTICLE_KEYWORD.sub("", cleaned) or cleaned if cleaned else None


def _date(value: str | None) -> date | None:
    # ToTA dates are ISO (YYYY-MM-DD); a few cards have none.
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None

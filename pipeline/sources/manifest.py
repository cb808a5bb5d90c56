"""Metadata for agreements that arrive as PDF, HTML or text: a manifest beside the files.

A folder of official texts carries `sources.toml` (one `[[agreement]]` table per agreement,
naming its file, or its folder when it comes one file per chapter) and/or a sidecar
`<file>.toml` next to a single file (`rcep.pdf.toml`), which wins when both describe a file.
See corpora/sources.toml for the format with examples.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from pipeline.errors import SourceError

log = logging.getLogger(__name__)

MANIFEST_NAME = "sources.toml"
_FIELDS = {
    "id", "name", "parties", "date_signed", "date_in_force", "type", "language", "status",
    "composition", "region", "file", "files", "directory", "treaty", "url", "landing_page", "digital_part",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SourceMetadata:
    """What the manifest says about one agreement (all optional but the file it describes)."""

    id: str | None = None
    name: str | None = None
    parties: tuple[str, ...] = ()
    date_signed: date | None = None
    date_in_force: date | None = None
    type: str | None = None
    language: str | None = None
    status: str | None = None
    composition: str | None = None
    region: str | None = None
    files: tuple[str, ...] = ()  # paths relative to the manifest's folder, "/"-separated
    directory: str | None = None  # a folder holding one agreement split into several files
    treaty: str | None = None  # agreements declaring the same treaty are versions of one treaty
    # Remote texts (corpora/post2016.toml): where the publisher serves the text, the page that
    # lists it, and which part of the agreement holds the digital rules.
    url: str | None = None
    landing_page: str | None = None
    digital_part: str | None = None


@dataclass(frozen=True, slots=True)
class Manifest:
    directory: Path
    entries: tuple[SourceMetadata, ...] = field(default=())
    exclude: tuple[str, ...] = ()  # glob patterns, relative to the folder: files that are not agreements

    def excludes(self, relative: Path) -> bool:
        path = PurePosixPath(relative.as_posix())
        return any(path.match(pattern) or path.as_posix() == pattern for pattern in self.exclude)

    def for_file(self, path: Path) -> SourceMetadata | None:
        """Metadata for a file or multi-file folder: its sidecar, else its manifest entry."""
        sidecar = load_sidecar(path)
        if sidecar is not None:
            return sidecar
        relative = _relative(path, self.directory)
        if relative is None:
            return None
        for entry in self.entries:
            if relative in entry.files or entry.directory == relative:
                return entry
        return None


def load_manifest(directory: Path) -> Manifest:
    """Read `sources.toml` in `directory` (an absent manifest is an empty one)."""
    path = directory / MANIFEST_NAME
    if not path.is_file():
        return Manifest(directory)
    return load_manifest_file(path)


def load_manifest_file(path: Path) -> Manifest:
    """Read a manifest of any name (`corpora/post2016.toml`); its files are relative to its folder."""
    data = _read_toml(path)
    tables = data.get("agreement", [])
    if not isinstance(tables, list):
        raise SourceError(path, "`agreement` must be an array of tables", "write each one as [[agreement]]")
    entries = tuple(_metadata(table, path, index) for index, table in enumerate(tables, start=1))
    exclude = data.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(p, str) for p in exclude):
        raise SourceError(path, "`exclude` must be a list of file patterns", 'write e.g. exclude = ["notes/*", "draft.pdf"]')
    return Manifest(path.parent, entries, tuple(exclude))


def load_sidecar(path: Path) -> SourceMetadata | None:
    """Read `<file>.toml` beside `path`, if there is one."""
    sidecar = path.with_name(path.name + ".toml")
    if not sidecar.is_file():
        return None
    return _metadata(_read_toml(sidecar), sidecar, None)


def warn_missing(path: Path, directory: Path | None) -> None:
    """Say which file lacks metadata and where to add it."""
    manifest = f"an [[agreement]] entry in {directory / MANIFEST_NAME} or " if directory else ""
    log.warning(
        "%s: no metadata found; add %sa sidecar %s.toml (see corpora/sources.toml). "
        "Its name is taken from the file; parties, dates and type stay unknown",
        path, manifest, path.name,
    )  # fmt: skip


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourceError(path, f"cannot be read: {exc.strerror}", "check that the file exists and is readable") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(path, f"is not valid TOML: {exc}", "see corpora/sources.toml for the format") from exc


def _metadata(table: Any, path: Path, index: int | None) -> SourceMetadata:
    where = f"[[agreement]] #{index}" if index else "the sidecar"
    if not isinstance(table, dict):
        raise SourceError(path, f"{where} is not a table", "write each agreement as [[agreement]] with key = value lines")
    unknown = set(table) - _FIELDS
    if unknown:
        raise SourceError(
            path, f"{where} has unknown keys: {', '.join(sorted(unknown))}", f"allowed: {', '.join(sorted(_FIELDS))}"
        )
    files = table.get("files", [])
    if "file" in table:
        files = [table["file"], *files]
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise SourceError(path, f"{where}: `file`/`files` must be a path or a list of paths",
                          'write file = "a.pdf" or files = ["a.pdf", "b.pdf"]')
    if index is not None and not files and "directory" not in table:
        raise SourceError(path, f"{where} names no `file` or `directory`", "say which file it describes")
    if len(files) > 1 and "directory" not in table:
        raise SourceError(
            path, f"{where} lists several files but no `directory`",
            "put an agreement's files in one folder and name it with `directory`",
        )  # fmt: skip
    parties = table.get("parties", [])
    if isinstance(parties, str):
        parties = [parties]
    return SourceMetadata(
        id=_optional_str(table, "id", path, where),
        name=_optional_str(table, "name", path, where),
        parties=tuple(str(p).strip().upper() for p in parties),
        date_signed=_date(table.get("date_signed"), path, where),
        date_in_force=_date(table.get("date_in_force"), path, where),
        type=_optional_str(table, "type", path, where),
        language=_optional_str(table, "language", path, where),
        status=_optional_str(table, "status", path, where),
        composition=_optional_str(table, "composition", path, where),
        region=_optional_str(table, "region", path, where),
        files=tuple(str(PurePosixPath(f)) for f in files),
        directory=str(PurePosixPath(table["directory"])) if "directory" in table else None,
        treaty=_optional_str(table, "treaty", path, where),
        url=_url(table, "url", path, where),
        landing_page=_url(table, "landing_page", path, where),
        digital_part=_optional_str(table, "digital_part", path, where),
    )


def _url(table: dict[str, Any], key: str, path: Path, where: str) -> str | None:
    value = _optional_str(table, key, path, where)
    if value is not None and not value.lower().startswith(("http://", "https://")):
        raise SourceError(path, f"{where}: `{key}` {value!r} is not an http(s) URL", "give the publisher's full address")
    return value


def _optional_str(table: dict[str, Any], key: str, path: Path, where: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int):
        raise SourceError(path, f"{where}: `{key}` must be text", f'quote it: {key} = "..."')
    return str(value).strip() or None


def _date(value: Any, path: Path, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise SourceError(path, f"{where}: date {value!r} is not YYYY-MM-DD", "write it as 2016-02-04") from exc


def _relative(path: Path, directory: Path) -> str | None:
    try:
        return path.resolve().relative_to(directory.resolve()).as_posix()
    except ValueError:
        return None

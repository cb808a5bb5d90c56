"""What a stored agreement was made from, as one digest per source file (pure but for reading files).

An agreement must be read again when anything that shapes its rows changes: its bytes, its
metadata (the manifest entry or sidecar of a PDF, HTML or text file; ToTA XML carries its own),
the code that reads and structures it (`parser_version`) and, for PDFs, the text engine. The
model is kept apart (stored as the agreement's model_version): a new model only re-classifies
the stored provisions, it does not read the file again.

Computed in the refresh's main process before any worker starts, from bytes and small TOML
files only: a refresh that finds nothing changed never imports spaCy or loads a model.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pipeline

PACKAGE_DIR = Path(pipeline.__file__).parent
# The code that turns a file into an agreement and its provisions, and the data it reads. A
# change to any of them can change what is stored, so it re-reads every agreement (once).
READER_CODE = ("sources/**/*.py", "structure.py", "structure_terms.toml", "model.py", "store/rows.py",
               "nlp/dates.py")
PDF_SUFFIX = ".pdf"
XML_SUFFIX = ".xml"


@dataclass(frozen=True, slots=True)
class FileFingerprint:
    path: str  # absolute
    fingerprint: str


@cache
def parser_version() -> str:
    """A digest of the reading code and its term files (12 hex digits)."""
    return _digest_files(sorted({p for pattern in READER_CODE for p in PACKAGE_DIR.glob(pattern)}))


@cache
def code_version() -> str:
    """The package version and a digest of all its code and data files, for the run record."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("cybernorms")
    except PackageNotFoundError:
        release = "unreleased"
    files = sorted(p for p in PACKAGE_DIR.rglob("*") if p.suffix in (".py", ".toml", ".sql", ".json")
                   and "__pycache__" not in p.parts)
    return f"{release}+{_digest_files(files)}"


def _digest_files(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def fingerprint(content: str, metadata: str, parser: str, pdf_engine: str | None) -> str:
    """One digest over every input that shapes an agreement's rows (model aside)."""
    parts = [f"content:{content}", f"metadata:{metadata}", f"parser:{parser}"]
    if pdf_engine is not None:
        parts.append(f"pdf-engine:{pdf_engine}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def content_digest(path: Path) -> str:
    """sha256 of a file's bytes; for a multi-file agreement (a folder), of each file's name and bytes."""
    if not path.is_dir():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    digest = hashlib.sha256()
    for part in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(part.relative_to(path).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(part.read_bytes()).digest())
    return digest.hexdigest()


class DigestMemo:
    """Content digests of one refresh command's files, reused while a file is provably the one
    that was hashed: same device, inode, size, modification and change time (the change time
    moves on every write and rename, and no program can set it back). `cybernorms refresh`
    plans once before starting workers (pipeline.refresh_preview) and again inside the flow,
    seconds later: the flow hashes only what changed since, instead of the whole corpus again.
    A file written between the stat and the read gets a later stat, so it is hashed again next
    time. Folders (multi-file agreements) are always hashed: their stat says nothing of their files.
    """

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple[int, ...], str]] = {}

    def digest(self, path: Path) -> str:
        if path.is_dir():
            return content_digest(path)
        info = path.stat()
        state = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        known = self._known.get(str(path))
        if known is not None and known[0] == state:
            return known[1]
        digest = content_digest(path)
        self._known[str(path)] = (state, digest)
        return digest


def uses_pdf(path: Path) -> bool:
    if path.is_dir():
        return any(p.suffix.lower() == PDF_SUFFIX for p in path.rglob("*"))
    return path.suffix.lower() == PDF_SUFFIX


class MetadataReader:
    """The metadata each file is read with, as the workers find it (pipeline.parallel reads a
    folder's sources.toml, a file's sidecar wins): manifests are read once per folder."""

    def __init__(self) -> None:
        self._manifests: dict[Path, object] = {}

    def describe(self, path: Path) -> str:
        if path.suffix.lower() == XML_SUFFIX:
            return ""  # ToTA XML carries its metadata in its bytes
        from pipeline.errors import SourceError
        from pipeline.sources.manifest import load_manifest

        try:
            if path.parent not in self._manifests:
                self._manifests[path.parent] = load_manifest(path.parent)
            return repr(self._manifests[path.parent].for_file(path))
        except SourceError as exc:
            # Unreadable metadata: a fingerprint that matches nothing, so the worker reads the
            # file and reports the manifest's problem against it.
            return f"unreadable: {exc}"


def fingerprint_files(paths: list[Path], pdf_engine: str, parser: str | None = None,
                      memo: DigestMemo | None = None) -> list[FileFingerprint]:
    """The fingerprint of each file or multi-file folder (`pdf_engine`: the engine in effect;
    `memo`: digests this command took already, reused only for files provably unchanged).
    Metadata is read again each time: manifests and sidecars are small."""
    parser = parser or parser_version()
    metadata = MetadataReader()
    digest = memo.digest if memo is not None else content_digest
    found = []
    for path in paths:
        try:
            content = digest(path)
        except OSError as exc:
            content = f"unreadable: {exc}"  # the worker reports it
        found.append(FileFingerprint(str(path), fingerprint(
            content, metadata.describe(path), parser, pdf_engine if uses_pdf(path) else None)))
    return found

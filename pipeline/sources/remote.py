"""A manifest of texts on publishers' sites (corpora/post2016.toml) -> a local folder to refresh.

Entries with a `url` are downloaded into the manifest's cache folder through the download
path (retries, checksums, ETags, the cached copy when the publisher is unreachable); entries
without one are texts downloaded by hand, taken from beside the manifest. The manifest itself
is copied into the folder as its `sources.toml`, so the folder refreshes like any folder of
PDF, HTML and text files: with the manifest's names, parties, dates and ids.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from pipeline.sources.download import DEFAULT_RETRIES, Fetched, download_urls
from pipeline.sources.manifest import MANIFEST_NAME, Manifest, SourceMetadata, load_manifest_file


@dataclass(frozen=True, slots=True)
class EntryFetch:
    """What became of one manifest entry."""

    entry: SourceMetadata
    path: Path | None  # the local copy, if there is one
    status: int | None = None  # the publisher's HTTP answer (None: no url, or no answer)
    from_cache: bool = False  # the publisher did not serve it this time; the verified copy was used
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ManifestFetch:
    manifest: Path
    folder: Path  # refresh this folder: the texts and the manifest as sources.toml
    entries: tuple[EntryFetch, ...]

    @property
    def errors(self) -> list[str]:
        return [f"{e.entry.id or e.entry.name}: {e.error}" for e in self.entries if e.error]


def is_manifest_file(location: str) -> bool:
    """A refresh source that is a manifest (`corpora/post2016.toml`) rather than a folder or URL."""
    path = Path(location)
    return path.suffix.lower() == ".toml" and path.is_file()


def manifest_cache_dir(manifest: Path, cache_root: Path) -> Path:
    """Where a manifest's texts are kept: `<cache root>/<manifest name>` (outputs/cache/post2016)."""
    return cache_root / manifest.stem


def fetch_manifest(
    manifest_path: Path, folder: Path, *, retries: int = DEFAULT_RETRIES, timeout: float = 30.0
) -> ManifestFetch:
    """Bring every text the manifest lists into `folder`; say per entry how it went."""
    manifest = load_manifest_file(manifest_path)
    folder.mkdir(parents=True, exist_ok=True)
    remote = {_local_name(entry): entry.url for entry in manifest.entries if entry.url}
    fetched = {result.name: result for result in download_urls(remote, folder, retries=retries, timeout=timeout)}
    results = []
    for entry in manifest.entries:
        name = _local_name(entry)
        if entry.url:
            results.append(_from_download(entry, fetched[name]))
        else:
            results.append(_by_hand(entry, manifest, manifest_path, folder / name))
    shutil.copyfile(manifest_path, folder / MANIFEST_NAME)
    return ManifestFetch(manifest_path, folder, tuple(results))


def _local_name(entry: SourceMetadata) -> str:
    # The manifest requires `file` (or `directory`) for every entry: it names the local copy.
    return entry.files[0] if entry.files else str(entry.directory)


def _from_download(entry: SourceMetadata, result: Fetched) -> EntryFetch:
    return EntryFetch(entry, result.path, result.status, result.from_cache, result.error)


def _by_hand(entry: SourceMetadata, manifest: Manifest, manifest_path: Path, target: Path) -> EntryFetch:
    source = manifest.directory / _local_name(entry)
    if source.is_file():
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)
        return EntryFetch(entry, target)
    where = f" from {entry.landing_page}" if entry.landing_page else ""
    return EntryFetch(entry, None, error=(
        f"no `url` in {manifest_path}: download the text by hand{where} and save it as {source}"))

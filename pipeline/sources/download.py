"""Download a corpus from a base URL into a local cache: bounded parallelism, retries,
checksums, conditional requests, a deadline per file.

The cache keeps `checksums.json` (file -> sha256 and ETag). A cached file whose bytes no
longer match its checksum is fetched again (and never served); a server that answers 304 Not
Modified costs no transfer. A body is streamed to a `.part` file and only replaces the cached
copy once complete: a truncated body, an error status or a response that never finishes
(bounded by `file_seconds`, CYBERNORMS_DOWNLOAD_SECONDS, per attempt) leaves the cached copy as
it was. Only http(s) URLs are accepted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

import httpx

from pipeline.errors import SourceError
from pipeline.model import content_hash

DEFAULT_WORKERS = 4
DEFAULT_RETRIES = 3
MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024
DOWNLOAD_SECONDS_ENV_VAR = "CYBERNORMS_DOWNLOAD_SECONDS"
DEFAULT_FILE_SECONDS = 120.0  # the largest ToTA file is 2 MB: minutes mean the server is stuck
CHECKSUMS_FILE = "checksums.json"
# ToTA numbers its files pta_1.xml ... pta_450.xml; a server without a directory listing
# (raw.githubusercontent.com has none) is asked for that range.
TOTA_ID_RANGE = range(1, 451)
log = logging.getLogger(__name__)
_LINK = re.compile(r'href="([^"?#]*pta_\d+\.xml)"')


@dataclass(frozen=True, slots=True)
class Fetched:
    name: str
    path: Path | None
    error: str | None = None
    from_cache: bool = False
    status: int | None = None  # the server's last answer (None: it did not answer)


def is_url(location: str) -> bool:
    return urlparse(location).scheme in ("http", "https")


def list_remote_files(base_url: str, client: httpx.Client) -> list[str]:
    """File names to fetch: from the server's directory listing if it has one, else ToTA's id range."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    try:
        response = client.get(base)
    except httpx.TransportError as exc:
        # Nothing answers at all (offline, DNS, refused): say so now rather than after
        # hundreds of per-file retries.
        raise ServerUnreachable(base_url, f"cannot be reached ({type(exc).__name__}: {exc})",
                                "check the network, or refresh from a local copy with --source DIR "
                                "or CYBERNORMS_SOURCE") from exc
    if response.status_code == 200 and "html" in response.headers.get("content-type", ""):
        names = sorted({Path(urlparse(link).path).name for link in _LINK.findall(response.text)},
                       key=lambda n: int(re.sub(r"\D", "", n)))
        if names:
            return names
    return [f"pta_{i}.xml" for i in TOTA_ID_RANGE]


class ServerUnreachable(SourceError):
    """The base URL does not answer at all."""


def download_corpus(
    base_url: str,
    cache_dir: Path,
    *,
    names: Iterable[str] | None = None,
    workers: int = DEFAULT_WORKERS,
    retries: int = DEFAULT_RETRIES,
    timeout: float = 30.0,
    on_file: Callable[[Fetched], None] | None = None,
    file_seconds: float | None = None,
) -> list[Fetched]:
    """Fetch every file into cache_dir (at most `workers` at once); returns one result per file."""
    if file_seconds is None:
        file_seconds = float(os.environ.get(DOWNLOAD_SECONDS_ENV_VAR) or DEFAULT_FILE_SECONDS)
    if not is_url(base_url):
        raise SourceError(base_url, "is not an http(s) URL", "give an http:// or https:// base URL, or a local folder")
    base = base_url if base_url.endswith("/") else base_url + "/"
    cache_dir.mkdir(parents=True, exist_ok=True)
    checksums = _load_checksums(cache_dir)
    lock = threading.Lock()
    with httpx.Client(timeout=timeout, follow_redirects=True) as client:
        try:
            wanted = list(names) if names is not None else list_remote_files(base, client)
        except ServerUnreachable:
            cached = sorted(checksums)
            if not cached:
                raise
            # Offline with a cache: refresh from the verified copies instead of failing.
            log.warning("%s is unreachable; using the %d files cached in %s", base_url, len(cached), cache_dir)
            return [Fetched(name, cache_dir / name, from_cache=True) for name in cached
                    if (cache_dir / name).exists()
                    and content_hash((cache_dir / name).read_bytes()) == checksums[name]["sha256"]]

        def fetch(name: str) -> Fetched:
            result = _fetch_one(client, urljoin(base, name), cache_dir / name, checksums, lock, retries, file_seconds)
            if on_file:
                on_file(result)
            return result

        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            results = list(pool.map(fetch, wanted))
    _save_checksums(cache_dir, checksums)
    return results


def download_urls(
    urls: Mapping[str, str],
    cache_dir: Path,
    *,
    workers: int = DEFAULT_WORKERS,
    retries: int = DEFAULT_RETRIES,
    timeout: float = 30.0,
) -> list[Fetched]:
    """Fetch each `name -> url` into cache_dir/name: the same retries, checksums, ETags and
    offline fallback as `download_corpus`, for texts that live at addresses of their own (a
    manifest's `url` entries). One result per name, in order."""
    for name, url in urls.items():
        if not is_url(url):
            raise SourceError(url, f"is not an http(s) URL (for {name})",
                              "give the entry's `url` as the publisher's full http(s) address, or drop `url` and "
                              "put the file beside the manifest")
    cache_dir.mkdir(parents=True, exist_ok=True)
    checksums = _load_checksums(cache_dir)
    lock = threading.Lock()
    with httpx.Client(timeout=timeout, follow_redirects=True) as client:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            results = list(pool.map(
                lambda item: _fetch_one(client, item[1], cache_dir / item[0], checksums, lock, retries),
                urls.items()))
    _save_checksums(cache_dir, checksums)
    return results


class _Incomplete(Exception):
    """A body that did not arrive whole, in time or within the size limit."""


def _fetch_one(client: httpx.Client, url: str, target: Path, checksums: dict, lock: threading.Lock,
               retries: int, file_seconds: float = DEFAULT_FILE_SECONDS) -> Fetched:
    name = target.name
    with lock:
        known = checksums.get(name)
    cached_ok = known is not None and target.exists() and content_hash(target.read_bytes()) == known["sha256"]
    headers = {"If-None-Match": known["etag"]} if cached_ok and known.get("etag") else {}
    last_error = ""
    status: int | None = None
    for attempt in range(retries + 1):
        try:
            with client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if response.status_code == 304 and cached_ok:
                    return Fetched(name, target, from_cache=True, status=304)
                if response.status_code == 200:
                    digest = _receive(response, target, time.monotonic() + file_seconds)
                    with lock:
                        checksums[name] = {"sha256": digest, "etag": response.headers.get("etag")}
                    return Fetched(name, target, status=200)
                if response.status_code == 404:  # gone from the server: say so (a cached copy stays on disk)
                    return Fetched(name, None, f"{url}: not found (HTTP 404)", status=404)
                last_error = f"HTTP {response.status_code}"
                if response.status_code < 500 and response.status_code != 429:
                    break  # a client error will not go away on retry
        except _Incomplete as exc:
            last_error = str(exc)
        except httpx.HTTPError as exc:
            last_error = f"{type(exc).__name__}: {exc}"
        if attempt < retries:
            time.sleep(min(0.2 * 2**attempt, 5.0))
    return _failed(name, target, cached_ok, f"{url}: download failed after {retries + 1} attempts ({last_error})",
                   status)


def _receive(response: httpx.Response, target: Path, deadline: float) -> str:
    """Stream the body into target's .part file; replace target only once it is whole."""
    partial = target.with_suffix(target.suffix + ".part")
    digest, size = hashlib.sha256(), 0
    try:
        with partial.open("wb") as handle:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_DOWNLOAD_BYTES:
                    raise _Incomplete(f"over the {MAX_DOWNLOAD_BYTES:,}-byte download limit")
                if time.monotonic() > deadline:
                    raise _Incomplete(f"not finished within the time limit (raise {DOWNLOAD_SECONDS_ENV_VAR} "
                                      "for a slow server)")
                handle.write(chunk)
                digest.update(chunk)
        expected = response.headers.get("content-length")
        if expected is not None and expected.isdigit() and int(expected) != size:
            raise _Incomplete(f"truncated: {size:,} of {int(expected):,} bytes")
        partial.replace(target)  # atomic: a crash never leaves a truncated file in the cache
    finally:
        partial.unlink(missing_ok=True)
    return digest.hexdigest()


def _failed(name: str, target: Path, cached_ok: bool, error: str, status: int | None = None) -> Fetched:
    if cached_ok:
        # Offline or failing server: the verified cached copy is still good, and kept.
        log.warning("%s; using the verified cached copy %s", error, target)
        return Fetched(name, target, from_cache=True, status=status)
    return Fetched(name, None, error, status=status)


def _load_checksums(cache_dir: Path) -> dict:
    path = cache_dir / CHECKSUMS_FILE
    try:
        return json.loads(path.read_text()) if path.exists() else {}
    except (OSError, json.JSONDecodeError):
        return {}  # a damaged checksum file only costs a re-download


def _save_checksums(cache_dir: Path, checksums: dict) -> None:
    partial = cache_dir / (CHECKSUMS_FILE + ".part")
    partial.write_text(json.dumps(checksums, indent=1, sort_keys=True))
    partial.replace(cache_dir / CHECKSUMS_FILE)

"""An HTTP source (127.0.0.1 only) that misbehaves: bounded time, a clear error, the cache kept."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from http_server import serve_folder
from pipeline.sources.download import download_corpus

NAME = "pta_63.xml"


@pytest.fixture()
def cache(tota_subset: Path, tmp_path: Path) -> Path:
    """A cache holding a verified copy of NAME, fetched from a well-behaved server."""
    folder = tmp_path / "cache"
    with serve_folder(tota_subset) as url:
        [fetched] = download_corpus(url, folder, names=[NAME])
    assert fetched.error is None
    return folder


@pytest.mark.parametrize("fault, problem", [
    ("404", "not found (HTTP 404)"),
    ("500", "HTTP 500"),
    ("truncated", "RemoteProtocolError"),  # the connection closes before Content-Length bytes came
    ("stall", "ReadTimeout"),
    ("trickle", "not finished within the time limit"),
])
def test_a_failing_server_gives_a_clear_error_in_bounded_time(tota_subset: Path, tmp_path: Path, fault: str,
                                                                problem: str) -> None:
    started = time.monotonic()
    with serve_folder(tota_subset, faults={NAME: fault}) as url:
        [result] = download_corpus(url, tmp_path / "cache", names=[NAME], retries=1, timeout=1.0, file_seconds=1.5)
    assert time.monotonic() - started < 15
    assert result.path is None and result.error.startswith(f"{url}{NAME}") and problem in result.error
    assert not list((tmp_path / "cache").glob("*.part"))  # nothing half-downloaded left behind


@pytest.mark.parametrize("fault", ["500", "truncated", "stall", "trickle"])
def test_the_verified_cached_copy_is_kept_and_served(tota_subset: Path, cache: Path, fault: str) -> None:
    before = (cache / NAME).read_bytes()
    with serve_folder(tota_subset, faults={NAME: fault}) as url:
        [result] = download_corpus(url, cache, names=[NAME], retries=1, timeout=1.0, file_seconds=1.5)
    assert result.error is None and result.from_cache and result.path == cache / NAME
    assert (cache / NAME).read_bytes() == before
    assert json.loads((cache / "checksums.json").read_text())[NAME]["sha256"]


def test_a_404_keeps_the_cached_file_on_disk(tota_subset: Path, cache: Path) -> None:
    with serve_folder(tota_subset, faults={NAME: "404"}) as url:
        [result] = download_corpus(url, cache, names=[NAME], retries=0)
    assert "404" in result.error and (cache / NAME).exists()


def test_a_cached_copy_with_a_wrong_checksum_is_never_served(tota_subset: Path, cache: Path) -> None:
    (cache / NAME).write_bytes(b"<treaty>tampered</treaty>")
    with serve_folder(tota_subset, faults={NAME: "500"}) as url:
        [result] = download_corpus(url, cache, names=[NAME], retries=0, timeout=1.0)
    assert result.path is None and "HTTP 500" in result.error
    with serve_folder(tota_subset) as url:  # the server is back: the file is fetched again
        [result] = download_corpus(url, cache, names=[NAME], retries=0)
    assert result.error is None and not result.from_cache
    assert (cache / NAME).read_bytes() == (tota_subset / NAME).read_bytes()

from __future__ import annotations

import json
from pathlib import Path

from pipeline.sources.download import download_corpus, list_remote_files
from pipeline.sources.tota import read_tota_file
from tests.http_server import serve_folder


def test_downloads_every_listed_file_with_checksums(tota_subset: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with serve_folder(tota_subset) as url:
        results = download_corpus(url, cache, workers=3)
    assert sorted(r.name for r in results) == sorted(p.name for p in tota_subset.iterdir())
    assert all(r.error is None and r.path and r.path.exists() for r in results)
    checksums = json.loads((cache / "checksums.json").read_text())
    assert set(checksums) == {r.name for r in results}
    assert read_tota_file(cache / "pta_151.xml").agreement.name == "Japan - Australia"


def test_retries_transient_failures(tota_subset: Path, tmp_path: Path) -> None:
    with serve_folder(tota_subset, failures={"pta_63.xml": 2}) as url:
        results = download_corpus(url, tmp_path / "cache", names=["pta_63.xml"], retries=3)
    assert results[0].error is None and results[0].path is not None


def test_missing_file_is_reported_and_the_rest_continue(tota_subset: Path, tmp_path: Path) -> None:
    with serve_folder(tota_subset) as url:
        results = download_corpus(url, tmp_path / "cache", names=["pta_63.xml", "pta_999.xml"])
    by_name = {r.name: r for r in results}
    assert by_name["pta_63.xml"].error is None
    assert "pta_999.xml" in by_name["pta_999.xml"].error and "404" in by_name["pta_999.xml"].error


def test_corrupted_cache_is_fetched_again_and_offline_cache_still_serves(tota_subset: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with serve_folder(tota_subset) as url:
        download_corpus(url, cache, names=["pta_63.xml"])
        (cache / "pta_63.xml").write_bytes(b"garbage")
        download_corpus(url, cache, names=["pta_63.xml"])
    assert (cache / "pta_63.xml").read_bytes() == (tota_subset / "pta_63.xml").read_bytes()
    # Server gone: the verified cached copy is used.
    results = download_corpus(url, cache, names=["pta_63.xml"], retries=0, timeout=2)
    assert results[0].from_cache and results[0].error is None


def test_unchanged_files_are_revalidated_with_their_etag(tota_subset: Path, tmp_path: Path) -> None:
    """The second run sends If-None-Match with the stored ETag and the server's 304 costs no transfer."""
    cache = tmp_path / "cache"
    with serve_folder(tota_subset) as url:
        [first] = download_corpus(url, cache, names=["pta_63.xml"])
        etag = json.loads((cache / "checksums.json").read_text())["pta_63.xml"]["etag"]
        assert etag and not first.from_cache and url.conditional == []
        [second] = download_corpus(url, cache, names=["pta_63.xml"])
    assert url.conditional == ["pta_63.xml"]
    assert second.from_cache and second.error is None


def test_without_a_listing_the_tota_id_range_is_used(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "index.html").write_text("<html>no links</html>")
    import httpx

    with serve_folder(empty) as url, httpx.Client() as client:
        names = list_remote_files(url, client)
    assert names[0] == "pta_1.xml" and names[-1] == "pta_450.xml"


def test_unreachable_server_fails_fast_or_uses_the_cache(tota_subset: Path, tmp_path: Path) -> None:
    import socket

    import pytest

    from pipeline.errors import SourceError

    with socket.socket() as probe:  # a port on 127.0.0.1 with nothing listening
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    with pytest.raises(SourceError, match="cannot be reached"):
        download_corpus(dead, tmp_path / "empty-cache", timeout=2)
    cache = tmp_path / "cache"
    with serve_folder(tota_subset) as url:
        download_corpus(url, cache)
    results = download_corpus(dead, cache, timeout=2)
    assert sorted(r.name for r in results) == sorted(p.name for p in tota_subset.iterdir())
    assert all(r.from_cache and r.path for r in results)

"""The command line's preview and the flow share content digests only for files provably
unchanged in between (pipeline.fingerprint.DigestMemo)."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.fingerprint import DigestMemo, content_digest, fingerprint_files


def test_a_digest_is_reused_only_while_the_file_is_untouched(tmp_path: Path) -> None:
    path = tmp_path / "pta_1.xml"
    path.write_bytes(b"<treaty>one</treaty>")
    memo = DigestMemo()
    first = fingerprint_files([path], "pdfium", parser="p", memo=memo)
    assert fingerprint_files([path], "pdfium", parser="p", memo=memo) == first

    # Same size, modification time set back: the change time still moved, so it is hashed again.
    info = path.stat()
    path.write_bytes(b"<treaty>two</treaty>")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns
    again = fingerprint_files([path], "pdfium", parser="p", memo=memo)
    assert again != first
    assert again == fingerprint_files([path], "pdfium", parser="p")  # what hashing from scratch gives

    # Replaced by another file (a new inode), as an editor or rsync does.
    other = tmp_path / "new.xml"
    other.write_bytes(b"<treaty>one</treaty>")
    other.replace(path)
    assert memo.digest(path) == content_digest(path) == content_digest(other.parent / "pta_1.xml")
    assert fingerprint_files([path], "pdfium", parser="p", memo=memo) == first


def test_folders_are_always_hashed(tmp_path: Path) -> None:
    folder = tmp_path / "agreement"
    folder.mkdir()
    (folder / "part-1.txt").write_text("one")
    memo = DigestMemo()
    before = memo.digest(folder)
    (folder / "part-1.txt").write_text("two")  # the folder's own stat does not change
    assert memo.digest(folder) == content_digest(folder) != before

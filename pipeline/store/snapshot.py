"""Snapshot publishing: a refresh writes a copy of the database and swaps it in whole.

Readers open the published file read-only (DuckDB lets any number of processes do that) and
are never blocked: the refresh never opens the published file for writing, so their locks
never meet. It copies the file to `<db>.next-<id>` beside it (same file system, so the swap is
a rename), writes there, checkpoints, closes, and `os.replace`s it over the published name.
Readers that opened the old file keep reading it (its inode lives while they hold it); new
readers open the new one. A crash before the rename leaves the published file as it was and a
stale `.next-*` file, which the next refresh removes before it starts.

Two refreshes of one database would each publish a copy without the other's work, so writers
take an exclusive lock on `<db>.lock` (readers never touch it).
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.errors import StoreError
from pipeline.store.database import open_database

NEXT_MARK = ".next-"


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def writer_lock(db_path: Path) -> Iterator[None]:
    """Hold the database's writer lock, or fail at once naming the holder."""
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{db_path}: cannot create the database folder: {exc.strerror} "
                         "(choose a writable location with --db or CYBERNORMS_DB)") from exc
    path = lock_path(db_path)
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"{db_path}: cannot open the database: {exc.strerror}: {path} "
                         "(check the path and its permissions)") from exc
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            holder = os.pread(descriptor, 64, 0).decode("ascii", "replace").strip() or "another process"
            raise StoreError(f"{db_path}: another refresh (process {holder}) is writing this database "
                             "(wait for it to finish; readers are not affected)") from exc
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def remove_stale(db_path: Path) -> list[Path]:
    """Delete snapshots left by refreshes that died before publishing (call under the lock)."""
    stale = [p for p in db_path.parent.glob(f"{db_path.name}{NEXT_MARK}*") if p.is_file()]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


@dataclass
class Snapshot:
    """A writable copy of the published database, to be published whole or discarded."""

    published: Path
    working: Path
    connection: duckdb.DuckDBPyConnection
    copy_seconds: float = 0.0
    copied_bytes: int = 0

    def publish(self) -> float:
        """Make the copy the published database (atomic rename); returns the seconds it took."""
        started = time.perf_counter()
        self.connection.execute("CHECKPOINT")
        self.connection.close()
        _fsync(self.working)
        os.replace(self.working, self.published)
        _fsync(self.published.parent)
        # A write-ahead log beside the old file (from before snapshots) belongs to it, not to this one.
        Path(f"{self.published}.wal").unlink(missing_ok=True)
        return time.perf_counter() - started

    def discard(self) -> None:
        try:
            self.connection.close()
        except duckdb.Error:
            pass
        for path in (self.working, Path(f"{self.working}.wal")):
            path.unlink(missing_ok=True)


def begin(db_path: Path) -> Snapshot:
    """Copy the published database (if any) to a new working file and open that for writing."""
    working = db_path.with_name(f"{db_path.name}{NEXT_MARK}{uuid.uuid4().hex[:8]}")
    started = time.perf_counter()
    copied = 0
    try:
        if db_path.exists():
            shutil.copyfile(db_path, working)
            copied = working.stat().st_size
            wal = Path(f"{db_path}.wal")
            if wal.exists():  # a database last written before snapshots, not checkpointed
                shutil.copyfile(wal, f"{working}.wal")
    except OSError as exc:
        for path in (working, Path(f"{working}.wal")):
            path.unlink(missing_ok=True)
        raise StoreError(f"the database cannot be written: copying it to {working.name} failed: {exc}") from exc
    seconds = time.perf_counter() - started
    try:
        connection = open_database(working)
    except BaseException:
        for path in (working, Path(f"{working}.wal")):
            path.unlink(missing_ok=True)
        raise
    return Snapshot(db_path, working, connection, seconds, copied)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)

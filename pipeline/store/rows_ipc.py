"""Analysed rows as compressed Arrow IPC bytes, for results that cross a network (Dask).

A Dask worker sends what it analysed back to the one process that writes the database.
As one Arrow IPC stream per table, zstd-compressed, a batch travels as a few contiguous
byte strings that need no shared filesystem
and no Python objects rebuilt one by one on the receiving side; DuckDB then inserts the
decoded Arrow tables as it does the process pool's.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from pipeline.store.rows import TABLES, StoreRows

_OPTIONS = pa.ipc.IpcWriteOptions(compression="zstd")


@dataclass(frozen=True)
class PackedRows:
    """`StoreRows` as one IPC stream per table, in `TABLES` order."""

    tables: tuple[bytes, ...]

    @property
    def size(self) -> int:
        return sum(len(t) for t in self.tables)


def pack_rows(rows: StoreRows) -> PackedRows:
    packed = []
    for name in TABLES:
        table: pa.Table = getattr(rows, name)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema, options=_OPTIONS) as writer:
            writer.write_table(table)
        packed.append(sink.getvalue().to_pybytes())
    return PackedRows(tuple(packed))


def unpack_rows(packed: PackedRows) -> StoreRows:
    return StoreRows(*(pa.ipc.open_stream(pa.py_buffer(data)).read_all() for data in packed.tables))

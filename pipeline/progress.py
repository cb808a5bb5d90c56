"""Progress reporting that the core and flows can call without knowing who listens.

The CLI installs a rich progress bar; library use and tests install nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# (stage, completed, total)
ProgressCallback = Callable[[str, int, int], None]
_current: ContextVar[ProgressCallback | None] = ContextVar("cybernorms_progress", default=None)


def report(stage: str, completed: int, total: int) -> None:
    callback = _current.get()
    if callback is not None:
        callback(stage, completed, total)


@contextmanager
def reporting_to(callback: ProgressCallback) -> Iterator[None]:
    token = _current.set(callback)
    try:
        yield
    finally:
        _current.reset(token)

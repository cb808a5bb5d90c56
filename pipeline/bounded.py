"""Bounded, in-order streaming of submitted work: at most `in_flight` items submitted and
not yet consumed, so a refresh holds a few batches of results at a time, never the corpus."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R", covariant=True)


class Future(Protocol[R]):
    def result(self) -> R: ...


def stream_in_order(submit: Callable[[T], Future[R]], items: Iterable[T], in_flight: int) -> Iterator[R]:
    """Submit items, keeping `in_flight` of them submitted ahead of the consumer, and yield
    their results in submission order (the store writes batches in source order, so two
    runners give the same database). The next item is submitted before a result is yielded:
    the workers go on while the consumer writes."""
    if in_flight < 1:
        raise ValueError(f"in_flight must be at least 1, not {in_flight}")
    pending: deque[Future[R]] = deque()
    source = iter(items)
    for item in source:
        pending.append(submit(item))
        if len(pending) >= in_flight:
            break
    while pending:
        result = pending.popleft().result()  # drop the future: it holds the result
        for item in source:
            pending.append(submit(item))
            break
        yield result

"""The refresh's bounded streaming: few batches in flight, results in submission order."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from pipeline.bounded import stream_in_order


def test_results_come_in_order_with_at_most_in_flight_outstanding() -> None:
    lock = threading.Lock()
    outstanding = {"now": 0, "most": 0}

    def work(item: int) -> int:
        time.sleep(random.uniform(0, 0.01))  # finish out of order
        return item * 10

    with ThreadPoolExecutor(max_workers=4) as pool:
        def submit(item: int):
            with lock:
                outstanding["now"] += 1
                outstanding["most"] = max(outstanding["most"], outstanding["now"])
            return pool.submit(work, item)

        results = []
        for result in stream_in_order(submit, range(40), in_flight=3):
            with lock:
                outstanding["now"] -= 1
            results.append(result)
    assert results == [i * 10 for i in range(40)]
    # submitted and not yet consumed: never more than in_flight (+1 while one is handed over)
    assert outstanding["most"] <= 4


def test_items_are_pulled_lazily() -> None:
    """A generator of batches is read only as far as the window reaches."""
    pulled = []

    def items():
        for i in range(100):
            pulled.append(i)
            yield i

    with ThreadPoolExecutor(max_workers=2) as pool:
        stream = stream_in_order(lambda i: pool.submit(lambda: i), items(), in_flight=2)
        assert next(stream) == 0
        assert len(pulled) <= 3


def test_in_flight_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        list(stream_in_order(lambda i: None, [1], in_flight=0))

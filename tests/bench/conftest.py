"""Benchmark code run inside pytest pins this process (`bench.server.pin_server` moves every
thread of "the benchmark" off the server's core): each test gets its cores back afterwards, so
a pinned test never leaves the rest of the suite on one core."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.server import unpinned_afterwards


@pytest.fixture(autouse=True)
def restored_affinity() -> Iterator[set[int]]:
    with unpinned_afterwards() as before:
        yield before

"""Benchmark code run inside pytest pins this process (`bench.server.pin_server` moves every
thread of "the benchmark" off the server's core): each test gets its cores back afterwards, so
a pinned test never leaves the rest of the suite on one core."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def restored_affinity() -> Iterator[set[int]]:
    before = os.sched_getaffinity(0)
    try:
        yield before
    finally:
        for name in os.listdir("/proc/self/task"):
            with contextlib.suppress(ProcessLookupError):
                os.sched_setaffinity(int(name), before)

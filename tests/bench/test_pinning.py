"""`pin_server`: the server alone on the first core, and *every* thread of the benchmark (the
emulators serve from threads started before it) on the others."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from bench.server import pin_server, usable_cores


@pytest.fixture
def restored_affinity() -> Iterator[set[int]]:
    """pin_server narrows this (pytest's) process: give every thread its cores back."""
    before = os.sched_getaffinity(0)
    try:
        yield before
    finally:
        for name in os.listdir("/proc/self/task"):
            with contextlib.suppress(ProcessLookupError):
                os.sched_setaffinity(int(name), before)


def test_threads_started_before_pinning_leave_the_servers_core(
    restored_affinity: set[int],
) -> None:
    cores = usable_cores()
    assert len(cores) >= 2, "the benchmark pins the server to a core of its own: needs 2 cores"
    started, stop = threading.Event(), threading.Event()
    native_ids: list[int] = []

    def emulator_like() -> None:  # like bench_emulators: a thread started before the server
        native_ids.append(threading.get_native_id())
        started.set()
        stop.wait(10)

    thread = threading.Thread(target=emulator_like)
    thread.start()
    started.wait(5)
    server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(10)"])
    try:
        assert pin_server(server.pid, cores)
        assert os.sched_getaffinity(server.pid) == {cores[0]}
        assert os.sched_getaffinity(0) == set(cores[1:])
        assert os.sched_getaffinity(native_ids[0]) == set(cores[1:])  # not only the caller
    finally:
        stop.set()
        thread.join()
        server.kill()
        server.wait()

"""`pin_server`: the server alone on the first core, and *every* thread of the benchmark (the
emulators serve from threads started before it) on the others. (`restored_affinity`, from
conftest, gives pytest its cores back.)"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from bench.server import pin_server


def test_threads_started_before_pinning_leave_the_servers_core(
    restored_affinity: set[int],
) -> None:
    cores = tuple(sorted(restored_affinity))  # this process's cores (conftest gives them back)
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

"""A server under test in its own process: start-up time, CPU time and RSS read from /proc."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sys
import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp

URL_LINE = re.compile(r"listening on (http://\S+)/api/messages")
TICKS = os.sysconf("SC_CLK_TCK")
START_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Server:
    pid: int
    base_url: str
    startup_seconds: float  # process start → /healthz 200
    pinned: bool

    def cpu_seconds(self) -> float:
        """user + system CPU time of the server process so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")


def usable_cores() -> tuple[int, ...]:
    """The cores this process may run on: read once, before `pin_server` narrows them."""
    return tuple(sorted(os.sched_getaffinity(0)))


def pin_server(pid: int, cores: Sequence[int]) -> bool:
    """`pid` on the first of `cores`, this process (every thread) on the others (when there are
    two or more).

    Called right after the child is spawned, before its interpreter has imported anything, so
    its start-up and import times are measured on the server core too.
    """
    if len(cores) < 2:
        return False
    os.sched_setaffinity(pid, {cores[0]})
    for thread in _threads_of_this_process():  # the emulators' threads too, not only this one
        with contextlib.suppress(ProcessLookupError):  # a thread that has just ended
            os.sched_setaffinity(thread, set(cores[1:]))
    return True


@contextlib.contextmanager
def unpinned_afterwards() -> Iterator[set[int]]:
    """This process (every thread) back on the cores it had before the block, which
    `pin_server` may narrow: a run after it (the scale bench after the pairs) pins again."""
    before = os.sched_getaffinity(0)
    try:
        yield before
    finally:
        for thread in _threads_of_this_process():
            with contextlib.suppress(ProcessLookupError):
                os.sched_setaffinity(thread, before)


def _threads_of_this_process() -> list[int]:
    """Linux's affinity is per thread: `sched_setaffinity(0, …)` pins only the caller, and threads
    started before (the emulators serve from their own) could run on the server's core."""
    return [int(name) for name in os.listdir("/proc/self/task")]


async def import_seconds(module: str, cores: Sequence[int]) -> float:
    """Wall time of `import module` in a fresh pinned interpreter (its own start-up aside)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, stdout=asyncio.subprocess.PIPE
    )
    pin_server(process.pid, cores)
    out, _ = await process.communicate()
    return float(out.decode().strip())


async def _healthy(base_url: str, deadline: float) -> None:
    async with aiohttp.ClientSession() as session:
        while time.perf_counter() < deadline:
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"{base_url}/healthz") as answer:
                    if answer.status == 200:
                        return
            await asyncio.sleep(0.005)
    raise TimeoutError(f"{base_url}/healthz never answered 200")


async def _read_url(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    while line := (await process.stdout.readline()).decode():
        if found := URL_LINE.search(line):
            return found.group(1)
    raise RuntimeError(f"the server exited ({await process.wait()}) before it listened")


@contextlib.asynccontextmanager
async def server_process(
    module: str,
    env: Mapping[str, str],
    *,
    args: Sequence[str] = (),
    cores: Sequence[int] | None = None,
    cwd: Path | None = None,
) -> AsyncIterator[Server]:
    """`python -m module` with `env`, pinned (see `pin_server`; `cores` default: this process's).

    `cwd` (default: this one) is also where `module` is imported from: `-m` puts it first on
    the path, so a git worktree there runs that revision's code.

    Stopped (SIGTERM, then kill) when the block ends.
    """
    timeout = START_TIMEOUT_SECONDS
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", module, *args,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        cwd=cwd,
    )  # fmt: skip
    pinned = pin_server(process.pid, usable_cores() if cores is None else cores)
    try:
        url = await asyncio.wait_for(_read_url(process), timeout)
        await _healthy(url, started + timeout)
        startup = time.perf_counter() - started
        yield Server(process.pid, url, startup, pinned)
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()

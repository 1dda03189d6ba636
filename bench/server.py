"""A server under test in its own process: start-up time, CPU time and RSS read from /proc."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sys
import time
from collections.abc import AsyncIterator, Mapping, Sequence
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


def _pin(pid: int, core: int) -> bool:
    """Server on `core`, this process on the others (when the machine has more than one)."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return False
    server_core = cores[core % len(cores)]
    os.sched_setaffinity(pid, {server_core})
    os.sched_setaffinity(0, set(cores) - {server_core})
    return True


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
    module: str, env: Mapping[str, str], *, args: Sequence[str] = ()
) -> AsyncIterator[Server]:
    """`python -m module` with `env`; stopped (SIGTERM, then kill) when the block ends."""
    timeout = START_TIMEOUT_SECONDS
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", module, *args,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        url = await asyncio.wait_for(_read_url(process), timeout)
        await _healthy(url, started + timeout)
        startup = time.perf_counter() - started
        yield Server(process.pid, url, startup, _pin(process.pid, 0))
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()

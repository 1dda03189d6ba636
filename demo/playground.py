"""The Microsoft 365 Agents Playground (npm) as a child process we own and always stop.

It runs in its own process group so a stop takes its children too; it picks its own port when
asked for 0 (or when the wanted one is busy) and prints `Listening on N`, which is parsed here.
Its output goes to a log file in its working directory (where it also writes `devTools/`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import time
from pathlib import Path

import aiohttp

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EXECUTABLE = REPO_ROOT / "node_modules" / ".bin" / "agentsplayground"
LISTENING = re.compile(rb"Listening on (\d+)")
LOG_FILE = "playground.log"


class PlaygroundError(RuntimeError):
    """The Playground could not be found or did not come up."""


def find_executable(explicit: Path | None = None) -> Path:
    executable = explicit or DEFAULT_EXECUTABLE
    if not executable.exists():
        raise PlaygroundError(
            f"{executable} not found: run `npm ci` in {REPO_ROOT} (make demo does it)"
        )
    return executable


class Playground:
    """One Playground process pointed at the bot's /api/messages, on 127.0.0.1 URLs."""

    def __init__(self, executable: Path, workdir: Path, messages_url: str, port: int = 0) -> None:
        self._command = [
            str(executable), "start", "-e", messages_url, "-c", "msteams",
            "-p", str(port), "--disable-telemetry",
        ]  # fmt: skip
        self._workdir = workdir
        self._process: asyncio.subprocess.Process | None = None
        self._drain: asyncio.Task[None] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    async def start(self, timeout_seconds: float = 30.0) -> str:
        """Start it, wait for `Listening on N` and a `pong`; returns the Playground URL."""
        env = {**os.environ, "TEAMSAPPTESTER_BROWSER": "none"}
        self._process = await asyncio.create_subprocess_exec(
            *self._command,
            cwd=self._workdir,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() kills the whole tree
        )
        async with asyncio.timeout(timeout_seconds):
            self.port = await self._read_port()
            self._drain = asyncio.create_task(self._copy_output())
            await self._wait_for_ping()
        return self.url

    def _stdout(self) -> asyncio.StreamReader:
        process = self._process
        if process is None or process.stdout is None:
            raise PlaygroundError("the Playground is not running")
        return process.stdout

    async def _read_port(self) -> int:
        with (self._workdir / LOG_FILE).open("ab") as log:
            async for line in self._stdout():
                log.write(line)
                found = LISTENING.search(line)
                if found:
                    return int(found.group(1))
        raise PlaygroundError(f"the Playground exited early; see {self._workdir / LOG_FILE}")

    async def _copy_output(self) -> None:
        """Keep reading its output (a full pipe would block it) into the log file."""
        with (self._workdir / LOG_FILE).open("ab") as log:
            async for line in self._stdout():
                log.write(line)
                log.flush()

    async def _wait_for_ping(self) -> None:
        async with aiohttp.ClientSession() as session:
            while True:
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(f"{self.url}/_debug/ping") as answer:
                        if answer.status == 200:
                            return
                await asyncio.sleep(0.1)

    async def wait(self) -> int:
        """Until the process exits on its own; returns its exit code."""
        assert self._process is not None
        return await self._process.wait()

    async def stop(self, grace_seconds: float = 5.0) -> None:
        """SIGTERM to the process group, SIGKILL after the grace period; idempotent."""
        process = self._process
        if process is None:
            return
        _signal_group(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), grace_seconds)
        except TimeoutError:
            _signal_group(process.pid, signal.SIGKILL)
            await process.wait()
        await _reap_group(process.pid)
        if self._drain is not None:
            self._drain.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._drain


def _signal_group(pgid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


async def _reap_group(pgid: int, deadline_seconds: float = 2.0) -> None:
    """Children of the Playground (if any) die with the group; make sure none lingers."""
    end = time.monotonic() + deadline_seconds
    while time.monotonic() < end:
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return
        await asyncio.sleep(0.05)
    _signal_group(pgid, signal.SIGKILL)

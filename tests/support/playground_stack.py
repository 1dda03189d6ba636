"""The demo stack for e2e tests: `python -m demo` (emulators, the real bot, the Playground).

The launcher writes a `--ready-file` JSON with every URL once all three are up; the Playground's
current user is Megan Bowen (a Referral User who owns referral 123). Stopped with SIGTERM (the
launcher stops the Playground's process group), SIGKILL if it does not exit in time.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo.playground_config import BOT_NAME as DEMO_BOT_NAME

REPO_ROOT = Path(__file__).resolve().parents[2]
PLAYGROUND_BIN = REPO_ROOT / "node_modules" / ".bin" / "agentsplayground"
BOT_NAME = DEMO_BOT_NAME
CHANNEL_NAME = "Referrals"
START_SECONDS = 45.0
STOP_SECONDS = 15.0


@dataclass(frozen=True)
class Stack:
    playground_url: str
    bot_url: str
    referrals_base_url: str  # the emulator's controls live under /_emulator/


def _wait_for_ready(process: subprocess.Popen[bytes], ready: Path, log: Path) -> dict[str, Any]:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        if ready.exists():
            info: dict[str, Any] = json.loads(ready.read_text(encoding="utf-8"))
            return info
        time.sleep(0.05)
    raise AssertionError(f"the demo did not start: {log.read_text(errors='replace')[-2000:]}")


def _stop(process: subprocess.Popen[bytes], playground_pid: int | None) -> None:
    """SIGTERM: the launcher stops the Playground itself. Only if it hangs, kill both groups."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        for group in (process.pid, playground_pid):
            if group is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(group, signal.SIGKILL)
        process.wait(timeout=STOP_SECONDS)


@contextmanager
def running_stack(workdir: Path) -> Iterator[Stack]:
    """`python -m demo` on free ports, its Playground working in `workdir`."""
    ready, log = workdir / "ready.json", workdir / "demo.log"
    env = {key: os.environ[key] for key in ("PATH", "HOME", "TMPDIR") if key in os.environ}
    env["REFERRAL_BOT_STATE__SQLITE_PATH"] = str(workdir / "state.sqlite3")  # not the repo's file
    command = [sys.executable, "-m", "demo", "--workdir", str(workdir / "playground")]
    command += ["--ready-file", str(ready), "--playground-bin", str(PLAYGROUND_BIN)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    info: dict[str, Any] = {}
    try:
        info = _wait_for_ready(process, ready, log)
        yield Stack(info["playground_url"], info["bot_url"], info["referrals_base_url"])
    finally:
        _stop(process, info.get("playground_pid"))

"""`python -m bot` as a real process (demo env + a state backend), to be SIGKILLed by a test.

Its replies go to a `FakeConnector` in the test; its log goes to a file (no pipe to fill).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestServer

from bench.fixtures import bot_environment
from bot.cards.confirm_change import CONFIRM_VERB
from bot.emulator.server import RunningEmulators
from tests.integration.conftest import REFERRAL_ID, PartnerCenterView
from tests.integration.e2e import propose, text_of
from tests.support.bot import BotUnderTest, FakeConnector

ROOT = Path(__file__).resolve().parents[2]
_LISTENING = re.compile(r"listening on (http://\S+)/api/messages")
_START_SECONDS = 60.0


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    bot: BotUnderTest

    async def kill(self) -> int:
        """SIGKILL: no cleanup, no flush, no goodbye; returns the exit status (-9)."""
        self.process.send_signal(signal.SIGKILL)
        return await self.process.wait()


def process_env(emulators: RunningEmulators, state: Mapping[str, str]) -> dict[str, str]:
    """The demo settings as environment, plus REFERRAL_BOT_STATE__* for the backend."""
    return {**os.environ, **bot_environment(emulators), **state}


@asynccontextmanager
async def bot_process(
    env: Mapping[str, str], log: Path, session: aiohttp.ClientSession
) -> AsyncIterator[BotProcess]:
    """Starts `python -m bot`, waits for its URL; killed (if still alive) on exit."""
    connector = FakeConnector()
    server = TestServer(connector.app(), host="127.0.0.1", port=0)
    await server.start_server()
    with log.open("ab") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", env=dict(env), cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=output, stdin=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
    try:
        url = await asyncio.wait_for(_url(process, log), _START_SECONDS)
        connector_url = str(server.make_url("")).rstrip("/") + "/"
        yield BotProcess(process, BotUnderTest(session, url, connector_url, connector))
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await server.close()


async def _url(process: asyncio.subprocess.Process, log: Path) -> str:
    assert process.stdout is not None
    while line := (await process.stdout.readline()).decode():
        if found := _LISTENING.search(line):
            return found.group(1)
    raise RuntimeError(f"python -m bot exited ({await process.wait()}); see {log}")


async def killed_proposal_is_confirmed_once(
    state: Mapping[str, str],
    emulators: RunningEmulators,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
    log: Path,
) -> None:
    """ "mark 123 won" on a process that is then SIGKILLed; a fresh process on the same state
    confirms it: applied once (1 PATCH), and a repeat click says it is already saved."""
    env = process_env(emulators, state)
    async with bot_process(env, log, session) as first:
        _, pending_id = await propose(first.bot, "mark 123 won")
        assert await first.kill() == -9
    assert await partner_center.patches() == []

    async with bot_process(env, log, session) as second:
        answer = await second.bot.click(CONFIRM_VERB, {"pendingId": pending_id})
        again = await second.bot.click(CONFIRM_VERB, {"pendingId": pending_id})

    assert "Won" in text_of(answer.card)
    assert "already saved" in text_of(again.card).casefold()
    assert len(await partner_center.patches()) == 1
    now = await partner_center.referral(REFERRAL_ID)
    assert (now["status"], now["substatus"]) == ("Closed", "Won")

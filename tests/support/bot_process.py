"""`python -m bot` as a real process (demo env + a state backend), to be SIGKILLed by a test.

Its replies go to a `FakeConnector` in the test; its log goes to a file (no pipe to fill).
"""

from __future__ import annotations

import asyncio
import itertools
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
from bot.card_actions.replies import SAVING_TITLE
from bot.cards.confirm_change import CANCEL_VERB, CONFIRM_VERB
from emulators.server import RunningEmulators
from tests.support.bot import BotUnderTest, FakeConnector
from tests.support.e2e import propose, text_of
from tests.support.emulators import PartnerCenterView
from tests.support.seeds import REFERRAL_ID

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
        connector.let_go()
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


# A Confirm killed mid-PATCH (issue 13, D2): the click's claim must not strand the change.
LEASE_SECONDS = 2.0  # < the 4 s after which the click is answered "Saving…": run out by the kill
SAVE_FAULTS = {  # the PATCH is still in flight when "Saving…" comes back and the bot is killed
    "hang": {"seconds": 600},  # never answered, never applied
    "latency": {"seconds": 8},  # applied late: when the emulator sees the client gone
}
_LANDS_WITHIN = 10.0  # seconds for the emulator to apply a `latency` PATCH whose client went away


async def killed_mid_save_is_settled_by_the_next_click(
    state: Mapping[str, str],
    emulators: RunningEmulators,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
    log: Path,
    *,
    fault: str,
    verb: str,
) -> None:
    """ "mark 123 won", Confirm; the PATCH hangs (or is slow), "Saving…" comes back and the
    process is SIGKILLed. A fresh process on the same state answers the next `verb` click with
    what happened, never "being saved": the change applied exactly once (Confirm, or it had
    landed) or cancelled with nothing written (Cancel, and it had not)."""
    env = {
        **process_env(emulators, state),
        "REFERRAL_BOT_PENDING_CLAIM_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    data = {"pendingId": ""}
    async with bot_process(env, log, session) as first:
        _, data["pendingId"] = await propose(first.bot, "mark 123 won")
        await partner_center.add_fault(fault, method="PATCH", times=1, **SAVE_FAULTS[fault])
        saving = await first.bot.click(CONFIRM_VERB, data)
        assert SAVING_TITLE in text_of(saving.card)
        assert [p["status"] for p in await partner_center.patches()] == [None]  # in flight
        assert await first.kill() == -9
    landed = fault == "latency"
    if landed:
        await _until_answered(partner_center)

    async with bot_process(env, log, session) as second:
        answer = await second.bot.click(verb, data)
        again = await second.bot.click(verb, data)

    seen, seen_again = text_of(answer.card), text_of(again.card)
    now = await partner_center.referral(REFERRAL_ID)
    statuses = [p["status"] for p in await partner_center.patches()]
    assert "being saved" not in (seen + seen_again).casefold()
    if verb == CANCEL_VERB and not landed:
        assert "Cancelled — nothing was changed" in seen
        assert "cancelled" in seen_again.casefold()
        assert statuses == [None]
        assert now["status"] != "Closed"
        return
    assert "Won" in seen
    assert ("Too late to cancel" if verb == CANCEL_VERB else "Saved") in seen
    assert "already saved" in seen_again.casefold()
    assert statuses == ([200] if landed else [None, 200])  # applied exactly once
    assert (now["status"], now["substatus"]) == ("Closed", "Won")


async def _until_answered(partner_center: PartnerCenterView) -> None:
    """Polls the emulator's record (another process's work: nothing here to wait on)."""
    async with asyncio.timeout(_LANDS_WITHIN):
        for _ in itertools.count():
            if [p["status"] for p in await partner_center.patches()] != [None]:
                return
            await asyncio.sleep(0.05)

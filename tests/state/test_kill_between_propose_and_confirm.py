"""SQLite: a bot process SIGKILLed between propose and confirm loses nothing; applied once."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from bot.cards.confirm_change import CONFIRM_VERB
from bot.emulator.server import RunningEmulators
from tests.integration.conftest import REFERRAL_ID, PartnerCenterView
from tests.integration.e2e import propose, text_of
from tests.state.bot_process import bot_process, process_env


async def test_a_killed_process_leaves_a_proposal_a_fresh_one_confirms_once(
    fresh: RunningEmulators,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
    tmp_path: Path,
) -> None:
    state = {
        "REFERRAL_BOT_STATE__BACKEND": "sqlite",
        "REFERRAL_BOT_STATE__SQLITE_PATH": str(tmp_path / "state" / "bot.sqlite3"),
    }
    env, log = process_env(fresh, state), tmp_path / "bot.log"
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

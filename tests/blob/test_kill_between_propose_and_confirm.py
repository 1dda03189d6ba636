"""Blob: a bot process SIGKILLed between propose and confirm; a fresh process confirms once."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from bot.cards.confirm_change import CONFIRM_VERB
from bot.emulator.server import RunningEmulators
from bot.state.blob_storage import AzureBlobStorage
from tests.integration.conftest import (
    REFERRAL_ID,
    PartnerCenterView,
    fresh,
    identity,
    partner_center,
    running,
)
from tests.integration.e2e import propose, text_of
from tests.state.bot_process import bot_process, process_env
from tests.support.azurite import Azurite

__all__ = ["fresh", "identity", "partner_center", "running"]  # fixtures used here


async def test_a_killed_process_leaves_a_proposal_a_fresh_one_confirms_once(
    fresh: RunningEmulators,
    partner_center: PartnerCenterView,
    session: aiohttp.ClientSession,
    azurite: Azurite,
    blob_storage: AzureBlobStorage,
    tmp_path: Path,
) -> None:
    state = {
        "REFERRAL_BOT_STATE__BACKEND": "blob",
        "REFERRAL_BOT_STATE__BLOB_CONNECTION_STRING": azurite.connection_string,
        "REFERRAL_BOT_STATE__BLOB_CONTAINER": blob_storage.container_name,
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

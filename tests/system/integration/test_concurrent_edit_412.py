"""Someone else wrote between preview and Confirm: 412 -> a fresh confirm card, no blind write."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.cards.confirm_change import CONFIRM_VERB
from emulators.server import RunningEmulators
from tests.support.bot import BotUnderTest, demo_settings, running_bot
from tests.support.e2e import pending_id, propose, text_of
from tests.support.emulator_controls import REFERRALS_PATH
from tests.support.emulators import PartnerCenterView
from tests.support.seeds import REFERRAL_ID


@pytest.fixture
async def bot(fresh: RunningEmulators) -> AsyncIterator[BotUnderTest]:
    async with running_bot(demo_settings(fresh)) as running:
        yield running


async def test_a_412_shows_a_fresh_confirm_card_and_the_fresh_one_applies_once(
    bot: BotUnderTest, partner_center: PartnerCenterView
) -> None:
    _, first_id = await propose(bot, "mark 123 won")
    await partner_center.add_fault(
        "bump_etag", method="PATCH", path=f"{REFERRALS_PATH}/{REFERRAL_ID}"
    )

    conflict = await bot.click(CONFIRM_VERB, {"pendingId": first_id})

    assert conflict.status == 200
    assert "Someone else changed this referral" in text_of(conflict.card)
    second_id = pending_id(conflict.card)
    assert second_id != first_id
    assert await partner_center.patches(status=200) == []
    [refused] = await partner_center.patches()
    assert refused["status"] == 412
    bumped = (await partner_center.referral(REFERRAL_ID))["eTag"]

    applied = await bot.click(CONFIRM_VERB, {"pendingId": second_id})

    assert "Won" in text_of(applied.card)
    [written] = await partner_center.patches(status=200)
    assert written["headers"]["If-Match"] == bumped
    now = await partner_center.referral(REFERRAL_ID)
    assert (now["status"], now["substatus"]) == ("Closed", "Won")


async def test_the_out_of_date_card_no_longer_confirms(
    bot: BotUnderTest, partner_center: PartnerCenterView
) -> None:
    _, first_id = await propose(bot, "mark 123 won")
    await partner_center.add_fault(
        "bump_etag", method="PATCH", path=f"{REFERRALS_PATH}/{REFERRAL_ID}"
    )
    await bot.click(CONFIRM_VERB, {"pendingId": first_id})

    stale = await bot.click(CONFIRM_VERB, {"pendingId": first_id})

    assert "out of date" in text_of(stale.card)
    assert await partner_center.patches(status=200) == []

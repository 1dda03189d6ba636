"""Only the seller who proposed a change may confirm it; concurrent clicks apply it once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.cards.confirm_change import CANCEL_VERB, CONFIRM_VERB
from emulators.server import RunningEmulators
from tests.support.activities import channel_thread
from tests.support.bot import BotUnderTest, demo_settings, running_bot
from tests.support.e2e import propose, text_of
from tests.support.emulators import OTHER_SELLER, SELLER, PartnerCenterView
from tests.support.seeds import REFERRAL_ID


@pytest.fixture
async def bot(fresh: RunningEmulators) -> AsyncIterator[BotUnderTest]:
    async with running_bot(demo_settings(fresh)) as running:
        yield running


async def test_another_sellers_click_is_refused_and_patches_nothing(
    bot: BotUnderTest, partner_center: PartnerCenterView
) -> None:
    channel = channel_thread()
    _, pending_id = await propose(bot, "mark 123 won", conversation=channel, mention=True)

    confirm = await bot.click(
        CONFIRM_VERB, {"pendingId": pending_id}, user=OTHER_SELLER, conversation=channel
    )
    cancel = await bot.click(
        CANCEL_VERB, {"pendingId": pending_id}, user=OTHER_SELLER, conversation=channel
    )

    for refusal in (confirm, cancel):
        assert refusal.status == 200
        assert f"Only {SELLER.name}" in text_of(refusal.card)
    assert await partner_center.patches() == []
    now = await partner_center.referral(REFERRAL_ID)
    assert now["status"] == "Active"


async def test_the_proposers_card_still_works_after_someone_elses_click(
    bot: BotUnderTest, partner_center: PartnerCenterView
) -> None:
    channel = channel_thread()
    _, pending_id = await propose(bot, "mark 123 won", conversation=channel, mention=True)
    await bot.click(
        CONFIRM_VERB, {"pendingId": pending_id}, user=OTHER_SELLER, conversation=channel
    )

    answer = await bot.click(CONFIRM_VERB, {"pendingId": pending_id}, conversation=channel)

    assert "Won" in text_of(answer.card)
    assert len(await partner_center.patches(status=200)) == 1


async def test_three_concurrent_confirm_clicks_apply_exactly_one_patch(
    bot: BotUnderTest, partner_center: PartnerCenterView
) -> None:
    _, pending_id = await propose(bot, "mark 123 won")

    answers = await asyncio.gather(
        *(bot.click(CONFIRM_VERB, {"pendingId": pending_id}) for _ in range(3))
    )

    assert [answer.status for answer in answers] == [200, 200, 200]
    assert len(await partner_center.patches()) == 1
    results = [
        a for a in answers if a.body.get("type") == "application/vnd.microsoft.card.adaptive"
    ]
    assert any("Won" in text_of(a.card) for a in results)
    now = await partner_center.referral(REFERRAL_ID)
    assert (now["status"], now["substatus"]) == ("Closed", "Won")

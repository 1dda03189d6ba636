"""'mark 123 won' in a personal chat: confirm card, Confirm, exactly one PATCH, result card."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.cards.confirm_change import CANCEL_VERB, CONFIRM_VERB
from emulators.server import RunningEmulators
from tests.support.bot import BotUnderTest, demo_settings, running_bot
from tests.support.e2e import propose, text_of
from tests.support.emulators import PartnerCenterView
from tests.support.seeds import CONTOSO_DEAL, REFERRAL_ID


@pytest.fixture
async def bot(fresh: RunningEmulators) -> AsyncIterator[BotUnderTest]:
    async with running_bot(demo_settings(fresh)) as running:
        yield running


async def test_confirm_card_shows_old_and_new_status_and_changes_nothing_yet(
    bot: BotUnderTest, partner_center: PartnerCenterView
) -> None:
    card, _ = await propose(bot, "mark 123 won")

    text = text_of(card)
    assert CONTOSO_DEAL in text
    assert "Active (Accepted)" in text
    assert "Won" in text
    assert "can't be undone" in text
    assert await partner_center.patches() == []


async def test_confirm_applies_exactly_one_patch_with_the_previewed_etag(
    bot: BotUnderTest, partner_center: PartnerCenterView
) -> None:
    previewed = (await partner_center.referral(REFERRAL_ID))["eTag"]
    _, pending_id = await propose(bot, "mark 123 won")

    answer = await bot.click(CONFIRM_VERB, {"pendingId": pending_id})

    assert answer.status == 200
    result = text_of(answer.card)
    assert CONTOSO_DEAL in result
    assert "Won" in result
    [patch] = await partner_center.patches()
    assert patch["status"] == 200
    assert patch["headers"]["If-Match"] == previewed
    assert patch["headers"]["Prefer"] == "return=representation"
    assert {op["op"] for op in patch["body"]} <= {"add", "replace"}
    now = await partner_center.referral(REFERRAL_ID)
    assert (now["status"], now["substatus"]) == ("Closed", "Won")


async def test_a_second_click_after_success_does_not_patch_again(
    bot: BotUnderTest, partner_center: PartnerCenterView
) -> None:
    _, pending_id = await propose(bot, "mark 123 won")
    await bot.click(CONFIRM_VERB, {"pendingId": pending_id})

    again = await bot.click(CONFIRM_VERB, {"pendingId": pending_id})

    assert again.status == 200
    assert "already saved" in text_of(again.card).casefold()
    assert len(await partner_center.patches()) == 1


async def test_cancel_answers_a_cancelled_card_and_never_patches(
    bot: BotUnderTest, partner_center: PartnerCenterView
) -> None:
    _, pending_id = await propose(bot, "mark 123 won")

    cancelled = await bot.click(CANCEL_VERB, {"pendingId": pending_id})
    confirm_after = await bot.click(CONFIRM_VERB, {"pendingId": pending_id})

    assert "Cancelled" in text_of(cancelled.card)
    assert "nothing was changed" in text_of(confirm_after.card).casefold()
    assert await partner_center.patches() == []
    now = await partner_center.referral(REFERRAL_ID)
    assert (now["status"], now["substatus"]) == ("Active", "Accepted")


async def test_a_forged_pending_id_changes_nothing(
    bot: BotUnderTest, partner_center: PartnerCenterView
) -> None:
    await propose(bot, "mark 123 won")

    answer = await bot.click(CONFIRM_VERB, {"pendingId": "not-a-real-pending-id"})

    assert answer.status == 200
    assert "nothing was changed" in text_of(answer.card).casefold()
    assert await partner_center.patches() == []

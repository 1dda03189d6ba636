"""Issue 17 §4 through the whole bot: a channel's confirm card shows no buttons to its members,
the proposer's refresh brings them, and the posted message is updated once for everyone when the
change ends. The fake connector records the posts and the updates (PUTs) Teams would receive."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import SCHEDULER
from bot.cards.confirm_change import CANCEL_VERB, CONFIRM_VERB, REFRESH_VERB
from bot.settings import BotSettings
from emulators.server import RunningEmulators
from tests.support.activities import channel_thread
from tests.support.bot import BotUnderTest, demo_settings, has_button, running_bot
from tests.support.e2e import pending_id as pending_id_of
from tests.support.e2e import propose, text_of
from tests.support.emulators import OTHER_SELLER, SELLER, PartnerCenterView
from tests.support.outbox import CountingOutbox

SAVED_BY = re.compile(rf"Saved by {SELLER.name} at \d\d:\d\d")


@pytest.fixture
def outbox() -> CountingOutbox:
    return CountingOutbox()


@pytest.fixture
async def bot(fresh: RunningEmulators, outbox: CountingOutbox) -> AsyncIterator[BotUnderTest]:
    async with running_bot(demo_settings(fresh), notifications=outbox) as running:
        yield running


async def test_members_see_no_buttons_and_only_the_proposers_refresh_brings_them(
    bot: BotUnderTest,
) -> None:
    channel = channel_thread()
    card, pending_id = await propose(bot, "mark 123 won", conversation=channel, mention=True)

    assert not has_button(card, CONFIRM_VERB)
    assert card["refresh"]["userIds"] == [f"29:1{SELLER.oid.replace('-', '')}"]
    refresh = {"pendingId": pending_id}
    mine = await bot.click(REFRESH_VERB, refresh, conversation=channel, trigger="automatic")
    theirs = await bot.click(
        REFRESH_VERB, refresh, user=OTHER_SELLER, conversation=channel, trigger="manual"
    )

    assert has_button(mine.card, CONFIRM_VERB)
    assert has_button(mine.card, CANCEL_VERB)
    assert "Won" in text_of(mine.card)
    assert not has_button(theirs.card, CONFIRM_VERB)
    assert theirs.card == card
    assert bot.connector.updates() == []


async def test_confirm_updates_the_posted_message_for_everyone_once(
    bot: BotUnderTest, partner_center: PartnerCenterView, outbox: CountingOutbox
) -> None:
    channel = channel_thread()
    [posted] = await bot.say("mark 123 won", conversation=channel, mention=True)
    pending_id = pending_id_of(posted.cards[0])

    answer = await bot.click(CONFIRM_VERB, {"pendingId": pending_id}, conversation=channel)
    again = await bot.click(CONFIRM_VERB, {"pendingId": pending_id}, conversation=channel)

    assert "Won" in text_of(answer.card)  # the proposer's own answer, as ever
    assert "already saved" in text_of(again.card).casefold()
    [update] = bot.connector.updates()
    assert update.conversation_id == channel.id
    assert update.reply_to_id == posted.activity_id
    [shown] = update.cards
    assert SAVED_BY.search(text_of(shown))
    assert not has_button(shown, CONFIRM_VERB)
    assert "refresh" not in shown
    assert len(await partner_center.patches()) == 1


async def test_cancel_updates_the_posted_message_to_cancelled_by(bot: BotUnderTest) -> None:
    channel = channel_thread()
    _, pending_id = await propose(bot, "mark 123 won", conversation=channel, mention=True)

    await bot.click(CANCEL_VERB, {"pendingId": pending_id}, conversation=channel)

    [update] = bot.connector.updates()
    assert text_of(update.cards[0]) == f"Cancelled by {SELLER.name}\nNothing was changed."


async def test_a_channel_batch_is_updated_once_with_each_outcome(
    bot: BotUnderTest, partner_center: PartnerCenterView
) -> None:
    channel = channel_thread()
    card, batch_id = await propose(
        bot, "mark 123 and 4711 lost", conversation=channel, mention=True
    )
    assert not has_button(card, CONFIRM_VERB)

    await bot.click(CONFIRM_VERB, {"pendingId": batch_id}, conversation=channel)

    [update] = bot.connector.updates()
    shown = text_of(update.cards[0])
    assert f"Confirmed by {SELLER.name} at" in shown
    assert "Referral 123" in shown
    assert "Referral 4711" in shown
    assert len(await partner_center.patches(status=200)) == 2


async def test_a_personal_chat_is_as_before_no_update_and_no_outbox(
    bot: BotUnderTest, outbox: CountingOutbox
) -> None:
    card, pending_id = await propose(bot, "mark 123 won")
    assert has_button(card, CONFIRM_VERB)
    assert "refresh" not in card

    await bot.click(CONFIRM_VERB, {"pendingId": pending_id})

    assert bot.connector.updates() == []
    assert outbox.calls == {}


class ShiftedClock:
    """The real time plus what the test skips ahead (the emulators date their data by it)."""

    def __init__(self) -> None:
        self.ahead = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.ahead


async def test_the_apps_scheduler_expires_an_unconfirmed_channel_card_once(
    fresh: RunningEmulators,
) -> None:
    clock = ShiftedClock()
    async with running_bot(demo_settings(fresh), clock=clock) as bot:
        assert bot.app is not None
        scheduler = bot.app[SCHEDULER]
        channel = channel_thread()
        [posted] = await bot.say("mark 123 won", conversation=channel, mention=True)
        assert await scheduler.tick()
        assert bot.connector.updates() == []  # not expired yet

        clock.ahead = timedelta(minutes=31)
        await scheduler.tick()
        await scheduler.tick()

        [update] = bot.connector.updates()
        assert update.reply_to_id == posted.activity_id
        shown = text_of(update.cards[0])
        assert shown.startswith("Expired — nobody confirmed within 30 minutes")
        assert not has_button(update.cards[0], CONFIRM_VERB)
        pending_id = pending_id_of(posted.cards[0])
        late = await bot.click(CONFIRM_VERB, {"pendingId": pending_id}, conversation=channel)
        assert "expired" in text_of(late.card)
        assert len(bot.connector.updates()) == 1


async def test_a_client_without_user_specific_views_gets_the_buttons_for_everyone(
    fresh: RunningEmulators, partner_center: PartnerCenterView
) -> None:
    settings = demo_settings(fresh, bot=BotSettings(user_specific_views=False))
    async with running_bot(settings) as bot:
        channel = channel_thread()
        card, pending_id = await propose(bot, "mark 123 won", conversation=channel, mention=True)
        assert has_button(card, CONFIRM_VERB)
        assert has_button(card, CANCEL_VERB)
        data = {"pendingId": pending_id}

        theirs = await bot.click(CONFIRM_VERB, data, user=OTHER_SELLER, conversation=channel)
        assert await partner_center.patches() == []  # another member's click changes nothing
        assert not has_button(theirs.card, CONFIRM_VERB)

        await bot.click(CONFIRM_VERB, data, conversation=channel)
        [update] = bot.connector.updates()
        [shown] = update.cards
        assert SAVED_BY.search(text_of(shown))
        assert not has_button(shown, CONFIRM_VERB)
        assert len(await partner_center.patches()) == 1

"""The lead-alert commands over the real app and its stores (bot.inbound.alert_settings): a
channel's subscription holds the channel's own reference, a seller's alerts live on their
Recipient, and a seller the bot never stored (installed before issue 17) is stored on asking."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.domain.proactive import Recipient
from dialogs import replies
from tests.support.activities import TeamsUser, channel_thread, message_payload, personal_chat
from tests.support.bot import BotUnderTest, SentActivity, running_bot
from tests.support.proactive import (
    MEGAN,
    MEGAN_EMAIL,
    CountingChannels,
    CountingRecipients,
    install,
    post,
    settings,
)

OSCAR = TeamsUser("5e1f0000-0000-4000-8000-00000000c002", "Oscar Ward")
SALES = channel_thread("sales", thread="1700000000001")
SALES_ROOT = "19:sales@thread.tacv2"


@dataclass
class Running:
    bot: BotUnderTest
    recipients: CountingRecipients
    channels: CountingChannels

    async def say(
        self, text: str, *, user: TeamsUser = MEGAN, in_channel: bool = False
    ) -> list[SentActivity]:
        conversation = SALES if in_channel else None
        payload = message_payload(text, user=user, conversation=conversation, mention=in_channel)
        return await post(self.bot, payload)

    async def seller(self, user: TeamsUser = MEGAN) -> Recipient:
        found = await self.recipients.get(user.aad_object_id)
        assert found is not None
        return found


@pytest.fixture
async def running() -> AsyncIterator[Running]:
    recipients, channels = CountingRecipients(), CountingChannels()
    async with running_bot(settings(), recipients=recipients, channels=channels) as bot:
        bot.connector.add_member(MEGAN, email=MEGAN_EMAIL)
        yield Running(bot, recipients, channels)


def text_of(sent: list[SentActivity]) -> str:
    assert len(sent) == 1, [activity.body for activity in sent]
    return sent[0].text


async def test_post_new_leads_here_subscribes_the_channel_at_its_root(running: Running) -> None:
    said = await running.say("post new leads here", user=OSCAR, in_channel=True)

    assert text_of(said) == replies.POSTING_LEADS_HERE
    assert said[0].conversation_id == SALES.id  # answered in the thread it was said in
    [subscription] = await running.channels.listed()
    assert subscription.conversation_id == SALES_ROOT
    assert subscription.reference["conversation"]["id"] == SALES_ROOT
    assert subscription.reference["serviceUrl"] == running.bot._connector_url
    assert "user" not in subscription.reference  # the channel is addressed, not Oscar
    assert subscription.subscribed_by == "Oscar Ward"
    assert subscription.tenant_id == OSCAR.tenant_id


async def test_subscribing_twice_keeps_one_subscription(running: Running) -> None:
    await running.say("post new leads here", in_channel=True)
    await running.say("send new leads to this channel", user=OSCAR, in_channel=True)

    [subscription] = await running.channels.listed()
    assert subscription.subscribed_by == "Oscar Ward"


async def test_stop_posting_leads_here_unsubscribes_the_channel(running: Running) -> None:
    await running.say("post new leads here", in_channel=True)

    said = await running.say("stop posting leads here", user=OSCAR, in_channel=True)
    again = await running.say("stop posting leads here", in_channel=True)

    assert text_of(said) == replies.STOPPED_POSTING_HERE
    assert text_of(again) == replies.NOT_POSTING_HERE
    assert await running.channels.listed() == []


@pytest.mark.parametrize("text", ["post new leads here", "stop posting leads here"])
async def test_channel_commands_in_personal_chat_change_nothing(
    running: Running, text: str
) -> None:
    said = await running.say(text)

    assert text_of(said) == replies.CHANNELS_ONLY
    assert running.channels.calls == {}


async def test_a_seller_turns_alerts_off_and_on(running: Running) -> None:
    await install(running.bot, MEGAN)

    off = await running.say("stop lead alerts")
    assert (await running.seller()).alerts_on is False
    on = await running.say("turn on lead alerts")
    again = await running.say("lead alerts on")

    assert [text_of(off), text_of(on), text_of(again)] == [
        replies.ALERTS_NOW_OFF,
        replies.ALERTS_NOW_ON,
        replies.ALERTS_ALREADY_ON,
    ]
    assert (await running.seller()).alerts_on is True


async def test_a_seller_never_stored_is_stored_when_they_turn_alerts_off(
    running: Running,
) -> None:
    said = await running.say("stop lead alerts")

    assert text_of(said) == replies.ALERTS_NOW_OFF
    seller = await running.seller()
    assert seller.alerts_on is False
    assert seller.email == MEGAN_EMAIL  # from the member lookup
    assert seller.time_zone == "Europe/Berlin"
    assert seller.reference["conversation"]["id"] == personal_chat(MEGAN).id
    assert seller.greeted  # they know the bot: an app upgrade will not say hello


async def test_a_seller_never_stored_is_stored_when_they_turn_alerts_on(
    running: Running,
) -> None:
    said = await running.say("turn on lead alerts")

    assert text_of(said) == replies.ALERTS_NOW_ON
    assert (await running.seller()).alerts_on is True


async def test_once_stored_their_next_turns_make_no_storage_call(running: Running) -> None:
    await running.say("stop lead alerts")
    running.recipients.calls.clear()

    await running.say("help")
    await running.say("help")

    assert running.recipients.total() == 0


async def test_alerts_asked_in_a_channel_change_nothing(running: Running) -> None:
    await install(running.bot, MEGAN)
    running.recipients.calls.clear()

    said = await running.say("stop lead alerts", in_channel=True)

    assert text_of(said) == replies.ALERTS_ARE_PERSONAL
    assert running.recipients.total() == 0
    assert (await running.seller()).alerts_on is True

"""Cards the bot sends first (bot.outbound.proactive) over loopback to a fake connector: posted
as new messages and updated in place, paced per conversation and sent again after a 429 by the
adapter's own sender, and a removed app (403/404) told apart from every other failure.

The adapter is the app's (`ReferralAdapter`); its waits are skipped, not spent
(tests/support/skipped_time.py), and arrival times are read on that clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from msrest.exceptions import HttpOperationError
from pydantic import SecretStr

from bot.app import PROACTIVE_SENDER
from bot.domain.proactive import RecipientGoneError
from bot.inbound.adapter import ReferralAdapter
from bot.outbound.pacing import ConversationPacer, OutboundRetry, OutboundSender
from bot.outbound.proactive import (
    AdapterProactiveSender,
    channel_reference_of,
    conversation_reference,
    reference_of,
)
from bot.routes import ADAPTER
from bot.settings import BotSettings
from emulators.channel_keys import FixedCredentialsFactory
from emulators.config import DEMO_BOT_APP_ID
from tests.outbound.conftest import running_bot
from tests.outbound.faulty_connector import Fault, FaultyConnector
from tests.outbound.test_replies_to_teams import most_within
from tests.support.activities import (
    TeamsUser,
    channel_thread,
    make_message,
    personal_chat,
)
from tests.support.skipped_time import SkippedTime

MEGAN = TeamsUser("5e1f0000-0000-4000-8000-00000000a001", "Megan Bowen")
OSCAR = TeamsUser("5e1f0000-0000-4000-8000-00000000a002", "Oscar Ward")


def card(text: str) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": text}],
    }


@dataclass
class Rig:
    sender: AdapterProactiveSender
    adapter: ReferralAdapter
    connector: FaultyConnector
    skipped: SkippedTime
    service_url: str
    turn_errors: list[BaseException]

    def reference(self, user: TeamsUser = MEGAN) -> dict[str, Any]:
        return reference_of(make_message("hi", user=user)) | {"serviceUrl": self.service_url}

    def conversation(self, user: TeamsUser = MEGAN) -> str:
        return personal_chat(user).id


@pytest.fixture
def skipped() -> SkippedTime:
    return SkippedTime()


async def rig_for(
    skipped: SkippedTime, *, authenticate: bool = False, bot_app_id: str = ""
) -> AsyncIterator[Rig]:
    connector = FaultyConnector(clock=skipped.monotonic)
    server = TestServer(connector.app(), host="127.0.0.1", port=0)
    await server.start_server()
    bot = BotSettings(app_id=DEMO_BOT_APP_ID, app_password=SecretStr("bot-password"))
    adapter = ReferralAdapter.from_settings(
        bot,
        authenticate=authenticate,
        credentials_factory=FixedCredentialsFactory(DEMO_BOT_APP_ID) if authenticate else None,
        outbound=OutboundSender(
            ConversationPacer(clock=skipped.monotonic, sleep=skipped.sleep),
            OutboundRetry(sleep=skipped.sleep, clock=skipped.monotonic),
        ),
    )
    turn_errors: list[BaseException] = []

    async def on_turn_error(_context: Any, error: BaseException) -> None:
        turn_errors.append(error)

    adapter.on_turn_error = on_turn_error
    assert adapter.outbound is not None
    sender = AdapterProactiveSender(adapter, adapter.outbound, bot_app_id)
    try:
        url = str(server.make_url("")).rstrip("/") + "/"
        yield Rig(sender, adapter, connector, skipped, url, turn_errors)
    finally:
        await adapter.connector_clients.aclose()
        await server.close()


@pytest.fixture
async def rig(skipped: SkippedTime) -> AsyncIterator[Rig]:
    async for made in rig_for(skipped):
        yield made


async def test_a_card_is_posted_as_a_new_message_and_its_id_returned(rig: Rig) -> None:
    activity_id = await rig.sender.send(rig.reference(), card("New lead: Contoso"))

    [posted] = rig.connector.sent
    assert posted.method == "POST"
    assert posted.conversation_id == rig.conversation()
    assert posted.reply_to_id is None  # a new message, not a reply to the continuation
    assert posted.cards == [card("New lead: Contoso")]
    assert posted.body["recipient"]["id"] == MEGAN.id
    assert activity_id == "activity-1"
    assert rig.turn_errors == []


async def test_a_posted_card_is_updated_in_place(rig: Rig) -> None:
    activity_id = await rig.sender.send(rig.reference(), card("New lead: Contoso"))
    assert activity_id is not None

    await rig.sender.update(rig.reference(), activity_id, card("Accepted by Megan Bowen"))

    [update] = rig.connector.updates()
    assert update.conversation_id == rig.conversation()
    assert update.reply_to_id == activity_id
    assert update.body["id"] == activity_id
    assert update.cards == [card("Accepted by Megan Bowen")]


async def test_a_channel_card_starts_a_thread_at_the_channel_root(rig: Rig) -> None:
    said_in = make_message("post new leads here", conversation=channel_thread(), mention=True)
    reference = channel_reference_of(said_in) | {"serviceUrl": rig.service_url}

    await rig.sender.send(reference, card("New lead"))

    [posted] = rig.connector.sent
    assert said_in.conversation.id == "19:sales@thread.tacv2;messageid=1700000000000"
    assert posted.conversation_id == "19:sales@thread.tacv2"
    assert posted.reply_to_id is None


async def test_a_429_is_sent_again_after_retry_after_and_delivered_once(rig: Rig) -> None:
    rig.connector.faults.append(Fault(429, retry_after="3"))

    await rig.sender.send(rig.reference(), card("New lead"))

    first, second = rig.connector.seen
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 3.0
    assert rig.skipped.sleeps == [3.0]
    assert len(rig.connector.sent) == 1


async def test_an_update_refused_with_429_is_sent_again_after_retry_after(rig: Rig) -> None:
    activity_id = await rig.sender.send(rig.reference(), card("New lead"))
    assert activity_id is not None
    rig.connector.faults.append(Fault(429, method="PUT", retry_after="2"))

    await rig.sender.update(rig.reference(), activity_id, card("Accepted"))

    puts = [seen for seen in rig.connector.seen if seen.method == "PUT"]
    assert [put.status for put in puts] == [429, 200]
    assert puts[1].at - puts[0].at >= 2.0
    assert len(rig.connector.updates()) == 1


async def test_a_transient_5xx_is_sent_again(rig: Rig) -> None:
    rig.connector.faults.append(Fault(503))

    assert await rig.sender.send(rig.reference(), card("New lead")) == "activity-1"

    assert [seen.status for seen in rig.connector.seen] == [503, 200]


async def test_twenty_quick_sends_to_one_conversation_keep_within_seven_a_second(
    rig: Rig,
) -> None:
    await asyncio.gather(*(rig.sender.send(rig.reference(), card(f"n{n}")) for n in range(20)))

    times = [seen.at for seen in rig.connector.seen]
    assert len(rig.connector.sent) == 20
    assert most_within(times, 1.0) <= 7
    assert most_within(times, 2.0) <= 8
    assert times[-1] - times[0] >= 2 * 2.0  # 20 sends at 8 per 2 s need three windows


async def test_sends_to_different_conversations_are_not_held_back_by_each_other(
    rig: Rig,
) -> None:
    users = [TeamsUser(f"5e1f0000-0000-4000-8000-0000000b{n:04d}", f"S{n}") for n in range(20)]

    await asyncio.gather(*(rig.sender.send(rig.reference(user), card("lead")) for user in users))

    assert len({activity.conversation_id for activity in rig.connector.sent}) == 20
    assert rig.skipped.sleeps == []  # one send per conversation: nothing to wait for


@pytest.mark.parametrize("status", [403, 404])
async def test_a_removed_app_is_recipient_gone_and_not_sent_again(rig: Rig, status: int) -> None:
    rig.connector.refused[rig.conversation()] = status

    with pytest.raises(RecipientGoneError) as raised:
        await rig.sender.send(rig.reference(), card("New lead"))

    assert isinstance(raised.value.__cause__, HttpOperationError)
    assert rig.connector.sent == []
    assert rig.skipped.sleeps == []  # never retried
    assert rig.turn_errors == []  # nothing was answered into the refusing conversation


@pytest.mark.parametrize("status", [403, 404])
async def test_an_update_in_a_removed_chat_is_recipient_gone(rig: Rig, status: int) -> None:
    rig.connector.refused[rig.conversation()] = status

    with pytest.raises(RecipientGoneError):
        await rig.sender.update(rig.reference(), "activity-9", card("Accepted"))


async def test_any_other_refusal_is_raised_as_it_is(rig: Rig) -> None:
    rig.connector.faults.append(Fault(400))

    with pytest.raises(HttpOperationError) as raised:
        await rig.sender.send(rig.reference(), card("New lead"))

    assert not isinstance(raised.value, RecipientGoneError)
    assert rig.turn_errors == []


async def test_an_exhausted_429_is_raised_not_swallowed(rig: Rig) -> None:
    rig.connector.faults.append(Fault(429, retry_after="120"))  # beyond what is waited out

    with pytest.raises(HttpOperationError):
        await rig.sender.send(rig.reference(), card("New lead"))

    assert rig.connector.sent == []


async def test_every_send_uses_one_kept_connector_client(rig: Rig) -> None:
    for user in (MEGAN, OSCAR, MEGAN):
        await rig.sender.send(rig.reference(user), card("lead"))

    assert len(rig.adapter.connector_clients) == 1


async def test_demo_mode_sends_without_a_token(rig: Rig) -> None:
    await rig.sender.send(rig.reference(), card("lead"))

    assert rig.connector.authorizations == [None]


async def test_production_sends_with_the_apps_credentials(skipped: SkippedTime) -> None:
    async for rig in rig_for(skipped, authenticate=True, bot_app_id=DEMO_BOT_APP_ID):
        await rig.sender.send(rig.reference(), card("lead"))

        assert rig.connector.authorizations == ["Bearer outbound-test-token"]


def test_a_stored_reference_reads_back_as_the_same_conversation() -> None:
    activity = make_message("hi", user=MEGAN)

    back = conversation_reference(reference_of(activity))

    assert back.conversation.id == personal_chat(MEGAN).id
    assert back.user.aad_object_id == MEGAN.aad_object_id
    assert back.service_url == activity.service_url
    assert back.activity_id is None
    assert back.conversation.additional_properties["tenantId"] == MEGAN.tenant_id


@pytest.mark.parametrize(
    "broken", [{}, {"serviceUrl": "https://x/"}, {"conversation": {"id": "a"}}]
)
def test_a_reference_without_a_conversation_or_service_url_is_refused(
    broken: dict[str, Any],
) -> None:
    with pytest.raises(ValueError, match="conversation id and a serviceUrl"):
        conversation_reference(broken)


async def test_the_apps_sender_shares_the_pacer_of_the_bots_replies(
    skipped: SkippedTime,
) -> None:
    connector = FaultyConnector(clock=skipped.monotonic)
    async with running_bot(connector, skipped) as bot:
        assert bot.app is not None
        sender = bot.app[PROACTIVE_SENDER]
        assert sender.outbound is bot.app[ADAPTER].outbound
        reference = reference_of(make_message("hi")) | {"serviceUrl": bot.connector_url}
        await bot.say("burst 7")  # seven replies: this conversation's second is full
        await sender.send(reference, card("New lead"))

    times = [seen.at for seen in connector.seen]
    assert len(times) == 8
    assert times[7] - times[0] >= 1.0  # the card waited for the replies' window
    assert most_within(times, 1.0) == 7

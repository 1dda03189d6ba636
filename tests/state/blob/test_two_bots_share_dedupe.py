"""Two instances on one Azurite (backend=blob from settings): a redelivery to the other runs once.

Teams may redeliver an activity to any instance behind the load balancer; the dedupe claim is a
blob created with If-None-Match, so only one instance runs the turn.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import pytest

from bot.cards.confirm_change import CONFIRM_VERB
from bot.settings import Settings
from bot.state.blob_storage import AzureBlobStorage
from emulators.azurite import Azurite
from emulators.server import RunningEmulators
from tests.support.activities import card_invoke_payload, message_payload
from tests.support.azurite import blob_state
from tests.support.bot import BotUnderTest, demo_settings, only_card, running_bot
from tests.support.e2e import propose
from tests.support.emulators import PartnerCenterView

pytestmark = pytest.mark.slow  # Azurite (a Node process) for every test


def blob_settings(emulators: RunningEmulators, azurite: Azurite, container: str) -> Settings:
    return demo_settings(emulators, state=blob_state(azurite, container))


@pytest.fixture
async def bots(
    fresh: RunningEmulators, azurite: Azurite, blob_storage: AzureBlobStorage
) -> AsyncIterator[tuple[BotUnderTest, BotUnderTest]]:
    """Bot A and bot B, each opening its own Blob client on the same container."""
    settings = blob_settings(fresh, azurite, blob_storage.container_name)
    async with AsyncExitStack() as stack:
        bot_a = await stack.enter_async_context(running_bot(settings))
        bot_b = await stack.enter_async_context(running_bot(settings))
        yield bot_a, bot_b


async def _post(bot: BotUnderTest, payload: dict[str, Any]) -> tuple[int, bytes]:
    """Posts exactly this payload (same activity id every time) and keeps the answer's body."""
    body = {**payload, "serviceUrl": bot._connector_url}
    async with bot._session.post(bot.messages_url, json=body) as response:
        return response.status, await response.read()


async def test_one_confirm_delivered_to_a_and_then_b_patches_once_and_answers_alike(
    bots: tuple[BotUnderTest, BotUnderTest], partner_center: PartnerCenterView
) -> None:
    bot_a, bot_b = bots
    _, pending = await propose(bot_a, "mark 123 won")
    payload = card_invoke_payload(CONFIRM_VERB, {"pendingId": pending})

    first = await _post(bot_a, payload)
    second = await _post(bot_b, payload)

    assert first[0] == second[0] == 200
    assert second[1] == first[1]  # the first answer, served by the other instance
    assert b"Won" in first[1]
    assert b"already saved" not in second[1]
    assert len(await partner_center.patches()) == 1


async def test_one_confirm_delivered_to_both_at_once_patches_once(
    bots: tuple[BotUnderTest, BotUnderTest], partner_center: PartnerCenterView
) -> None:
    bot_a, bot_b = bots
    _, pending = await propose(bot_b, "mark 123 won")
    payload = card_invoke_payload(CONFIRM_VERB, {"pendingId": pending})

    answers = await asyncio.gather(*(_post(bot, payload) for bot in (bot_a, bot_b) * 2))

    assert {status for status, _ in answers} == {200}
    assert len({body for _, body in answers}) == 1  # everyone got the one first answer
    assert len(await partner_center.patches()) == 1


async def test_one_message_delivered_to_a_and_then_b_runs_one_turn(
    bots: tuple[BotUnderTest, BotUnderTest], partner_center: PartnerCenterView
) -> None:
    bot_a, bot_b = bots
    payload = message_payload("mark 123 won")

    assert (await _post(bot_a, payload))[0] in (200, 201)
    assert (await _post(bot_b, payload))[0] in (200, 201)

    card = only_card(bot_a.connector.sent + bot_b.connector.sent)  # one turn, one confirm card
    assert bot_b.connector.sent == []
    assert card["type"] == "AdaptiveCard"
    assert await partner_center.patches() == []

"""Teams redelivers: one message delivered twice runs one turn; one invoke thrice, one PATCH."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.cards.confirm_change import CONFIRM_VERB
from emulators.server import RunningEmulators
from tests.support.activities import card_invoke_payload, message_payload
from tests.support.bot import BotUnderTest, demo_settings, only_card, running_bot
from tests.support.e2e import pending_id, propose
from tests.support.emulators import PartnerCenterView


@pytest.fixture
async def bot(fresh: RunningEmulators) -> AsyncIterator[BotUnderTest]:
    async with running_bot(demo_settings(fresh)) as running:
        yield running


async def _post(bot: BotUnderTest, payload: dict[str, Any]) -> tuple[int, bytes]:
    """Posts exactly this payload (same activity id every time) and keeps the answer's body."""
    body = {**payload, "serviceUrl": bot._connector_url}
    async with bot._session.post(bot.messages_url, json=body) as response:
        return response.status, await response.read()


async def test_a_redelivered_message_gives_one_confirm_card(
    bot: BotUnderTest, partner_center: PartnerCenterView
) -> None:
    payload = message_payload("mark 123 won")

    first = await _post(bot, payload)
    again = await _post(bot, payload)

    assert first[0] in (200, 201)
    assert again[0] in (200, 201)
    card = only_card(bot.connector.sent)  # exactly one card: one turn, one pending change
    answer = await bot.click(CONFIRM_VERB, {"pendingId": pending_id(card)})
    assert answer.status == 200
    assert len(await partner_center.patches()) == 1


async def test_the_same_confirm_invoke_thrice_patches_once_and_answers_alike(
    bot: BotUnderTest, partner_center: PartnerCenterView
) -> None:
    _, pending = await propose(bot, "mark 123 won")
    payload = card_invoke_payload(CONFIRM_VERB, {"pendingId": pending})

    answers = [await _post(bot, payload) for _ in range(3)]

    assert [status for status, _ in answers] == [200, 200, 200]
    assert answers[0][1] == answers[1][1] == answers[2][1]
    assert b"already saved" not in answers[2][1]  # the first answer, not a second run
    assert len(await partner_center.patches()) == 1


async def test_concurrent_repeats_of_an_invoke_wait_for_the_first_answer(
    bot: BotUnderTest, partner_center: PartnerCenterView
) -> None:
    _, pending = await propose(bot, "mark 123 won")
    payload = card_invoke_payload(CONFIRM_VERB, {"pendingId": pending})

    answers = await asyncio.gather(*(_post(bot, payload) for _ in range(3)))

    assert {status for status, _ in answers} == {200}
    assert len({body for _, body in answers}) == 1
    assert len(await partner_center.patches()) == 1


async def test_different_ids_still_run_their_own_turns(bot: BotUnderTest) -> None:
    await _post(bot, message_payload("mark 123 won"))
    await _post(bot, message_payload("mark 123 won"))

    assert len(bot.connector.sent) == 2

"""In a channel: the @mention is removed, the card names the proposer, sellers keep apart."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.cards.confirm_change import CONFIRM_VERB
from emulators.server import RunningEmulators
from tests.support.activities import channel_thread
from tests.support.bot import BotUnderTest, demo_settings, has_button, only_card, running_bot
from tests.support.e2e import obo_grants, propose, text_of
from tests.support.emulators import OTHER_SELLER, SELLER, PartnerCenterView
from tests.support.identity import IdentityClient


@pytest.fixture
async def bot(fresh: RunningEmulators) -> AsyncIterator[BotUnderTest]:
    async with running_bot(demo_settings(fresh)) as running:
        yield running


async def test_channel_mention_works_and_the_confirm_card_names_the_proposer(
    bot: BotUnderTest,
) -> None:
    card, _ = await propose(bot, "mark 123 won", conversation=channel_thread(), mention=True)

    text = text_of(card)
    assert "Won" in text
    assert SELLER.name in text


async def test_two_sellers_in_one_channel_do_not_continue_each_others_dialogs(
    bot: BotUnderTest, partner_center: PartnerCenterView
) -> None:
    channel = channel_thread()
    pick_list = only_card(
        await bot.say("mark Northwind won", user=SELLER, conversation=channel, mention=True)
    )
    assert "Northwind BI" in str(pick_list)  # a button per match

    others = await bot.say("502", user=OTHER_SELLER, conversation=channel, mention=True)
    card, _ = await propose(bot, "502", user=SELLER, conversation=channel, mention=True)

    assert not any(has_button(c, CONFIRM_VERB) for a in others for c in a.cards)
    text = text_of(card)
    assert "Northwind BI" in text
    assert SELLER.name in text
    assert await partner_center.patches() == []


async def test_one_obo_serves_a_sellers_whole_conversation(
    bot: BotUnderTest, identity: IdentityClient
) -> None:
    await propose(bot, "mark 123 won")
    await bot.say("show 4711")
    await bot.say("show 123")

    assert obo_grants(await identity.recorded()) == 1

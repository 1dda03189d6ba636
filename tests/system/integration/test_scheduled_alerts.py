"""Issue 17 §4-5 over loopback: the real app's scheduler reads each seller's own index with the
token their last turn cached (silent on-behalf-of, from the emulators), sends reminders and the
digest once through the real proactive sender to the connector, skips a seller who never signed
in, and forgets one who removed the app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.alerts.scheduler import Scheduler
from bot.app import SCHEDULER, STATE_PARTS
from emulators.server import RunningEmulators
from tests.support.activities import TeamsUser, personal_chat
from tests.support.bot import BotUnderTest, SentActivity, demo_settings, running_bot
from tests.support.emulator_controls import create_new_lead
from tests.support.emulators import OTHER_SELLER, SELLER
from tests.support.lead_alerts_live import ShiftedClock
from tests.support.proactive import install

BERLIN = ZoneInfo("Europe/Berlin")  # the zone `bot.say` sends


@pytest.fixture
async def bot(fresh: RunningEmulators) -> AsyncIterator[tuple[BotUnderTest, ShiftedClock]]:
    clock = ShiftedClock()
    async with running_bot(demo_settings(fresh), clock=clock) as running:
        for user in (SELLER, OTHER_SELLER):
            running.connector.add_member(user)
        yield running, clock


def _scheduler(bot: BotUnderTest) -> Scheduler:
    assert bot.app is not None
    return bot.app[SCHEDULER]


def _cards_to(bot: BotUnderTest, user: Any, since: int = 0) -> list[dict[str, Any]]:
    chat = personal_chat(TeamsUser.of(user)).id
    sent: list[SentActivity] = bot.connector.sent[since:]
    return [
        card for activity in sent if activity.conversation_id == chat for card in activity.cards
    ]


def _headings(cards: list[dict[str, Any]]) -> list[str]:
    return [card["body"][0]["text"] for card in cards]


async def test_reminders_and_the_digest_reach_sellers_with_a_cached_token_once(
    bot: tuple[BotUnderTest, ShiftedClock],
    fresh: RunningEmulators,
    session: aiohttp.ClientSession,
) -> None:
    running, clock = bot
    created = await create_new_lead(
        session,
        fresh.referrals_base_url,
        name="Lakeshore lead",
        customer="Lakeshore Retail",
        team=[SELLER.upn, OTHER_SELLER.upn],
        expiresInDays=2,
    )
    lead_id = created["referral"]["id"]
    for user in (SELLER, OTHER_SELLER):
        await install(running, TeamsUser.of(user))
    await running.say("show 123", user=SELLER)  # Sam's turn caches his token; Olga never spoke
    clock.ahead = timedelta(days=1, minutes=5)  # the 1-day reminder is due
    before = len(running.connector.sent)

    await _scheduler(running).tick()
    await _scheduler(running).tick()  # and again: nothing twice

    [reminder] = _cards_to(running, SELLER, before)
    assert reminder["body"][0]["text"].startswith("Reminder: this lead expires")
    assert {"msteams": {"type": "imBack", "value": f"show {lead_id}"}} in [
        action["data"] for action in reminder["actions"]
    ]
    assert _cards_to(running, OTHER_SELLER, before) == []  # no cached token: skipped

    await running.say("show 123", user=OTHER_SELLER)  # now Olga has one too
    clock.ahead += timedelta(minutes=11)  # the reminders job runs every 10 minutes
    since = len(running.connector.sent)
    await _scheduler(running).tick()
    assert _headings(_cards_to(running, OTHER_SELLER, since)) == [_headings([reminder])[0]]
    assert _cards_to(running, SELLER, since) == []  # Sam's was sent already

    # Sam's digest, a few minutes from now in his zone: the lead is about to expire
    at = (clock.now() + timedelta(minutes=10)).astimezone(BERLIN)
    await running.say(f"daily digest at {at:%H:%M}", user=SELLER)
    clock.ahead += timedelta(minutes=11)
    since = len(running.connector.sent)
    await _scheduler(running).tick()
    await _scheduler(running).tick()

    [digest] = _cards_to(running, SELLER, since)
    assert _headings([digest])[0].startswith("Your referral digest for")
    assert f"show {lead_id}" in str(digest)


async def test_a_seller_who_removed_the_app_is_forgotten(
    bot: tuple[BotUnderTest, ShiftedClock],
    fresh: RunningEmulators,
    session: aiohttp.ClientSession,
) -> None:
    running, clock = bot
    await create_new_lead(
        session,
        fresh.referrals_base_url,
        name="Lakeshore lead",
        customer="Lakeshore Retail",
        team=[SELLER.upn],
        expiresInDays=2,
    )
    await install(running, TeamsUser.of(SELLER))
    await running.say("show 123", user=SELLER)
    running.connector.refused[personal_chat(TeamsUser.of(SELLER)).id] = 403
    clock.ahead = timedelta(days=1, minutes=5)

    await _scheduler(running).tick()

    assert running.app is not None
    recipients = running.app[STATE_PARTS].recipients
    assert await recipients.get(TeamsUser.of(SELLER).aad_object_id) is None

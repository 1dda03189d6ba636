"""The lead alerts live over loopback: the bot served as in production (one or several
instances), registered at the emulator for its tenant's referral events (through a
`WebhookTap`, tests/support/webhook_tap.py, so a test can replay or forge what was delivered),
sellers who installed it and used it once (a cached token), and cards counted at the fake
connector."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bot.__main__ import arguments, register_webhooks
from bot.app import BACKGROUND
from bot.settings import EventSettings, Settings
from emulators.fixtures import DEFAULT_TENANT_ID, FixtureUser
from emulators.server import RunningEmulators
from tests.support.activities import TeamsUser, channel_thread, message_payload
from tests.support.bot import BotUnderTest, SentActivity, demo_settings
from tests.support.emulator_controls import clear_webhook_deliveries
from tests.support.identity import identity_settings
from tests.support.proactive import install

CHANNEL = channel_thread("leads")
CHANNEL_ID = "19:leads@thread.tacv2"  # where a channel's cards go (its root, not the thread)


def event_settings(
    running: RunningEmulators,
    *,
    more_hosts: Iterable[str] = (),
    download_ca_file: Path | None = None,
) -> EventSettings:
    """The bot trusting the emulator's signing chain (`more_hosts`: certificate hosts allowed
    besides the emulator's; `download_ca_file`: TLS trust for them and the emulator)."""
    assert running.webhook_ca_file is not None
    return EventSettings(
        certificate_hosts=[running.webhook_certificate_host, *more_hosts],
        certificate_name=running.webhook_certificate_name,
        issuer_organization=running.webhook_issuer_organization,
        trust_ca_file=running.webhook_ca_file,
        download_ca_file=download_ca_file or running.ca_file,
        registration_url=running.webhooks_url,
    )


def live_settings(running: RunningEmulators, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "identity": identity_settings(running, tenant=DEFAULT_TENANT_ID),
        "events": event_settings(running),
    }
    return demo_settings(running, **(values | overrides))


async def register(settings: Settings, url: str) -> None:
    """`python -m bot register-webhooks --url URL --replace`, as an operator runs it."""
    command = arguments(["register-webhooks", "--url", url, "--replace"])
    assert await register_webhooks(settings, command, out=lambda _: None) == 0


def events_url(bot: BotUnderTest, settings: Settings) -> str:
    return f"{bot.base_url}{settings.events.path}"


async def seller_uses_the_bot(bot: BotUnderTest, user: FixtureUser, zone: str) -> None:
    """Installed in personal scope and asked something once from `zone` (a cached token)."""
    bot.connector.add_member(user)
    await install(bot, TeamsUser.of(user), timezone=zone)
    answer = await bot.post(message_payload("new leads", user=user, timezone=zone))
    assert answer.status in (200, 201)


async def channel_subscribes(bot: BotUnderTest, user: FixtureUser) -> None:
    """ "@Referral Bot post new leads here" in the leads channel."""
    said = await bot.say("post new leads here", user=user, conversation=CHANNEL, mention=True)
    assert said, "the bot said nothing to the subscription"


async def settled(*bots: BotUnderTest) -> None:
    """Every bot's background work (event sinks, card updates) has ended: nothing more will be
    sent for what was delivered so far."""
    for bot in bots:
        assert bot.app is not None
        await bot.app[BACKGROUND].drain(grace_seconds=30)


def cards(
    sent: Iterable[SentActivity], *, method: str = "POST", conversation: str | None = None
) -> list[SentActivity]:
    return [
        activity
        for activity in sent
        if activity.method == method
        and activity.cards
        and (conversation is None or activity.conversation_id == conversation)
    ]


def per_conversation(sent: Iterable[SentActivity], method: str = "POST") -> dict[str, int]:
    counted: dict[str, int] = {}
    for activity in cards(sent, method=method):
        counted[activity.conversation_id] = counted.get(activity.conversation_id, 0) + 1
    return counted


async def arrived(
    bot: BotUnderTest, expected: Mapping[str, int], *, since: int = 0, method: str = "POST"
) -> list[SentActivity]:
    """Waits (10 s at most, polling) until the cards `expected` per conversation have arrived
    at the connector after `since`; returns them."""
    async with asyncio.timeout(10):
        while True:
            found = cards(bot.connector.sent[since:], method=method)
            counted = per_conversation(found, method)
            if all(counted.get(key, 0) >= count for key, count in expected.items()):
                return found
            await asyncio.sleep(0.005)


async def forget_deliveries(session: aiohttp.ClientSession, running: RunningEmulators) -> None:
    await clear_webhook_deliveries(session, running.referrals_base_url)


class ShiftedClock:
    """The real time plus what the test skips ahead (the emulators' data is dated by real time)."""

    def __init__(self) -> None:
        self.ahead = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.ahead

"""The bot against the emulator's real webhook deliveries: registered with `register-webhooks`
(app-only, the emulator's registration API), a test event, a new lead, a redelivery.

The emulator signs with its own chain (docs/webhooks.md): the bot trusts its webhook root CA,
allows its certificate host and name, and downloads the certificate over the emulator's TLS.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import pytest

from bot.__main__ import arguments, register_webhooks
from bot.app import create_app
from bot.domain.events import PartnerCenterEvent
from bot.inbound.serving import start_serving
from bot.settings import EventSettings, Mode, Settings, StateBackend, StateSettings
from emulators.fixtures import DEFAULT_TENANT_ID
from emulators.server import RunningEmulators
from tests.support.emulator_controls import (
    clear_webhook_deliveries,
    create_new_lead,
    fail_next_webhook_deliveries,
    settled_webhook_deliveries,
)
from tests.support.emulators import SELLER
from tests.support.fixtures import emulators_fixture
from tests.support.identity import identity_settings
from tests.support.seeds import contoso_referrals

# Retries 10 ms apart instead of 1 s: the redelivery test waits for one.
webhook_emulators = emulators_fixture(
    contoso_referrals, scope="module", name="webhook_emulators", webhook_backoff_seconds=0.01
)


@dataclass
class Sink:
    events: list[PartnerCenterEvent] = field(default_factory=list)
    arrived: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def handle(self, event: PartnerCenterEvent) -> None:
        async with self.arrived:
            self.events.append(event)
            self.arrived.notify_all()

    async def wait_for(self, count: int) -> list[PartnerCenterEvent]:
        async with asyncio.timeout(10), self.arrived:
            await self.arrived.wait_for(lambda: len(self.events) >= count)
        return self.events


@dataclass
class RegisteredBot:
    url: str
    sink: Sink
    settings: Settings


def bot_settings(running: RunningEmulators) -> Settings:
    assert running.webhook_ca_file is not None
    return Settings(
        mode=Mode.DEMO,
        dangerously_allow_unauthenticated=True,
        identity=identity_settings(running, tenant=DEFAULT_TENANT_ID),
        state=StateSettings(backend=StateBackend.MEMORY),
        events=EventSettings(
            certificate_hosts=[running.webhook_certificate_host],
            certificate_name=running.webhook_certificate_name,
            issuer_organization=running.webhook_issuer_organization,
            trust_ca_file=running.webhook_ca_file,
            download_ca_file=running.ca_file,
            registration_url=running.webhooks_url,
        ),
    )


async def short_wait(seconds: float) -> None:
    await asyncio.sleep(0.05)  # the test event's status is polled every 50 ms, not 5 s


async def register(settings: Settings, url: str, *options: str) -> tuple[int, list[str]]:
    printed: list[str] = []
    command = arguments(["register-webhooks", "--url", url, "--replace", *options])
    status = await register_webhooks(settings, command, out=printed.append, sleep=short_wait)
    return status, printed


@pytest.fixture
async def bot(
    webhook_emulators: RunningEmulators, session: aiohttp.ClientSession
) -> AsyncIterator[RegisteredBot]:
    """The bot served as in production, registered for this tenant's referral events."""
    settings = bot_settings(webhook_emulators)
    sink = Sink()
    app = create_app(settings, event_sink=sink)
    runner = await start_serving(app, "127.0.0.1", 0, settings.inbound)
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}{settings.events.path}"
        status, printed = await register(settings, url)
        assert status == 0, printed
        await clear_webhook_deliveries(session, webhook_emulators.referrals_base_url)
        yield RegisteredBot(url, sink, settings)
    finally:
        await runner.cleanup()


async def test_register_webhooks_test_gets_the_emulator_s_test_event_to_the_bot(
    bot: RegisteredBot, webhook_emulators: RunningEmulators, session: aiohttp.ClientSession
) -> None:
    status, printed = await register(bot.settings, bot.url, "--test", "--wait", "500")

    assert status == 0, printed
    assert "completed" in printed[-1]
    [delivery] = await settled_webhook_deliveries(
        session, webhook_emulators.referrals_base_url, count=1
    )
    assert (delivery["event"], delivery["state"]) == ("test-created", "delivered")
    assert bot.sink.events == []  # answered 200 and logged, not handed on


async def test_a_new_lead_arrives_once_as_a_verified_referral_created_event(
    bot: RegisteredBot, webhook_emulators: RunningEmulators, session: aiohttp.ClientSession
) -> None:
    base = webhook_emulators.referrals_base_url
    created = await create_new_lead(
        session, base, name="Fabrikam lead", customer="Fabrikam", team=[SELLER.upn]
    )

    [event] = await bot.sink.wait_for(1)
    [delivery] = await settled_webhook_deliveries(session, base, count=1)
    assert (event.name, event.resource_id) == ("referral-created", created["referral"]["id"])
    assert (delivery["state"], [a["status"] for a in delivery["attempts"]]) == ("delivered", [200])


async def test_a_redelivery_after_a_lost_answer_is_dropped(
    bot: RegisteredBot, webhook_emulators: RunningEmulators, session: aiohttp.ClientSession
) -> None:
    base = webhook_emulators.referrals_base_url
    await fail_next_webhook_deliveries(session, base, 1, mode="timeout")  # answer lost: retried

    await create_new_lead(
        session, base, name="Tailspin lead", customer="Tailspin", team=[SELLER.upn]
    )

    [delivery] = await settled_webhook_deliveries(session, base, count=1)
    assert delivery["state"] == "delivered"
    assert len(delivery["attempts"]) == 2  # the bot saw it twice
    await asyncio.sleep(0.1)
    assert len(await bot.sink.wait_for(1)) == 1  # and handed it on once

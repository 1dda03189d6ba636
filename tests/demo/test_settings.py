"""The demo bot trusts the emulator's webhook signing chain, and only through its settings: with
Partner Center's production trust the same signed event is refused."""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.settings import EventSettings
from demo.playground_config import DEMO_USER
from demo.registration import register_event_url
from demo.settings import demo_settings, registration_settings
from emulators.fixtures import DEFAULT_TENANT_ID
from emulators.server import RunningEmulators
from tests.demo.demo_bot import demo_bot
from tests.support.emulator_controls import create_new_lead, settled_webhook_deliveries


async def _new_lead_delivery(
    running: RunningEmulators, session: aiohttp.ClientSession, **overrides: object
) -> dict[str, Any]:
    """A bot with `overrides` registered at the emulator; a new lead; its settled delivery."""
    async with demo_bot(running, **overrides) as bot:
        register = registration_settings(bot.settings, DEFAULT_TENANT_ID)
        await register_event_url(register, bot.events_url)
        base = running.referrals_base_url
        await create_new_lead(session, base, name="Relay lead", customer="Relay", team=[DEMO_USER])
        [delivery] = await settled_webhook_deliveries(session, base, count=1)
        return delivery


async def test_the_demo_bot_accepts_the_emulator_s_signed_new_lead_event(
    demo_emulators: RunningEmulators, session: aiohttp.ClientSession
) -> None:
    delivery = await _new_lead_delivery(demo_emulators, session)

    assert delivery["event"] == "referral-created"
    assert delivery["state"] == "delivered"
    assert [attempt["status"] for attempt in delivery["attempts"]] == [200]


async def test_with_partner_center_s_production_trust_the_same_event_is_refused(
    demo_emulators: RunningEmulators, session: aiohttp.ClientSession
) -> None:
    production = EventSettings(registration_url=demo_emulators.webhooks_url)

    delivery = await _new_lead_delivery(demo_emulators, session, events=production)

    assert delivery["state"] == "offline"  # ten refusals in a row
    assert {attempt["status"] for attempt in delivery["attempts"]} == {401}


def test_the_event_settings_name_the_emulator_s_chain_and_its_registration_api(
    demo_emulators: RunningEmulators,
) -> None:
    events = demo_settings(demo_emulators).events
    running = demo_emulators

    assert events.certificate_hosts == [running.webhook_certificate_host]
    assert running.webhook_certificate_url.startswith(
        f"https://{running.webhook_certificate_host}/"
    )
    assert (events.certificate_name, events.issuer_organization) == (
        running.webhook_certificate_name,
        running.webhook_issuer_organization,
    )
    assert (events.trust_ca_file, events.download_ca_file) == (
        running.webhook_ca_file,
        running.ca_file,
    )
    assert events.registration_url == running.webhooks_url


def test_registration_names_the_demo_tenant_and_leaves_the_bot_s_identity_as_it_is(
    demo_emulators: RunningEmulators,
) -> None:
    settings = demo_settings(demo_emulators)

    register = registration_settings(settings, DEFAULT_TENANT_ID)

    assert register.identity.tenant_id == DEFAULT_TENANT_ID
    assert settings.identity.tenant_id == "organizations"  # on-behalf-of stays multi-tenant
    assert register.identity.client_id == settings.identity.client_id
    assert register.events == settings.events

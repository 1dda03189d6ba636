"""A new lead, end to end over loopback: the emulator's signed delivery reaches the bot served as
in production, the seller who installed the bot and used it once gets one card with the
countdown in their time zone, and Accept on it writes once and updates the posted card."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.__main__ import arguments, register_webhooks
from bot.cards.lead_alert import LEAD_ACCEPT_VERB
from bot.settings import EventSettings, Settings
from emulators.fixtures import DEFAULT_TENANT_ID
from emulators.server import RunningEmulators
from tests.support.activities import TeamsUser, personal_chat
from tests.support.bot import BotUnderTest, SentActivity, button_data, demo_settings, running_bot
from tests.support.cards import visible_text
from tests.support.emulator_controls import clear_webhook_deliveries, create_new_lead
from tests.support.emulators import SELLER, PartnerCenterView
from tests.support.fixtures import emulators_fixture
from tests.support.identity import identity_settings
from tests.support.proactive import install
from tests.support.seeds import contoso_referrals

webhook_emulators = emulators_fixture(
    contoso_referrals, scope="module", name="webhook_emulators", webhook_backoff_seconds=0.01
)
BERLIN = ZoneInfo("Europe/Berlin")


def bot_settings(running: RunningEmulators) -> Settings:
    assert running.webhook_ca_file is not None
    return demo_settings(
        running,
        identity=identity_settings(running, tenant=DEFAULT_TENANT_ID),
        events=EventSettings(
            certificate_hosts=[running.webhook_certificate_host],
            certificate_name=running.webhook_certificate_name,
            issuer_organization=running.webhook_issuer_organization,
            trust_ca_file=running.webhook_ca_file,
            download_ca_file=running.ca_file,
            registration_url=running.webhooks_url,
        ),
    )


@pytest.fixture
async def bot(
    webhook_emulators: RunningEmulators, session: aiohttp.ClientSession
) -> AsyncIterator[BotUnderTest]:
    """The bot served as in production and registered for the tenant's referral events; the
    seller installed it and asked it something once (so their token is cached)."""
    async with session.post(f"{webhook_emulators.referrals_base_url}/_emulator/reset") as reset:
        assert reset.status == 204
    settings = bot_settings(webhook_emulators)
    async with running_bot(settings, served=True) as running:
        running.connector.add_member(SELLER)
        await install(running, TeamsUser.of(SELLER))
        await running.say("new leads", user=SELLER)
        url = f"{running.base_url}{settings.events.path}"
        command = arguments(["register-webhooks", "--url", url, "--replace"])
        assert await register_webhooks(settings, command, out=lambda _: None) == 0
        await clear_webhook_deliveries(session, webhook_emulators.referrals_base_url)
        yield running


async def cards_in(
    bot: BotUnderTest, conversation: str, *, method: str, count: int
) -> list[SentActivity]:
    """The cards posted (or updated) in `conversation`, once `count` have arrived (10 s)."""

    def found() -> list[SentActivity]:
        return [
            sent
            for sent in bot.connector.sent
            if sent.conversation_id == conversation and sent.method == method and sent.cards
        ]

    for _ in range(500):
        if len(found()) >= count:
            return found()
        await asyncio.sleep(0.02)
    raise AssertionError(f"{len(found())} cards arrived, not {count}")


async def test_a_new_lead_reaches_the_seller_once_and_accept_updates_the_card(
    bot: BotUnderTest, webhook_emulators: RunningEmulators, session: aiohttp.ClientSession
) -> None:
    chat = personal_chat(SELLER).id
    created = await create_new_lead(
        session,
        webhook_emulators.referrals_base_url,
        name="Fabrikam zero trust rollout",
        customer="Fabrikam Retail",
        team=[SELLER.upn],
        expiresInDays=3,
    )
    lead = created["referral"]

    [alert] = await cards_in(bot, chat, method="POST", count=1)
    card = alert.cards[0]
    expires = datetime.fromisoformat(lead["expirationDateTime"]).astimezone(BERLIN)
    text = visible_text(card)
    assert "Fabrikam zero trust rollout" in text
    assert f"({expires:%a} {expires.day} {expires:%b}, {expires:%H:%M})" in text
    assert "Expires in 2 days" in text or "Expires in 3 days" in text

    answer = await bot.click(LEAD_ACCEPT_VERB, button_data(card, LEAD_ACCEPT_VERB), user=SELLER)

    assert visible_text(answer.card).startswith("Accepted by Sam Seller at ")
    patches = await PartnerCenterView(session, webhook_emulators).patches()
    assert [p["status"] for p in patches] == [200]
    updates = await cards_in(bot, chat, method="PUT", count=1)
    [replaced] = {update.reply_to_id for update in updates}  # the one posted card, each time
    assert replaced is not None
    assert replaced.startswith("activity-")
    assert all(
        visible_text(update.cards[0]).startswith("Accepted by Sam Seller") for update in updates
    )
    await asyncio.sleep(0.3)  # a late second delivery would show here
    assert len(await cards_in(bot, chat, method="POST", count=1)) == 1

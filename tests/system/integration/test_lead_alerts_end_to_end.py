"""A new lead, end to end over loopback: the emulator's real signed deliveries reach the bot
served as in production (through a tap that keeps their bytes, tests/support/webhook_tap.py).

Sam (Berlin) and Olga (New York) installed the bot and used it once (their tokens are cached),
Gil is on the lead's team without the bot, and the leads channel asked for new leads. Each
person with the bot gets one card with the countdown in their own time zone, the channel one
with only what the event says; Accept on Sam's card writes once and turns every copy into
"Accepted by Sam Seller". A replayed, forged or re-signed delivery does nothing; a seller who
removed the app is tried once and forgotten. The slow test times delivery -> card (20 leads).
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
import trustme

from bot.app import STATE_PARTS
from bot.cards.lead_alert import LEAD_ACCEPT_VERB
from bot.settings import Settings
from emulators.server import RunningEmulators
from tests.support.activities import personal_chat
from tests.support.bot import BotUnderTest, button_data, running_bot
from tests.support.cards import visible_text
from tests.support.emulator_controls import (
    create_new_lead,
    recorded_requests,
    settled_webhook_deliveries,
    webhook_deliveries,
)
from tests.support.emulators import GLOBAL_ADMIN, OTHER_SELLER, SELLER, PartnerCenterView
from tests.support.event_signing import CertificateServer, SigningAuthority, SigningCertificate
from tests.support.fixtures import emulators_fixture
from tests.support.lead_alerts_live import (
    CHANNEL_ID,
    arrived,
    cards,
    channel_subscribes,
    event_settings,
    events_url,
    forget_deliveries,
    live_settings,
    per_conversation,
    register,
    seller_uses_the_bot,
    settled,
)
from tests.support.seeds import contoso_referrals
from tests.support.webhook_tap import Captured, WebhookTap, post, tapping

# Retries 10 ms apart; no throttling: 20 leads a few seconds apart are not what is timed here.
webhook_emulators = emulators_fixture(
    contoso_referrals,
    scope="module",
    name="webhook_emulators",
    webhook_backoff_seconds=0.01,
    throttle_per_minute=100_000,
)
BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
SAM, OLGA = personal_chat(SELLER).id, personal_chat(OTHER_SELLER).id
TEAM = [SELLER.upn, OTHER_SELLER.upn, GLOBAL_ADMIN.upn]  # Gil never installed the bot
EVERYONE = {SAM: 1, OLGA: 1, CHANNEL_ID: 1}
LATENCY_RUNS = 20
# Leads at most one per 0.3 s: Teams takes 8 operations per 2 s in one conversation, and the
# bot's pacer holds back a 9th card to the same chat within 2 s (bot.outbound.pacing).
SPACING = 0.3


@dataclass
class Impostor:
    """Someone else's signing chain: a CA with Partner Center's organization name, a certificate
    with its name, served over HTTPS from a host the bot allows (the worst case)."""

    certificate: SigningCertificate
    server: CertificateServer
    url: str


@dataclass
class World:
    bot: BotUnderTest
    settings: Settings
    tap: WebhookTap
    impostor: Impostor
    running: RunningEmulators
    session: aiohttp.ClientSession

    async def new_lead(self, name: str, **more: Any) -> dict[str, Any]:
        created = await create_new_lead(
            self.session,
            self.running.referrals_base_url,
            name=name,
            customer=f"{name} Customer",
            team=more.pop("team", TEAM),
            **({"expiresInDays": 3.1} | more),
        )
        lead: dict[str, Any] = created["referral"]
        return lead

    async def delivered(self, count: int) -> None:
        """The emulator's deliveries so far are settled, and the bot did what they asked."""
        base = self.running.referrals_base_url
        await settled_webhook_deliveries(self.session, base, count=count)
        await settled(self.bot)


@pytest.fixture
async def impostor(
    webhook_emulators: RunningEmulators, tmp_path: Path
) -> AsyncIterator[tuple[Impostor, Path]]:
    """The impostor, and the bot's download trust: the emulator's TLS CA and the impostor's."""
    running = webhook_emulators
    authority = SigningAuthority(organization=running.webhook_issuer_organization)
    certificate = authority.certificate_for(running.webhook_certificate_name)
    tls = trustme.CA(organization_name="Impostor Storage")
    server = CertificateServer(tls)
    await server.start()
    trust = tmp_path / "download-trust.pem"
    assert running.ca_file is not None
    await asyncio.to_thread(_concatenate, trust, Path(running.ca_file), tls.cert_pem.bytes())
    try:
        url = server.publish(certificate, name=running.webhook_certificate_name)
        yield Impostor(certificate, server, url), trust
    finally:
        await server.close()


def _concatenate(into: Path, first: Path, more: bytes) -> None:
    into.write_bytes(first.read_bytes() + more)


@pytest.fixture
async def world(
    webhook_emulators: RunningEmulators,
    session: aiohttp.ClientSession,
    impostor: tuple[Impostor, Path],
) -> AsyncIterator[World]:
    """The bot served as in production, registered (through the tap) for the tenant's referral
    events; Sam and Olga use it, the leads channel subscribed."""
    running, (someone_else, download_trust) = webhook_emulators, impostor
    async with session.post(f"{running.referrals_base_url}/_emulator/reset") as reset:
        assert reset.status == 204
    events = event_settings(
        running, more_hosts=[someone_else.server.host], download_ca_file=download_trust
    )
    settings = live_settings(running, events=events)
    async with running_bot(settings, served=True) as bot:
        await seller_uses_the_bot(bot, SELLER, "Europe/Berlin")
        await seller_uses_the_bot(bot, OTHER_SELLER, "America/New_York")
        await channel_subscribes(bot, SELLER)
        async with tapping(events_url(bot, settings)) as tap:
            await register(settings, tap.url)
            await forget_deliveries(session, running)
            yield World(bot, settings, tap, someone_else, running, session)


def posted_in(world: World, conversation: str, since: int = 0) -> dict[str, Any]:
    [activity] = cards(world.bot.connector.sent[since:], conversation=conversation)
    return activity.cards[0]


async def test_a_new_lead_reaches_each_member_with_the_bot_once_and_accept_updates_every_copy(
    world: World,
) -> None:
    since = len(world.bot.connector.sent)
    lead = await world.new_lead("Fabrikam zero trust rollout")
    await arrived(world.bot, EVERYONE, since=since)
    await world.delivered(1)

    assert per_conversation(world.bot.connector.sent[since:]) == EVERYONE  # Gil: no bot
    expires = datetime.fromisoformat(lead["expirationDateTime"])
    for chat, zone in ((SAM, BERLIN), (OLGA, NEW_YORK)):
        local = expires.astimezone(zone)
        text = visible_text(posted_in(world, chat, since))
        assert "Fabrikam zero trust rollout" in text
        assert f"Expires in 3 days ({local:%a} {local.day} {local:%b}, {local:%H:%M})" in text
    channel = visible_text(posted_in(world, CHANNEL_ID, since))
    assert "New lead in Partner Center" in channel
    assert "Fabrikam" not in channel  # only what the event carries

    sam_card = posted_in(world, SAM, since)
    answer = await world.bot.click(
        LEAD_ACCEPT_VERB, button_data(sam_card, LEAD_ACCEPT_VERB), user=SELLER
    )
    assert visible_text(answer.card).startswith("Accepted by Sam Seller at ")
    await world.delivered(2)  # and the referral-updated event the PATCH caused

    patches = await PartnerCenterView(world.session, world.running).patches()
    assert [patch["status"] for patch in patches] == [200]
    sent = world.bot.connector.sent[since:]
    posted_ids = {activity.conversation_id: activity.activity_id for activity in cards(sent)}
    updates = cards(sent, method="PUT")
    assert {update.conversation_id for update in updates} == set(EVERYONE)
    for update in updates:
        assert update.reply_to_id == posted_ids[update.conversation_id]
        assert visible_text(update.cards[0]).startswith("Accepted by Sam Seller")
    assert per_conversation(sent) == EVERYONE  # still one card each: updated, never re-posted


async def test_replayed_forged_and_re_signed_deliveries_are_refused_and_send_no_card(
    world: World,
) -> None:
    url = events_url(world.bot, world.settings)
    world.tap.targets = []  # this lead's delivery is kept, not passed on: the bot never hears
    quiet = await world.new_lead("Tailspin analytics")
    await world.delivered(1)
    [quiet_delivery] = world.tap.captured
    world.tap.targets = [url]
    lead = await world.new_lead("Fabrikam zero trust rollout")
    await arrived(world.bot, EVERYONE)
    await world.delivered(2)
    genuine = world.tap.captured[-1]
    since = len(world.bot.connector.sent)
    swapped = genuine.body.replace(lead["id"].encode(), quiet["id"].encode())
    assert swapped != genuine.body
    emulator_certificate = genuine.headers["x-ms-certificate-url"]
    other_key = SigningAuthority().certificate_for(world.running.webhook_certificate_name)
    forger = world.impostor
    not_allowed = forger.url.replace("127.0.0.1", "localhost")
    attempts: dict[str, tuple[Captured, int]] = {
        "replayed (the same bytes again)": (genuine, 200),
        "forged (another lead's id)": (Captured(swapped, genuine.headers), 401),
        "re-signed with another key": (
            genuine.resigned(swapped, other_key, emulator_certificate),
            401,
        ),
        "re-signed by another CA, from an allowed host": (
            genuine.resigned(swapped, forger.certificate, forger.url),
            401,
        ),
        "re-signed by another CA, from a host not allowed": (
            genuine.resigned(swapped, forger.certificate, not_allowed),
            401,
        ),
    }

    answers = {name: await post(world.session, url, sent) for name, (sent, _) in attempts.items()}

    assert answers == {name: status for name, (_, status) in attempts.items()}
    await settled(world.bot)
    assert cards(world.bot.connector.sent[since:]) == []
    assert cards(world.bot.connector.sent[since:], method="PUT") == []
    quiet_path = f"/v1.0/engagements/referrals/{quiet['id']}"
    base = world.running.referrals_base_url
    assert await recorded_requests(world.session, base, method="GET", path=quiet_path) == []
    # the quiet lead's own delivery does tell them: the forgeries had cards to gain
    assert await post(world.session, url, quiet_delivery) == 200
    await arrived(world.bot, EVERYONE, since=since)
    await settled(world.bot)
    assert per_conversation(world.bot.connector.sent[since:]) == EVERYONE


async def test_a_seller_who_removed_the_app_is_tried_once_then_forgotten(world: World) -> None:
    connector = world.bot.connector
    connector.refused[OLGA] = 403  # Olga removed the app: Teams refuses the bot in her chat
    tried = connector.attempts[OLGA]
    since = len(connector.sent)
    await world.new_lead("Contoso lead one")
    await arrived(world.bot, {SAM: 1, CHANNEL_ID: 1}, since=since)
    await world.delivered(1)

    assert connector.attempts[OLGA] == tried + 1  # a 403 is never retried
    assert world.bot.app is not None
    recipients = world.bot.app[STATE_PARTS].recipients
    assert await recipients.get(OTHER_SELLER.oid) is None
    assert await recipients.get(SELLER.oid) is not None

    since = len(connector.sent)
    await world.new_lead("Contoso lead two")
    await arrived(world.bot, {SAM: 1, CHANNEL_ID: 1}, since=since)
    await world.delivered(2)
    card = posted_in(world, SAM, since)
    await world.bot.click(LEAD_ACCEPT_VERB, button_data(card, LEAD_ACCEPT_VERB), user=SELLER)
    await world.delivered(3)

    assert connector.attempts[OLGA] == tried + 1  # not for the next lead, nor the copies' update
    assert set(per_conversation(connector.sent[since:], method="PUT")) == {SAM, CHANNEL_ID}


@pytest.mark.slow
async def test_delivery_to_card_time_over_twenty_leads(
    world: World, request: pytest.FixtureRequest
) -> None:
    """The figure docs/lead-alerts.md quotes: from the emulator starting its POST to each card at
    the connector, for 20 leads one after the other (the bot registered directly, no tap).
    Every lead: one card each."""
    await register(world.settings, events_url(world.bot, world.settings))
    waited: dict[str, list[float]] = {chat: [] for chat in EVERYONE}
    loop = asyncio.get_running_loop()
    next_at = loop.time()
    for run in range(LATENCY_RUNS):
        await asyncio.sleep(max(0.0, next_at - loop.time()))
        next_at = loop.time() + SPACING
        since = len(world.bot.connector.sent)
        lead = await world.new_lead(f"Latency lead {run}")
        found = await arrived(world.bot, EVERYONE, since=since)
        await world.delivered(run + 1)
        assert per_conversation(world.bot.connector.sent[since:]) == EVERYONE
        [delivery] = [
            d
            for d in await webhook_deliveries(world.session, world.running.referrals_base_url)
            if d["resourceUri"].endswith(f"/{lead['id']}")
        ]
        started = datetime.fromisoformat(delivery["attempts"][0]["at"]).timestamp()
        for card in found:
            waited[card.conversation_id].append(card.received_at - started)
    figures = _latency_table(waited)
    out = request.config.rootpath / "artifacts" / "alerts" / "lead-latency.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(figures)
    print("\n" + figures)


def _latency_table(waited: dict[str, list[float]]) -> str:
    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.1f} ms"

    names = {SAM: "Sam's card (Berlin)", OLGA: "Olga's card (New York)", CHANNEL_ID: "channel card"}
    rows = [
        "| Emulator's delivery -> card at the connector | median | p90 | max |",
        "|---|---:|---:|---:|",
    ]
    for chat, values in waited.items():
        ordered = sorted(values)
        p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
        rows.append(
            f"| {names[chat]} | {ms(statistics.median(values))} | {ms(p90)} | {ms(ordered[-1])} |"
        )
    note = f"{LATENCY_RUNS} leads, one every {SPACING:g} s at most; memory state."
    return "\n".join(rows) + f"\n\n{note}\n"

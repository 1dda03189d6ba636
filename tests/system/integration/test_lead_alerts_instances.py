"""Several bot instances on one Azurite container (issue 17 §5), fed the emulator's real signed
deliveries through a tap (tests/support/webhook_tap.py).

- The same delivery to both instances at once: one instance takes it, one card per recipient.
- Two deliveries of the same lead's creation, one to each instance at once: both work the event
  and the outbox's claims let one card per recipient out, in total.
- An instance (a `python -m bot` process) claims the cards, hangs on sending them and is
  SIGKILLed: once the claims' lease ran out, the other instance's scheduler sends each once, and
  the card it sends works (Accept).
Cards are counted at the fake connectors (both instances'). The slow figure: delivery -> card
with the state in Blob.
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from bot.alerts.scheduler import Scheduler
from bot.app import SCHEDULER
from bot.cards.lead_alert import LEAD_ACCEPT_VERB
from bot.settings import AlertSettings, Settings
from emulators.azurite import Azurite
from emulators.fixtures import DEFAULT_TENANT_ID
from emulators.server import RunningEmulators
from tests.support.activities import personal_chat
from tests.support.azurite import blob_state, fresh_blob_storage
from tests.support.bot import BotUnderTest, button_data, running_bot
from tests.support.bot_process import bot_process, process_env
from tests.support.cards import visible_text
from tests.support.emulator_controls import (
    create_new_lead,
    fire_webhook_event,
    recorded_requests,
    settled_webhook_deliveries,
    webhook_deliveries,
)
from tests.support.emulators import OTHER_SELLER, SELLER, PartnerCenterView
from tests.support.fixtures import emulators_fixture
from tests.support.identity import identity_settings
from tests.support.lead_alerts_live import (
    CHANNEL_ID,
    ShiftedClock,
    arrived,
    cards,
    channel_subscribes,
    events_url,
    forget_deliveries,
    live_settings,
    per_conversation,
    register,
    seller_uses_the_bot,
    settled,
)
from tests.support.seeds import contoso_referrals
from tests.support.webhook_tap import WebhookTap, post, tapping

pytestmark = pytest.mark.slow  # Azurite (a Node process), and a bot process to kill

webhook_emulators = emulators_fixture(
    contoso_referrals,
    scope="module",
    name="webhook_emulators",
    webhook_backoff_seconds=0.01,
    throttle_per_minute=100_000,
)
SAM, OLGA = personal_chat(SELLER).id, personal_chat(OTHER_SELLER).id
TEAM = [SELLER.upn, OTHER_SELLER.upn]
EVERYONE = {SAM: 1, OLGA: 1, CHANNEL_ID: 1}
LEASE = timedelta(seconds=30)  # the dead instance's claims; the test skips past it on B's clock
LATENCY_RUNS = 20
SPACING = 0.3  # at most one lead every 0.3 s: under Teams' 8 per 2 s in one chat


@dataclass
class Shared:
    """What the instances share: the emulators, one Blob container, one sealing key."""

    running: RunningEmulators
    azurite: Azurite
    container: str
    key: str
    session: aiohttp.ClientSession

    def settings(self, **alerts: Any) -> Settings:
        identity = identity_settings(self.running, tenant=DEFAULT_TENANT_ID)
        return live_settings(
            self.running,
            identity=identity.model_copy(update={"token_cache_key": SecretStr(self.key)}),
            state=blob_state(self.azurite, self.container),
            alerts=AlertSettings(**alerts),
        )

    async def new_lead(self, name: str) -> dict[str, Any]:
        created = await create_new_lead(
            self.session,
            self.running.referrals_base_url,
            name=name,
            customer=f"{name} Customer",
            team=TEAM,
            expiresInDays=3.1,
        )
        lead: dict[str, Any] = created["referral"]
        return lead

    async def settled_deliveries(self, count: int) -> None:
        await settled_webhook_deliveries(self.session, self.running.referrals_base_url, count=count)

    async def reads_of(self, lead: dict[str, Any]) -> int:
        path = f"/v1.0/engagements/referrals/{lead['id']}"
        base = self.running.referrals_base_url
        return len(await recorded_requests(self.session, base, method="GET", path=path))


@pytest.fixture
async def shared(
    webhook_emulators: RunningEmulators, azurite: Azurite, session: aiohttp.ClientSession
) -> AsyncIterator[Shared]:
    async with session.post(f"{webhook_emulators.referrals_base_url}/_emulator/reset") as reset:
        assert reset.status == 204
    async with fresh_blob_storage(azurite) as storage:
        key = Fernet.generate_key().decode("ascii")
        yield Shared(webhook_emulators, azurite, storage.container_name, key, session)


@dataclass
class Pair:
    a: BotUnderTest
    b: BotUnderTest
    settings: Settings
    tap: WebhookTap

    def sent(self) -> list[Any]:
        return [*self.a.connector.sent, *self.b.connector.sent]


@pytest.fixture
async def pair(shared: Shared) -> AsyncIterator[Pair]:
    """Instances A and B served on one container; Sam, Olga and the channel set up through A
    (their conversation references name A's connector: every card arrives there). The tap
    passes each delivery to both."""
    settings = shared.settings()
    async with AsyncExitStack() as stack:
        a = await stack.enter_async_context(running_bot(settings, served=True))
        b = await stack.enter_async_context(running_bot(settings, served=True))
        await seller_uses_the_bot(a, SELLER, "Europe/Berlin")
        await seller_uses_the_bot(a, OTHER_SELLER, "America/New_York")
        await channel_subscribes(a, SELLER)
        tap = await stack.enter_async_context(
            tapping(events_url(a, settings), events_url(b, settings))
        )
        await register(settings, tap.url)
        await forget_deliveries(shared.session, shared.running)
        yield Pair(a, b, settings, tap)


async def test_one_delivery_to_both_instances_at_once_sends_one_card_per_recipient(
    pair: Pair, shared: Shared
) -> None:
    since_a, since_b = len(pair.a.connector.sent), len(pair.b.connector.sent)

    lead = await shared.new_lead("Fabrikam zero trust rollout")
    await arrived(pair.a, EVERYONE, since=since_a)
    await shared.settled_deliveries(1)
    await settled(pair.a, pair.b)

    assert pair.tap.answers == [[200, 200]]  # each instance answered; one dropped it as seen
    sent = [*pair.a.connector.sent[since_a:], *pair.b.connector.sent[since_b:]]
    assert per_conversation(sent) == EVERYONE
    assert await shared.reads_of(lead) == 2  # one instance read it: as Sam, then as Olga


async def test_the_lead_delivered_twice_one_to_each_instance_sends_one_card_per_recipient(
    pair: Pair, shared: Shared
) -> None:
    """Two deliveries of the lead's creation (the second fired again: another change date, so
    no dedupe catches it): both instances work it, the outbox's claims decide who sends."""
    pair.tap.targets = []  # kept, not passed on: the test posts them itself
    lead = await shared.new_lead("Fabrikam zero trust rollout")
    await fire_webhook_event(
        shared.session,
        shared.running.referrals_base_url,
        "referral-created",
        referral_id=lead["id"],
    )
    await shared.settled_deliveries(2)
    first, again = pair.tap.captured
    assert first.body != again.body
    since = len(pair.a.connector.sent)

    answers = await asyncio.gather(
        post(shared.session, events_url(pair.a, pair.settings), first),
        post(shared.session, events_url(pair.b, pair.settings), again),
    )
    await arrived(pair.a, EVERYONE, since=since)
    await settled(pair.a, pair.b)

    assert list(answers) == [200, 200]
    assert await shared.reads_of(lead) == 4  # both instances read it, each as Sam and Olga
    assert per_conversation(pair.sent()[since:]) == EVERYONE
    assert cards(pair.b.connector.sent) == []


def process_state(shared: Shared) -> dict[str, str]:
    """`python -m bot` on the shared container and key, trusting the emulator's webhooks."""
    running = shared.running
    assert running.webhook_ca_file is not None
    assert running.ca_file is not None
    return {
        "REFERRAL_BOT_LOG_LEVEL": "WARNING",
        "REFERRAL_BOT_STATE__BACKEND": "blob",
        "REFERRAL_BOT_STATE__BLOB_CONNECTION_STRING": shared.azurite.connection_string,
        "REFERRAL_BOT_STATE__BLOB_CONTAINER": shared.container,
        "REFERRAL_BOT_IDENTITY__TOKEN_CACHE_KEY": shared.key,
        "REFERRAL_BOT_EVENTS__CERTIFICATE_HOSTS": f'["{running.webhook_certificate_host}"]',
        "REFERRAL_BOT_EVENTS__CERTIFICATE_NAME": running.webhook_certificate_name,
        "REFERRAL_BOT_EVENTS__ISSUER_ORGANIZATION": running.webhook_issuer_organization,
        "REFERRAL_BOT_EVENTS__TRUST_CA_FILE": str(running.webhook_ca_file),
        "REFERRAL_BOT_EVENTS__DOWNLOAD_CA_FILE": str(running.ca_file),
        "REFERRAL_BOT_ALERTS__CLAIM_LEASE_SECONDS": str(LEASE.total_seconds()),
    }


async def test_cards_claimed_by_a_killed_instance_are_sent_once_by_the_other_after_the_lease(
    shared: Shared, tmp_path: Path
) -> None:
    settings = shared.settings(claim_lease_seconds=LEASE.total_seconds(), stranded_every_seconds=1)
    env = process_env(shared.running, process_state(shared))
    async with bot_process(env, tmp_path / "bot-a.log", shared.session) as a:
        connector = a.bot.connector  # where every card goes, whichever instance sends it
        await seller_uses_the_bot(a.bot, SELLER, "Europe/Berlin")
        await seller_uses_the_bot(a.bot, OTHER_SELLER, "America/New_York")
        await channel_subscribes(a.bot, SELLER)
        await register(settings, f"{a.bot.base_url}{settings.events.path}")
        await forget_deliveries(shared.session, shared.running)
        connector.holding |= set(EVERYONE)  # A's posts hang: it claimed, it is sending
        since = len(connector.sent)

        lead = await shared.new_lead("Fabrikam zero trust rollout")
        await connector.hold_count(len(EVERYONE))
        assert await a.kill() == -9
        connector.let_go()

        clock = ShiftedClock()
        async with running_bot(settings, served=True, clock=clock) as b:
            scheduler: Scheduler = b.app[SCHEDULER]  # type: ignore[index]
            assert await scheduler.tick()
            await settled(b)
            assert cards(connector.sent[since:]) == []  # the claims are live: A may be sending

            clock.ahead = LEASE + timedelta(seconds=1)
            assert await scheduler.tick()
            clock.ahead += timedelta(seconds=2)
            assert await scheduler.tick()
            await settled(b)

            assert per_conversation(connector.sent[since:]) == EVERYONE
            assert sorted(connector.held) == sorted(EVERYONE)  # A's sends never arrived
            sam_card = cards(connector.sent[since:], conversation=SAM)[0].cards[0]
            assert "Fabrikam zero trust rollout" in visible_text(sam_card)
            answer = await b.click(
                LEAD_ACCEPT_VERB, button_data(sam_card, LEAD_ACCEPT_VERB), user=SELLER
            )
            assert visible_text(answer.card).startswith("Accepted by Sam Seller at ")
            patches = await PartnerCenterView(shared.session, shared.running).patches()
            assert [patch["status"] for patch in patches] == [200]
            assert lead["id"] in patches[0]["path"]


async def test_delivery_to_card_time_with_blob_state(
    pair: Pair, shared: Shared, request: pytest.FixtureRequest
) -> None:
    """As the memory figure (test_lead_alerts_end_to_end.py), with every store in Azurite: the
    difference is what the Blob state costs a lead's cards (claims, sends, reads, offers)."""
    await register(pair.settings, events_url(pair.a, pair.settings))  # A alone, no tap
    waited: list[float] = []
    loop = asyncio.get_running_loop()
    next_at = loop.time()
    for run in range(LATENCY_RUNS):
        await asyncio.sleep(max(0.0, next_at - loop.time()))
        next_at = loop.time() + SPACING
        since = len(pair.a.connector.sent)
        lead = await shared.new_lead(f"Latency lead {run}")
        found = await arrived(pair.a, EVERYONE, since=since)
        await shared.settled_deliveries(run + 1)
        await settled(pair.a)
        assert per_conversation(pair.a.connector.sent[since:]) == EVERYONE
        [delivery] = [
            d
            for d in await webhook_deliveries(shared.session, shared.running.referrals_base_url)
            if d["resourceUri"].endswith(f"/{lead['id']}")
        ]
        started = datetime.fromisoformat(delivery["attempts"][0]["at"]).timestamp()
        waited += [card.received_at - started for card in found]
    ordered = sorted(waited)
    figures = (
        "| Emulator's delivery -> card at the connector, Blob state (Azurite) | median | p90 |"
        " max |\n|---|---:|---:|---:|\n"
        f"| each of the 3 cards of a lead | {statistics.median(waited) * 1000:.1f} ms | "
        f"{ordered[int(0.9 * len(ordered))] * 1000:.1f} ms | {ordered[-1] * 1000:.1f} ms |\n\n"
        f"{LATENCY_RUNS} leads, one every {SPACING:g} s at most.\n"
    )
    out = request.config.rootpath / "artifacts" / "alerts" / "lead-latency-blob.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(figures)
    print("\n" + figures)

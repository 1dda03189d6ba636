"""The lead alerts over the real Partner Center and Entra emulators, with fake Teams around them.

`lead_world(...)` builds what the app builds (`build_lead_alerts` and the card actions with the
lead verbs) over: the Referrals emulator seeded with `lead_seed()`, real silent on-behalf-of
tokens from the identity emulator (`LeadWorld.install(user)` caches one, as the seller's first
turn would), the memory backend's recipients, channels and outbox (bot.state), and a fake sender
(tests/support/alert_fakes.py).
"Today" is Mon 7 Dec 2026 09:00 UTC; the lead expires Thu 10 Dec 16:00 UTC.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from pydantic import SecretStr

from bot.alerts.leads import LeadAlerts
from bot.alerts.wiring import build_lead_alerts
from bot.auth.obo import OboTokenProvider
from bot.auth.sealed_store import MemoryByteStore
from bot.background import BackgroundTasks
from bot.card_actions.lead_verbs import lead_card_actions
from bot.card_actions.verbs import CardActions
from bot.domain.assertion import UserAssertion
from bot.domain.events import PartnerCenterEvent
from bot.domain.proactive import ChannelSubscription, ProactiveSender, Recipient
from bot.settings import AlertSettings, IdentitySettings, IndexSettings, Mode, Settings
from bot.state.lead_records import StorageLeadRecords
from bot.state.memory_storage import VersionedMemoryStorage
from bot.state.outbox import MemoryNotifications
from bot.state.pending_changes import MemoryPendingChanges
from bot.state.recipients import MemoryChannelSubscriptions, MemoryRecipients
from dialogs.ports import DialogServices
from dialogs.turn_facts import tenant_of
from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators
from tests.support.activities import (
    SERVICE_URL,
    TeamsConversation,
    TeamsUser,
    channel_thread,
    make_card_invoke,
    personal_chat,
)
from tests.support.alert_fakes import FakeSender
from tests.support.card_harness import FakeClock
from tests.support.cards import assert_valid_card
from tests.support.emulators import (
    ADMIN,
    GLOBAL_ADMIN,
    OTHER_SELLER,
    SELLER,
    mint_partner_center_token,
)
from tests.support.identity import IdentityClient, identity_settings
from tests.support.partner_center import EmulatorControl
from tests.support.referral_documents import member, seed_referral
from tests.support.referrals import index_backed
from tests.support.world import make_client

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PORTAL = "https://partner.example/referrals"
LEAD = "lead-fab-1"  # Fabrikam: SELLER, OTHER_SELLER, GLOBAL_ADMIN and Nina (no bot)
LEAD_SOLO = "lead-tail-2"  # Tailspin: OTHER_SELLER only
DEAL = "deal-out-3"  # an outgoing deal of SELLER's: no lead
LEAD_EXPIRES = "2026-12-10T16:00:00.0000000Z"
CUSTOMER = "Fabrikam Retail GmbH"
DEAL_NAME = "Fabrikam cloud security assessment"
NOTES = "Call Pat Doe on +49 30 5550100 about the rollout."
ASKED = "Needs a partner with a German data centre."
NINA = {"firstName": "Nina", "lastName": "Nobot", "email": "nina@contoso.example"}
CUSTOMER_TEXTS = (CUSTOMER, DEAL_NAME, NOTES, ASKED, "Pat Doe", "5550100")
LEAD_CONFIG: dict[str, Any] = {"throttle_per_minute": 100_000}


def lead_seed() -> list[dict[str, Any]]:
    details = {
        "dealValue": 120_000,
        "currency": "EUR",
        "notes": NOTES,
        "requirements": {
            "industries": ["Retail"],
            "products": ["Microsoft Defender for Cloud"],
            "services": [],
            "solutions": [],
            "additionalRequirements": ASKED,
        },
        "customerRequestedContact": True,
    }
    lead = seed_referral(
        LEAD,
        "New/Received",
        name=DEAL_NAME,
        customer=CUSTOMER,
        team=[member(SELLER), member(OTHER_SELLER), member(GLOBAL_ADMIN), NINA],
        details=details,
        direction="Incoming",
        createdDateTime="2026-11-26T16:00:00.0000000Z",
        expirationDateTime=LEAD_EXPIRES,
    )
    solo = seed_referral(
        LEAD_SOLO,
        "New/Received",
        name="Tailspin analytics",
        customer="Tailspin Toys",
        team=[member(OTHER_SELLER)],
        direction="Incoming",
        createdDateTime="2026-12-06T16:00:00.0000000Z",
        expirationDateTime="2026-12-20T16:00:00.0000000Z",
    )
    deal = seed_referral(
        DEAL, "Active/Accepted", name="Contoso deal", customer="Contoso", team=[member(SELLER)]
    )
    deal["direction"] = "Outgoing"
    return [lead, solo, deal]


@dataclass
class SilentAssertions:
    """The clicker's assertion: their cached token only (as after their first turn)."""

    signed_out: set[str] = field(default_factory=set)

    async def assertion(self, turn_context: TurnContext) -> UserAssertion | None:
        user_id = turn_context.activity.from_property.aad_object_id
        if user_id in self.signed_out:
            return None
        return UserAssertion.silent(tenant_of(turn_context.activity), user_id)


@dataclass
class CountingTokens:
    """The real on-behalf-of provider, remembering whose token each request used."""

    provider: OboTokenProvider
    issued: list[str] = field(default_factory=list)

    async def get_token(self, user: UserAssertion) -> str:
        self.issued.append(user.user_id)
        return await self.provider.get_token(user)


@dataclass
class Sleeps:
    waits: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@dataclass
class LeadWorld:
    alerts: LeadAlerts
    actions: CardActions
    services: DialogServices
    recipients: MemoryRecipients
    channels: MemoryChannelSubscriptions
    notifications: MemoryNotifications
    sender: FakeSender
    records: StorageLeadRecords
    pending: MemoryPendingChanges
    clock: FakeClock
    sleeps: Sleeps
    tokens: CountingTokens
    identity: IdentityClient
    control: EmulatorControl
    background: BackgroundTasks
    assertions: SilentAssertions
    settings: Settings
    running: RunningEmulators
    session: aiohttp.ClientSession

    async def install(
        self,
        user: FixtureUser,
        *,
        zone: str = "Europe/Berlin",
        signed_in: bool = True,
        alerts_on: bool = True,
        installed_at: datetime = NOW - timedelta(days=30),
    ) -> Recipient:
        """The seller installed the bot (and, `signed_in`, used it once: a cached token)."""
        if signed_in:
            sso = await self.identity.sso_token(user)
            await self.tokens.provider.get_token(UserAssertion(user.tenant_id, user.oid, sso))
        recipient = Recipient(
            user_id=user.oid,
            tenant_id=user.tenant_id,
            name=user.name,
            email=user.upn,
            time_zone=zone,
            reference=personal_reference(user),
            installed_at=installed_at,
            alerts_on=alerts_on,
        )
        await self.recipients.put(recipient)
        return recipient

    async def subscribe(self, conversation: TeamsConversation | None = None) -> str:
        channel = conversation or channel_thread("leads")
        await self.channels.put(
            ChannelSubscription(
                conversation_id=channel.id,
                tenant_id=channel.tenant_id,
                reference=channel_reference(channel),
                subscribed_by="Sam Seller",
                subscribed_at=NOW - timedelta(days=1),
            )
        )
        return channel.id

    def another_instance(self, sender: ProactiveSender | None = None) -> LeadAlerts:
        """A second bot instance over the same state backend (outbox, records, pending), sending
        through `sender` (None: the world's)."""
        return build_lead_alerts(
            self.services,
            self.settings,
            recipients=self.recipients,
            channels=self.channels,
            notifications=self.notifications,
            sender=sender or self.sender,
            records=self.records,
            background=self.background,
            sleep=self.sleeps,
        )

    async def patch_as_admin(self, referral_id: str, *operations: dict[str, Any]) -> None:
        """A change made in Partner Center itself (its UI, another tool): not through the bot."""
        token = mint_partner_center_token(self.running, ADMIN)
        async with self.session.patch(
            f"{self.running.referrals_url}/{referral_id}",
            json=list(operations),
            headers={"Authorization": f"Bearer {token}"},
        ) as answer:
            assert answer.status in (200, 204), await answer.text()

    async def click(
        self,
        verb: str,
        data: dict[str, Any],
        *,
        user: FixtureUser | TeamsUser = SELLER,
        conversation: TeamsConversation | None = None,
        timezone: str = "Europe/Berlin",
    ) -> dict[str, Any]:
        activity = make_card_invoke(
            verb, data, user=user, conversation=conversation, timezone=timezone
        )
        body = await self.actions.dispatch(TurnContext(TestAdapter(), activity), verb, data)
        if body["type"] == "application/vnd.microsoft.card.adaptive":
            assert_valid_card(body["value"])
        return body

    async def settled(self) -> None:
        """Background work (copy updates after a click) has ended."""
        await self.background.drain(grace_seconds=10)

    async def patches(self) -> list[int | None]:
        return [entry["status"] for entry in await self.control.requests("PATCH")]

    async def reads(self, referral_id: str) -> int:
        path = f"/v1.0/engagements/referrals/{referral_id}"
        return sum(1 for entry in await self.control.requests("GET") if entry["path"] == path)


def created(referral_id: str, name: str = "referral-created") -> PartnerCenterEvent:
    return PartnerCenterEvent(
        name=name,
        resource_uri=f"https://api.partner.microsoft.com/v1.0/engagements/referrals/{referral_id}",
        resource_name="referral",
        audit_uri=None,
        changed_at=NOW - timedelta(minutes=2),
    )


def updated(referral_id: str) -> PartnerCenterEvent:
    return PartnerCenterEvent(
        name="referral-updated",
        resource_uri=f"https://api.partner.microsoft.com/v1.0/engagements/referrals/{referral_id}",
        resource_name="referral",
        audit_uri=None,
        changed_at=NOW,
    )


def personal_reference(user: FixtureUser) -> dict[str, Any]:
    teams_user = TeamsUser.of(user)
    return {
        "user": {"id": teams_user.id, "name": user.name, "aadObjectId": user.oid},
        "bot": {"id": "28:bot", "name": "Referral Bot"},
        "conversation": {
            "id": personal_chat(user).id,
            "conversationType": "personal",
            "tenantId": user.tenant_id,
        },
        "channelId": "msteams",
        "serviceUrl": SERVICE_URL,
    }


def channel_reference(channel: TeamsConversation) -> dict[str, Any]:
    return {
        "bot": {"id": "28:bot", "name": "Referral Bot"},
        "conversation": {
            "id": channel.id,
            "conversationType": "channel",
            "tenantId": channel.tenant_id,
        },
        "channelId": "msteams",
        "serviceUrl": SERVICE_URL,
    }


def alert_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"max_readers": 5, "send_retries": 2, "retry_backoff_seconds": 1.0}
    return Settings(
        dangerously_allow_unauthenticated=True,
        mode=Mode.DEMO,
        identity=IdentitySettings(client_id="x", client_secret=SecretStr("y")),
        alerts=AlertSettings(**(values | overrides)),
    )


@asynccontextmanager
async def lead_world(
    session: aiohttp.ClientSession,
    running: RunningEmulators,
    identity: IdentityClient,
    **alert_overrides: Any,
) -> AsyncIterator[LeadWorld]:
    provider = OboTokenProvider(identity_settings(running), MemoryByteStore())
    tokens = CountingTokens(provider)
    clock, pending, assertions = FakeClock(NOW), MemoryPendingChanges(), SilentAssertions()
    services = DialogServices(
        referrals=index_backed(
            make_client(session, running, tokens), IndexSettings(refresh_seconds=3600)
        ),
        pending=pending,
        clock=clock,
        assertions=assertions,
        portal_url=PORTAL,
    )
    recipients, channels = MemoryRecipients(), MemoryChannelSubscriptions()
    notifications, sender, sleeps = MemoryNotifications(), FakeSender(), Sleeps()
    records, background = StorageLeadRecords(VersionedMemoryStorage()), BackgroundTasks()
    settings = alert_settings(**alert_overrides)
    alerts = build_lead_alerts(
        services,
        settings,
        recipients=recipients,
        channels=channels,
        notifications=notifications,
        sender=sender,
        records=records,
        background=background,
        sleep=sleeps,
    )
    world = LeadWorld(
        alerts=alerts,
        actions=lead_card_actions(services, alerts.parts),
        services=services,
        recipients=recipients,
        channels=channels,
        notifications=notifications,
        sender=sender,
        records=records,
        pending=pending,
        clock=clock,
        sleeps=sleeps,
        tokens=tokens,
        identity=identity,
        control=EmulatorControl(session, running),
        background=background,
        assertions=assertions,
        settings=settings,
        running=running,
        session=session,
    )
    try:
        yield world
    finally:
        await background.drain(grace_seconds=10)
        await provider.aclose()


__all__ = ["ADMIN", "GLOBAL_ADMIN", "OTHER_SELLER", "SELLER"]

"""The composition root: `create_app(settings) -> web.Application`, and nothing at import.

Everything the bot shares is built once per app in one `cleanup_ctx` and closed with it: one
`aiohttp.ClientSession`, the on-behalf-of token provider (msal), the Partner Center client and
service, the pending changes, bot state, the adapter and `ReferralBot` with its dialogs, and
the Partner Center webhook endpoint with its `EventSink` (the lead alerts, bot.alerts). Tests
and the demo swap parts through keyword overrides, never through module globals.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial

import aiohttp
from aiohttp import web
from botbuilder.core import MemoryStorage, PrivateConversationState, StatePropertyAccessor, Storage
from botbuilder.dialogs import Dialog
from botframework.connector.auth import ServiceClientCredentialsFactory
from cryptography.fernet import Fernet
from pydantic import SecretStr

from bot.alerts.confirm_cards import CardUpdater, ConfirmCards
from bot.alerts.confirm_expiry import ConfirmExpiry
from bot.alerts.digest_settings import RecipientDigests
from bot.alerts.leads import LeadAlerts
from bot.alerts.parts import LeadParts
from bot.alerts.scheduler import Scheduler
from bot.alerts.wiring import build_lead_alerts, build_scheduler, stranded_cards
from bot.auth.obo import OboTokenProvider
from bot.auth.sealed_store import ByteStore, EncryptedByteStore
from bot.background import BackgroundTasks
from bot.card_actions.deadline import ANSWER_WITHIN, AnswerInTime, Sleep
from bot.card_actions.lead_verbs import LeadActions
from bot.card_actions.verbs import CardActionDispatcher, CardActions
from bot.domain.events import EventSink
from bot.domain.pending import PendingChanges
from bot.domain.proactive import ChannelSubscriptions, Notifications, ProactiveSender, Recipients
from bot.inbound.activity_handler import ReferralBot
from bot.inbound.adapter import ReferralAdapter
from bot.inbound.alert_settings import StoredAlertSettings
from bot.inbound.channel_token import ChannelKeys, ChannelTokenValidator
from bot.inbound.dedupe import ActivityDedupe
from bot.inbound.event_certificates import SigningCertificates
from bot.inbound.event_signature import EventSignatures
from bot.inbound.installs import Installs
from bot.inbound.partner_center_events import EVENT_KEY_PREFIX, PartnerCenterEvents
from bot.inbound.policy import TenantPolicy
from bot.inbound.sso import use_teams_sso, use_token_service
from bot.inbound.turn_errors import make_on_turn_error
from bot.outbound.pacing import (
    ConversationPacer,
    OutboundRetry,
    OutboundSender,
    tenant_pacer,
)
from bot.outbound.proactive import AdapterProactiveSender
from bot.partner_center.client import ReferralsClient
from bot.partner_center.retry import RetryPolicy
from bot.referrals.index_sync import ReferralIndexes
from bot.referrals.service import PartnerCenterReferrals
from bot.routes import ADAPTER, BOT, EVENTS, add_routes
from bot.settings import Mode, Settings
from bot.sign_in.dev_sso import DevSsoAssertions
from bot.sign_in.no_sign_in import NoSignInAssertions
from bot.sign_in.token_service import TokenServiceAssertions
from bot.state.backends import open_state
from bot.state.lead_records import StorageLeadRecords
from bot.state.parts import StateParts
from bot.state.pending_changes import MemoryPendingChanges
from bot.state.token_caches import StorageTokenCacheStore
from dialogs.main_dialog import MainDialog
from dialogs.ports import Clock, DialogServices, UserAssertions

logger = logging.getLogger(__name__)

DialogFactory = Callable[[DialogServices, StatePropertyAccessor], Dialog]
CardActionsFactory = Callable[[DialogServices], CardActionDispatcher]
AssertionsFactory = Callable[[aiohttp.ClientSession, Settings], UserAssertions]

SETTINGS = web.AppKey("settings", Settings)
HTTP_SESSION = web.AppKey("http_session", aiohttp.ClientSession)
TOKENS = web.AppKey("tokens", OboTokenProvider)
SERVICES = web.AppKey("services", DialogServices)
BACKGROUND = web.AppKey("background_tasks", BackgroundTasks)  # card updates after "Saving…"
STATE = web.AppKey("private_conversation_state", PrivateConversationState)
STATE_PARTS = web.AppKey("state_parts", StateParts)
# each seller's referral index, sealed with the token caches' key (bot.state.referral_indexes)
REFERRAL_INDEXES = web.AppKey("referral_indexes", ByteStore)
# issue 17 §4: confirm cards posted in group conversations, ended for everyone
CONFIRM_CARDS = web.AppKey("confirm_cards", ConfirmCards)
# issue 17: the sellers' indexes as one per process (turns and scheduled work share them), and
# the scheduler (present while it runs: another module adds a job with `.register(job)`)
INDEX_CACHE = web.AppKey("referral_index_cache", ReferralIndexes)
SCHEDULER = web.AppKey("scheduler", Scheduler)
# issue 17: sellers captured on install (and kept current), and the sender of proactive cards
INSTALLS = web.AppKey("installs", Installs)
PROACTIVE_SENDER = web.AppKey("proactive_sender", AdapterProactiveSender)
EVENT_SINK = web.AppKey("event_sink", EventSink)  # what verified Partner Center events go to
LEAD_ALERTS = web.AppKey("lead_alerts", LeadAlerts)  # the default sink; its parts serve the cards


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class Overrides:
    """What tests and the demo may swap; None = the production choice for the settings."""

    root_dialog: DialogFactory | None = None
    card_actions: CardActionsFactory | None = None
    assertions: AssertionsFactory | None = None
    clock: Clock | None = None
    storage: Storage | None = None
    token_store: ByteStore | None = None
    # How replies get their outbound Bot Framework token; tests swap in a local fake.
    credentials_factory: ServiceClientCredentialsFactory | None = None
    pending: PendingChanges | None = None  # the state backend, or create_app(pending=...)
    answer_within: float = ANSWER_WITHIN  # card clicks: answer "Saving…" after this long
    answer_sleep: Sleep = asyncio.sleep  # what `answer_within` runs out on
    # Retry-After, backoff and pacing waits (Partner Center, Teams), and the clock they and their
    # deadlines are timed on: tests skip the waits instead of spending them (docs/testing.md)
    sleep: Sleep = asyncio.sleep
    monotonic: Callable[[], float] = time.monotonic
    notifications: Notifications | None = None  # the outbox (issue 17); None: the backend's
    proactive_sender: ProactiveSender | None = None  # scheduled cards; None: the adapter's
    recipients: Recipients | None = None  # issue 17 stores; None: the state backend's
    channels: ChannelSubscriptions | None = None
    event_sink: EventSink | None = None  # Partner Center events; None: default_event_sink


def create_app(
    settings: Settings,
    *,
    root_dialog: DialogFactory | None = None,
    card_actions: CardActionsFactory | None = None,
    assertions: AssertionsFactory | None = None,
    clock: Clock | None = None,
    storage: Storage | None = None,
    token_store: ByteStore | None = None,
    credentials_factory: ServiceClientCredentialsFactory | None = None,
    pending: PendingChanges | None = None,
    answer_within: float = ANSWER_WITHIN,
    answer_sleep: Sleep = asyncio.sleep,
    sleep: Sleep = asyncio.sleep,
    monotonic: Callable[[], float] = time.monotonic,
    notifications: Notifications | None = None,
    proactive_sender: ProactiveSender | None = None,
    recipients: Recipients | None = None,
    channels: ChannelSubscriptions | None = None,
    event_sink: EventSink | None = None,
) -> web.Application:
    overrides = Overrides(
        root_dialog, card_actions, assertions, clock, storage, token_store, credentials_factory
    )
    overrides = replace(overrides, pending=pending)  # shared stores (Blob): several instances
    overrides = replace(overrides, answer_within=answer_within, answer_sleep=answer_sleep)
    overrides = replace(overrides, sleep=sleep, monotonic=monotonic)
    overrides = replace(overrides, notifications=notifications)
    overrides = replace(overrides, proactive_sender=proactive_sender)
    overrides = replace(overrides, recipients=recipients, channels=channels)
    overrides = replace(overrides, event_sink=event_sink)
    app = web.Application()
    app[SETTINGS] = settings
    app.cleanup_ctx.append(_durable_state)  # opened before the runtime, closed after it
    app.cleanup_ctx.append(partial(_runtime, overrides))
    events = settings.events
    add_routes(app, events_path=events.path if events.enabled else None)
    return app


def default_assertions(session: aiohttp.ClientSession, settings: Settings) -> UserAssertions:
    """An OAuth connection: the token service (Teams SSO). Else demo: the dev grant."""
    if settings.bot.oauth_connection_name:
        return TokenServiceAssertions(settings.bot.oauth_connection_name)
    if settings.mode is Mode.DEMO:
        identity = settings.identity
        return DevSsoAssertions(
            session,
            identity_url=identity.authority_host,
            client_id=identity.client_id,
            ca_file=identity.ca_file,
        )
    return NoSignInAssertions()


def default_event_sink(app: web.Application) -> EventSink:
    """Where verified Partner Center events go: the lead alerts (bot.alerts)."""
    return app[LEAD_ALERTS]


def default_root_dialog(services: DialogServices, memory: StatePropertyAccessor) -> Dialog:
    return MainDialog(services, memory)


def default_card_actions(
    services: DialogServices,
    leads: LeadParts | None = None,
    *,
    confirm_cards: ConfirmCards | None = None,
    updater: CardUpdater | None = None,
) -> CardActionDispatcher:
    """Confirm and Cancel; with `leads`, the lead card's Accept, Decline and refresh too; with
    `confirm_cards` and `updater`, group confirm cards are ended for everyone."""
    return CardActions(
        services,
        leads=None if leads is None else LeadActions(services, leads),
        confirm_cards=confirm_cards,
        updater=updater,
    )


def _sealing_key(settings: Settings) -> SecretStr:
    """The one key of per-seller secrets: msal token caches and referral indexes.

    Without a configured key a random one is made per process: caches and indexes then do not
    outlive a restart (the next turn does one fresh on-behalf-of, and rebuilds the index), but
    storage never holds a token or a referral in clear.
    """
    key = settings.identity.token_cache_key
    if not key.get_secret_value():
        logger.info("auth.token_cache.ephemeral_key: set REFERRAL_BOT_IDENTITY__TOKEN_CACHE_KEY")
        key = SecretStr(Fernet.generate_key().decode("ascii"))
    return key


def _token_store(overrides: Overrides, storage: Storage, key: SecretStr) -> ByteStore:
    """Per-user msal caches live in the bot's storage, always encrypted."""
    if overrides.token_store is not None:
        return overrides.token_store
    return EncryptedByteStore(StorageTokenCacheStore(storage), key)


def _services(
    app: web.Application,
    session: aiohttp.ClientSession,
    tokens: OboTokenProvider,
    overrides: Overrides,
) -> DialogServices:
    settings = app[SETTINGS]
    policy = RetryPolicy.from_settings(
        settings.partner_center, sleep=overrides.sleep, clock=overrides.monotonic
    )
    client = ReferralsClient(session, settings.partner_center, tokens, retry_policy=policy)
    make_assertions = overrides.assertions or default_assertions
    indexes = ReferralIndexes(client, app[REFERRAL_INDEXES], app[BACKGROUND], settings.index)
    app[INDEX_CACHE] = indexes
    clock = overrides.clock or SystemClock()
    recipients, channels = _proactive_stores(app, overrides)
    app[INSTALLS] = installs = Installs(recipients, clock)
    return DialogServices(
        referrals=PartnerCenterReferrals(indexes),
        pending=overrides.pending if overrides.pending is not None else MemoryPendingChanges(),
        clock=clock,
        assertions=make_assertions(session, settings),
        portal_url=settings.partner_center.portal_url,
        pending_ttl=timedelta(minutes=settings.pending_ttl_minutes),
        claim_lease=claim_lease(settings),
        sign_in_connection=settings.bot.oauth_connection_name,
        user_specific_views=settings.bot.user_specific_views,
        digests=RecipientDigests(recipients),
        alerts=StoredAlertSettings(installs, channels, clock),
    )


def _with_confirm_cards(
    app: web.Application, services: DialogServices, overrides: Overrides
) -> DialogServices:
    """Group confirm cards are recorded in the outbox, to be updated for everyone later."""
    app[CONFIRM_CARDS] = ConfirmCards(_outbox(app, overrides), services.clock)
    return replace(services, confirm_cards=app[CONFIRM_CARDS])


def _outbox(app: web.Application, overrides: Overrides) -> Notifications:
    """One outbox for lead alerts, group confirm cards and scheduled cards: their claims and
    copies must be read where they were written."""
    if overrides.notifications is not None:
        return overrides.notifications
    return app[STATE_PARTS].notifications


def _proactive_stores(
    app: web.Application, overrides: Overrides
) -> tuple[Recipients, ChannelSubscriptions]:
    parts = app[STATE_PARTS]
    recipients = parts.recipients if overrides.recipients is None else overrides.recipients
    channels = parts.channels if overrides.channels is None else overrides.channels
    return recipients, channels


def _lead_alerts(
    app: web.Application, services: DialogServices, overrides: Overrides
) -> LeadAlerts:
    """Issue 17: lead alerts over the state backend's outbox, the proactive sender, and lead
    records in the bot's storage (decisions, each recipient's Accept/Decline ids)."""
    parts = app[STATE_PARTS]
    recipients, channels = _proactive_stores(app, overrides)
    return build_lead_alerts(
        services,
        app[SETTINGS],
        recipients=recipients,
        channels=channels,
        notifications=_outbox(app, overrides),
        sender=app[PROACTIVE_SENDER],
        records=StorageLeadRecords(overrides.storage or parts.storage),
        background=app[BACKGROUND],
        sleep=overrides.sleep,
    )


def claim_lease(settings: Settings) -> timedelta:
    """Long enough for a claim's work: the PATCH and maybe a re-read, each within the deadline."""
    if settings.pending_claim_lease_seconds is not None:
        return timedelta(seconds=settings.pending_claim_lease_seconds)
    return timedelta(seconds=2 * settings.partner_center.deadline_seconds + 30)


def _wire_bot(app: web.Application, services: DialogServices, overrides: Overrides) -> None:
    settings = app[SETTINGS]
    storage = overrides.storage or MemoryStorage()
    state = PrivateConversationState(storage)
    dialog_state = state.create_property("DialogState")
    memory = state.create_property("SellerMemory")
    authenticate = not settings.dangerously_allow_unauthenticated
    if not authenticate:
        logger.warning("bot.auth.disabled: accepting unauthenticated activities (demo, loopback)")
    # one pacer for replies and proactive cards: Teams counts both against a conversation
    outbound = OutboundSender(
        ConversationPacer(clock=overrides.monotonic, sleep=overrides.sleep),
        OutboundRetry(sleep=overrides.sleep, clock=overrides.monotonic),
        tenant_pacer(clock=overrides.monotonic, sleep=overrides.sleep),
    )
    adapter = ReferralAdapter.from_settings(
        settings.bot,
        authenticate=authenticate,
        validator=_validator(settings, app[HTTP_SESSION]),
        credentials_factory=overrides.credentials_factory,
        outbound=outbound,
        inbound=settings.inbound,
    )
    adapter.on_turn_error = make_on_turn_error(state, dialog_state)
    use_token_service(
        adapter,
        settings.bot,
        authenticate=authenticate,
        credentials=overrides.credentials_factory,
        default_app_id=settings.bot.app_id or settings.identity.client_id,
    )
    use_teams_sso(adapter, storage, settings.bot.oauth_connection_name)
    make_dialog = overrides.root_dialog or default_root_dialog
    app[STATE] = state
    app[ADAPTER] = adapter
    app[PROACTIVE_SENDER] = AdapterProactiveSender(
        adapter, outbound, bot_app_id=settings.bot.app_id if authenticate else ""
    )
    app[LEAD_ALERTS] = alerts = _lead_alerts(app, services, overrides)
    make_card_actions = overrides.card_actions or partial(
        default_card_actions,
        leads=alerts.parts,
        confirm_cards=app[CONFIRM_CARDS],
        updater=app[PROACTIVE_SENDER],
    )
    app[BOT] = ReferralBot(
        state=state,
        dialog_state=dialog_state,
        dialog=make_dialog(services, memory),
        card_actions=AnswerInTime(
            make_card_actions(services),
            app[BACKGROUND],
            answer_within=overrides.answer_within,
            sleep=overrides.answer_sleep,
        ),
        policy=TenantPolicy.from_settings(settings),
        # Teams redelivers after 15 s and repeats invokes; shared when the state store is
        dedupe=ActivityDedupe(seen=app[STATE_PARTS].seen),
        installs=app[INSTALLS],
    )


def _wire_events(
    app: web.Application, session: aiohttp.ClientSession, overrides: Overrides
) -> None:
    """Partner Center's webhook endpoint: verified with the app's session, deduplicated in the
    state backend, handed to the sink in the background (bot.inbound.partner_center_events)."""
    settings = app[SETTINGS]
    app[EVENT_SINK] = overrides.event_sink or default_event_sink(app)
    certificates = SigningCertificates(session, settings.events, clock=overrides.monotonic)
    app[EVENTS] = PartnerCenterEvents(
        settings=settings.events,
        inbound=settings.inbound,
        signatures=EventSignatures(certificates),
        seen=app[STATE_PARTS].seen,
        sink=app[EVENT_SINK],
        background=app[BACKGROUND],
    )


def _validator(settings: Settings, session: aiohttp.ClientSession) -> ChannelTokenValidator:
    """Inbound channel tokens are validated by bot.inbound.channel_token, not by botbuilder."""
    keys = ChannelKeys(session, settings.bot.openid_metadata_url)
    return ChannelTokenValidator(keys, settings.bot.app_id, settings.bot.token_issuer)


async def _durable_state(app: web.Application) -> AsyncIterator[None]:
    """REFERRAL_BOT_STATE__BACKEND (memory, sqlite, blob): opened here, closed after the bot.
    Partner Center events stay seen for REFERRAL_BOT_EVENTS__DEDUPE_HOURS (Teams ids: minutes)."""
    settings = app[SETTINGS]
    event_ttl = {EVENT_KEY_PREFIX: settings.events.dedupe_hours * 3600}
    async with open_state(settings.state, settings.index, seen_prefix_ttls=event_ttl) as parts:
        app[STATE_PARTS] = parts
        yield


@asynccontextmanager
async def _scheduled(app: web.Application, overrides: Overrides) -> AsyncIterator[None]:
    """Issue 17: reminders, digests, stranded lead cards and the expiry of group confirm cards,
    on one instance at a time (bot.alerts.wiring), unless REFERRAL_BOT_SCHEDULE__ENABLED=false;
    cards go through the app's proactive sender."""
    settings = app[SETTINGS].schedule
    if not settings.enabled:
        yield
        return
    services = app[SERVICES]
    sender = overrides.proactive_sender or app[PROACTIVE_SENDER]
    recipients, channels = _proactive_stores(app, overrides)
    app[SCHEDULER] = scheduler = build_scheduler(
        settings,
        leases=app[STATE_PARTS].leases,
        recipients=recipients,
        channels=channels,
        notifications=_outbox(app, overrides),
        sender=sender,
        indexes=app[INDEX_CACHE],
        clock=(overrides.clock or SystemClock()).now,
    )
    expiry = ConfirmExpiry(app[CONFIRM_CARDS], services.pending, sender, ttl=services.pending_ttl)
    scheduler.register(expiry)
    alerts = app[SETTINGS].alerts
    scheduler.register(
        stranded_cards(alerts, notifications=_outbox(app, overrides), alerts=app[LEAD_ALERTS])
    )
    async with scheduler.running():
        yield


async def _runtime(overrides: Overrides, app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    parts = app[STATE_PARTS]
    storage = overrides.storage or parts.storage
    pending = overrides.pending if overrides.pending is not None else parts.pending
    # state, SSO and token caches share the storage
    overrides = replace(overrides, storage=storage, pending=pending)
    key = _sealing_key(settings)
    app[REFERRAL_INDEXES] = EncryptedByteStore(parts.referral_indexes, key, kind="referral_index")
    async with aiohttp.ClientSession() as session:
        tokens = OboTokenProvider(settings.identity, _token_store(overrides, storage, key))
        app[BACKGROUND] = BackgroundTasks()
        try:
            services = _with_confirm_cards(
                app, _services(app, session, tokens, overrides), overrides
            )
            app[HTTP_SESSION], app[TOKENS], app[SERVICES] = session, tokens, services
            _wire_bot(app, services, overrides)
            _wire_events(app, session, overrides)
            async with _scheduled(app, overrides):
                yield
        finally:
            await app[BACKGROUND].drain(grace_seconds=settings.partner_center.deadline_seconds + 5)
            await tokens.aclose()
            if ADAPTER in app:
                await app[ADAPTER].connector_clients.aclose()
                await app[ADAPTER].bot_framework_authentication.aclose()

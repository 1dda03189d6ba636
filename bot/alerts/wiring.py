"""Building the alerts once per app: `build_lead_alerts` (the event endpoint's `EventSink`, whose
`parts` the lead card's buttons share: `CardActions(services, leads=alerts.parts)`),
`build_scheduler` (reminders and digests; another module adds a job with `scheduler.register(job)`
before the app starts: a `name` and an `async run(now)`, bot.alerts.scheduler) and
`stranded_cards` (the job that sends what a dead instance claimed, bot.alerts.stranded). All send
through one kind of `Delivery` (bot.alerts.delivery): claimed in the outbox, so each card goes
out once.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.alerts.copies import LeadCopies
from bot.alerts.delivery import Attempts, Delivery
from bot.alerts.delivery import Sleep as DeliverySleep
from bot.alerts.digests import Digests
from bot.alerts.leads import LeadAlerts
from bot.alerts.offers import LeadOffers
from bot.alerts.parts import LeadParts
from bot.alerts.readers import Readers
from bot.alerts.reminders import Reminders
from bot.alerts.scheduler import Every, Job, Scheduler, Sleep
from bot.alerts.seller_view import IndexSource
from bot.alerts.stranded import StrandedCards
from bot.background import BackgroundTasks
from bot.domain.leads import LeadRecords
from bot.domain.proactive import (
    ChannelSubscriptions,
    Leases,
    Notifications,
    ProactiveSender,
    Recipients,
)
from bot.settings import AlertSettings, ScheduleSettings, Settings
from dialogs.ports import DialogServices


def build_lead_alerts(
    services: DialogServices,
    settings: Settings,
    *,
    recipients: Recipients,
    channels: ChannelSubscriptions,
    notifications: Notifications,
    sender: ProactiveSender,
    records: LeadRecords,
    background: BackgroundTasks,
    sleep: DeliverySleep = asyncio.sleep,
) -> LeadAlerts:
    alerts = settings.alerts
    delivery = Delivery(
        notifications,
        sender,
        recipients,
        channels,
        services.clock,
        lease=timedelta(seconds=alerts.claim_lease_seconds),
        attempts=Attempts(alerts.send_retries + 1, alerts.retry_backoff_seconds),
        sleep=sleep,
    )
    parts = LeadParts(
        recipients=recipients,
        records=records,
        readers=Readers(
            services.referrals,
            recipients,
            records,
            max_tries=alerts.max_readers,
            named=alerts.readers,
        ),
        offers=LeadOffers(services.pending, records, services.clock, services.portal_url),
        copies=LeadCopies(
            notifications, records, recipients, delivery, services.clock, services.portal_url
        ),
        background=background,
    )
    return LeadAlerts(
        parts,
        channels=channels,
        notifications=notifications,
        delivery=delivery,
        clock=services.clock,
        portal_url=services.portal_url,
        home_tenants=[settings.bot.app_tenant_id, *settings.bot.allowed_tenants],
        enabled=alerts.enabled,
    )


def stranded_cards(
    settings: AlertSettings, *, notifications: Notifications, alerts: LeadAlerts
) -> Job:
    """The job that sends cards whose claimer died (bot.alerts.stranded), for the scheduler."""
    every = timedelta(seconds=settings.stranded_every_seconds)
    return Every(StrandedCards(notifications, alerts), every)


def instance_owner() -> str:
    """Who this process is in leases and claims: unique per start, readable in the store."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def build_scheduler(
    settings: ScheduleSettings,
    *,
    leases: Leases,
    recipients: Recipients,
    channels: ChannelSubscriptions,
    notifications: Notifications,
    sender: ProactiveSender,
    indexes: IndexSource,
    clock: Callable[[], datetime],
    sleep: Sleep = asyncio.sleep,
    owner: str | None = None,
) -> Scheduler:
    """`clock` gives aware UTC instants; `indexes` is the app's ReferralIndexes (one per
    process, shared with the turns: one refresh per seller at a time)."""
    owner = owner or instance_owner()
    scheduler = Scheduler(
        leases,
        owner=owner,
        tick=timedelta(seconds=settings.tick_seconds),
        ttl=timedelta(seconds=settings.lease_ttl_seconds),
        clock=clock,
        sleep=sleep,
    )
    # one try per run: a card not sent now is tried again by the job's next run
    outbox = Delivery(
        notifications,
        sender,
        recipients,
        channels,
        _CalledClock(clock),
        lease=timedelta(seconds=settings.send_lease_seconds),
        attempts=Attempts(tries=1),
        owner=owner,
    )
    offsets = [timedelta(hours=hours) for hours in settings.reminder_offsets_hours]
    at_once = settings.sellers_at_once
    reminders = Reminders(recipients, indexes, outbox, offsets=offsets, at_once=at_once)
    scheduler.register(Every(reminders, timedelta(seconds=settings.reminder_every_seconds)))
    look_ahead = timedelta(hours=settings.digest_look_ahead_hours)
    scheduler.register(Digests(recipients, indexes, outbox, look_ahead=look_ahead, at_once=at_once))
    return scheduler


@dataclass(frozen=True)
class _CalledClock:
    """The scheduler's clock (a callable) as the `Clock` a Delivery reads."""

    now: Callable[[], datetime]

"""`build_scheduler`: the scheduler with its jobs (reminders, digests), from the settings and the
ports the composition root holds. Another module adds a job with `scheduler.register(job)`
before the app starts (bot.alerts.scheduler: a `name` and an `async run(now)`).
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.alerts.delivery import Outbox
from bot.alerts.digests import Digests
from bot.alerts.reminders import Reminders
from bot.alerts.scheduler import Every, Scheduler, Sleep
from bot.alerts.seller_view import IndexSource
from bot.domain.proactive import Leases, Notifications, ProactiveSender, Recipients
from bot.settings import ScheduleSettings


def instance_owner() -> str:
    """Who this process is in leases and claims: unique per start, readable in the store."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def build_scheduler(
    settings: ScheduleSettings,
    *,
    leases: Leases,
    recipients: Recipients,
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
    outbox = Outbox(
        notifications, sender, recipients, owner, timedelta(seconds=settings.send_lease_seconds)
    )
    offsets = [timedelta(hours=hours) for hours in settings.reminder_offsets_hours]
    at_once = settings.sellers_at_once
    reminders = Reminders(recipients, indexes, outbox, offsets=offsets, at_once=at_once)
    scheduler.register(Every(reminders, timedelta(seconds=settings.reminder_every_seconds)))
    look_ahead = timedelta(hours=settings.digest_look_ahead_hours)
    scheduler.register(Digests(recipients, indexes, outbox, look_ahead=look_ahead, at_once=at_once))
    return scheduler

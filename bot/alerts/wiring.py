"""`build_lead_alerts`: the lead alerts and what the lead card's buttons share, built once per app.

The composition root (bot.app) calls it with the state backend's proactive stores, the sender and
the lead records (`bot.state.lead_records.StorageLeadRecords` over the bot's storage), uses the
result as the event endpoint's `EventSink`, and hands `alerts.parts` to the card actions
(`CardActions(services, leads=alerts.parts)`).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.alerts.copies import LeadCopies
from bot.alerts.delivery import Attempts, Delivery, Sleep
from bot.alerts.leads import LeadAlerts
from bot.alerts.offers import LeadOffers
from bot.alerts.parts import LeadParts
from bot.alerts.readers import Readers
from bot.background import BackgroundTasks
from bot.domain.leads import LeadRecords
from bot.domain.proactive import (
    ChannelSubscriptions,
    Notifications,
    ProactiveSender,
    Recipients,
)
from bot.settings import Settings
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
    sleep: Sleep = asyncio.sleep,
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
        readers=Readers(services.referrals, recipients, records, max_tries=alerts.max_readers),
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

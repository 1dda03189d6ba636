"""The cards an instance claimed and never sent because it died: sent after all, by another.

A claim in the outbox holds a card for its lease (REFERRAL_BOT_ALERTS__CLAIM_LEASE_SECONDS). An
instance killed between the claim and the send leaves it CLAIMED, and nothing would ask for that
card again: Partner Center delivered the event once (answered 200, then deduplicated). This job
(a bot.alerts.scheduler.Job, on one instance at a time) lists the claims whose lease ran out and
settles each with a take-over, so another instance's claim makes it sent exactly once:
- a lead's card is built again from what its reader's access shows now (`LeadAlerts.resend`):
  sent, or dropped when the lead was decided or expired meanwhile;
- anything else (a reminder, a digest) is dropped: its own job sends it again while it is due.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from bot.alerts.audience import lead_card_of
from bot.alerts.leads import LeadAlerts
from bot.domain.proactive import Notifications
from bot.logging import id_ref

logger = logging.getLogger(__name__)

PER_RUN = 100  # a run's work is bounded; the rest is the next run's


class StrandedCards:
    """The stranded-cards job."""

    name = "stranded_cards"

    def __init__(
        self, notifications: Notifications, alerts: LeadAlerts, *, per_run: int = PER_RUN
    ) -> None:
        self._notifications = notifications
        self._alerts = alerts
        self._per_run = per_run

    async def run(self, now: datetime) -> None:
        stranded = await self._notifications.stranded(now=now, limit=self._per_run)
        tally: Counter[str] = Counter()
        for entry in stranded:
            if lead_card_of(entry) is not None:
                outcome = str(await self._alerts.resend(entry))
            else:
                outcome = "dropped" if await self._alerts.delivery.drop(entry) else "busy"
            logger.info("alerts.stranded.settled key_ref=%s outcome=%s", id_ref(entry.key), outcome)
            tally[outcome] += 1
        if stranded:
            counts = " ".join(f"{name}={count}" for name, count in sorted(tally.items()))
            logger.info("alerts.stranded.run found=%d %s", len(stranded), counts)

"""After a lead is decided, every posted copy of its card turns into the decided card.

The copies are the outbox entries of the lead's group that were sent (each team member's card,
each channel's). Each gets the decided card in its reader's time zone (a channel's in UTC),
without the lead's details: an update is one card for everyone in that conversation, and each
viewer's own details come back through the card's refresh (`leadRefresh`, their own access).

Which decision a card shows: the one recorded through a card wins ("Accepted by Megan Bowen");
else what the referral shows ("Accepted in Partner Center"). Both paths (a click, and Partner
Center's referral-updated event) settle a lead under one lock per lead in this process, one
after the other, so the last update written is never the event's guess over the click's record.
"""

from __future__ import annotations

import logging
from datetime import UTC

from bot.alerts.audience import lead_group, teams_user_id
from bot.alerts.delivery import Delivery
from bot.cards.lead_alert import LeadView, refresh_user_ids, render_lead_decided_card
from bot.domain.leads import LeadDecision, LeadRecords
from bot.domain.proactive import Notification, Notifications, Recipients
from bot.domain.time_zones import zone_or_utc
from bot.keyed_locks import KeyedLocks
from bot.logging import id_ref
from dialogs.ports import Clock

logger = logging.getLogger(__name__)


class LeadCopies:
    def __init__(
        self,
        notifications: Notifications,
        records: LeadRecords,
        recipients: Recipients,
        delivery: Delivery,
        clock: Clock,
        portal_url: str,
    ) -> None:
        self._notifications = notifications
        self._records = records
        self._recipients = recipients
        self._delivery = delivery
        self._clock = clock
        self._portal_url = portal_url
        self._locks: KeyedLocks[str] = KeyedLocks()

    async def record(self, decision: LeadDecision) -> None:
        """A decision made through a card, once Partner Center applied it."""
        await self._records.decide(decision)

    async def settle(self, referral_id: str, seen: LeadDecision | None = None) -> int:
        """Show the lead's decision on every copy: the recorded one, else `seen` (read from the
        referral). How many copies were updated."""
        async with self._locks.hold(referral_id):
            decision = await self._records.decision(referral_id) or seen
            if decision is None:
                return 0
            copies = await self._notifications.copies(lead_group(referral_id))
            everyone = refresh_user_ids(
                [teams_user_id(copy.reference) for copy in copies if copy.user_id]
            )
            updated = 0
            for copy in copies:
                view = await self._view(referral_id, copy, everyone)
                if view is None:
                    continue
                card = render_lead_decided_card(decision, view)
                updated += await self._delivery.update(copy, card)
        logger.info(
            "alerts.copies.settled referral_ref=%s outcome=%s copies=%d updated=%d",
            id_ref(referral_id),
            decision.outcome,
            len(copies),
            updated,
        )
        return updated

    async def _view(
        self, referral_id: str, copy: Notification, everyone: tuple[str, ...]
    ) -> LeadView | None:
        now = self._clock.now()
        if not copy.user_id:  # a channel: its members have no one time zone
            return LeadView(referral_id, now, UTC, self._portal_url, everyone, zone_label="UTC")
        recipient = await self._recipients.get(copy.user_id)
        if recipient is None:  # forgotten (removed the app): nothing to update there
            return None
        zone = zone_or_utc(recipient.time_zone)
        own = refresh_user_ids([teams_user_id(copy.reference)])
        return LeadView(referral_id, now.astimezone(zone), zone, self._portal_url, own)

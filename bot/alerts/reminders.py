"""Reminders for incoming leads still New: "expires in 3 days", then "in 1 day", once each.

For each seller with alerts on, their leads (New, Incoming, on their team) in their own index
whose `expirationDateTime` is within a reminder offset (REFERRAL_BOT_SCHEDULE__REMINDER_OFFSETS_
HOURS, 72 and 24 by default) get one card per (lead, offset, seller), exactly once through the
outbox key "reminder:<lead id>:<offset>h:user:<AAD id>". Only the latest due offset is sent:
after downtime a 3-day reminder whose moment passed while the 1-day one is due is skipped, and
a lead that expired meanwhile gets none. A lead that arrived inside an offset (created after
its moment) gets no reminder for it: the new-lead card has just said the same.

The reminder joins the lead's card group ("lead:<id>"), so a decision updates it with the
lead card's other copies.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo

from bot.alerts.audience import lead_group
from bot.alerts.delivery import Delivered, Delivery
from bot.alerts.local_time import aware
from bot.alerts.seller_view import (
    IndexSource,
    RunTally,
    Unread,
    for_each_seller,
    read_index,
    theirs,
)
from bot.cards.lead_reminder import render_lead_reminder_card
from bot.domain.list_kinds import ListKind
from bot.domain.proactive import Recipient, Recipients
from bot.domain.time_zones import zone_or_utc
from bot.referrals.index_entry import IndexEntry


def due_offset(
    expires: datetime, offsets: Sequence[timedelta], now: datetime, created: datetime | None
) -> timedelta | None:
    """The latest reminder due at `now` (the smallest offset whose moment has passed), or None
    when none is due, the lead has expired, or it was created after that moment."""
    if now >= expires:
        return None
    passed = [offset for offset in offsets if expires - offset <= now]
    if not passed:
        return None
    latest = min(passed)
    if created is not None and created > expires - latest:
        return None
    return latest


def reminder_key(lead_id: str, offset: timedelta, user_id: str) -> str:
    return f"reminder:{lead_id}:{offset_label(offset)}:user:{user_id}"


def offset_label(offset: timedelta) -> str:
    """ "72h": whole hours, the unit of the setting (the key must not change with formatting)."""
    return f"{int(offset.total_seconds() // 3600)}h"


class Reminders:
    """The reminders job (bot.alerts.scheduler.Job)."""

    name = "reminders"

    def __init__(
        self,
        recipients: Recipients,
        indexes: IndexSource,
        outbox: Delivery,
        *,
        offsets: Sequence[timedelta],
        at_once: int = 8,
    ) -> None:
        if not offsets or any(offset <= timedelta(0) for offset in offsets):
            raise ValueError("reminder offsets must be positive")
        self._recipients = recipients
        self._indexes = indexes
        self._outbox = outbox
        self._offsets = tuple(sorted(set(offsets), reverse=True))
        self._at_once = at_once

    async def run(self, now: datetime) -> None:
        await for_each_seller(
            self.name,
            self._recipients,
            lambda recipient: recipient.alerts_on,
            lambda recipient, tally: self._remind(recipient, now, tally),
            at_once=self._at_once,
        )

    async def _remind(self, recipient: Recipient, now: datetime, tally: RunTally) -> None:
        index = await read_index(self._indexes, recipient)
        if isinstance(index, Unread):
            tally.add(f"skipped_{index}")
            return
        zone = zone_or_utc(recipient.time_zone)
        leads = index.list(ListKind.NEW_LEADS, now.astimezone(zone), limit=max(1, len(index)))
        for lead in theirs(leads, recipient):
            delivered = await self._remind_of(recipient, lead, now, zone)
            if delivered is not None:
                tally.add(str(delivered))
            if delivered is Delivered.GONE:
                return

    async def _remind_of(
        self, recipient: Recipient, lead: IndexEntry, now: datetime, zone: tzinfo
    ) -> Delivered | None:
        expires = aware(lead.expiration_date_time)
        if expires is None:
            return None
        offset = due_offset(expires, self._offsets, now, aware(lead.created_date_time))
        if offset is None:
            return None
        card = render_lead_reminder_card(
            lead.to_referral(), expires_at=expires.astimezone(zone), now=now.astimezone(zone)
        )
        return await self._outbox.to_recipient(
            recipient,
            key=reminder_key(lead.id, offset, recipient.user_id),
            group=lead_group(lead.id),
            card=card,
            now=now,
        )

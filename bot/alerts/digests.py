"""The opt-in digest: at the seller's local time on their chosen weekdays, what needs them.

Each run, a seller whose digest day is due (bot.alerts.local_time: the latest scheduled day whose
local time has passed, later than `DigestSchedule.last_sent_on`) gets one card, exactly once per
local day through the outbox key "digest:<AAD id>:<local date>". When it is sent (or another
instance sent it), or there is nothing to say, the day is recorded in `last_sent_on`, so later
runs that day cost nothing. After downtime only the latest missed day is due: one digest, late,
never one per missed day. A seller whose index cannot be read completely now (no cached token,
a first sync loading, a failed refresh) stays due and is tried on the next run.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from bot.alerts.delivery import Delivered, Delivery
from bot.alerts.digest_content import digest_content, digest_sections
from bot.alerts.local_time import is_due
from bot.alerts.seller_view import (
    IndexSource,
    RunTally,
    Unread,
    for_each_seller,
    read_index,
    theirs,
)
from bot.cards.digest import render_digest_card
from bot.domain.proactive import DigestSchedule, Recipient, Recipients
from bot.domain.time_zones import zone_or_utc


def digest_key(user_id: str, day: date) -> str:
    return f"digest:{user_id}:{day.isoformat()}"


class Digests:
    """The digest job (bot.alerts.scheduler.Job)."""

    name = "digests"

    def __init__(
        self,
        recipients: Recipients,
        indexes: IndexSource,
        outbox: Delivery,
        *,
        look_ahead: timedelta,
        at_once: int = 8,
    ) -> None:
        self._recipients = recipients
        self._indexes = indexes
        self._outbox = outbox
        self._look_ahead = look_ahead
        self._at_once = at_once

    async def run(self, now: datetime) -> None:
        await for_each_seller(
            self.name,
            self._recipients,
            lambda recipient: recipient.digest is not None,
            lambda recipient, tally: self._digest(recipient, now, tally),
            at_once=self._at_once,
        )

    async def _digest(self, recipient: Recipient, now: datetime, tally: RunTally) -> None:
        schedule = recipient.digest
        if schedule is None:
            return
        zone = zone_or_utc(recipient.time_zone)
        day = is_due(schedule, now, zone)
        if day is None:
            return
        index = await read_index(self._indexes, recipient)
        if isinstance(index, Unread):
            tally.add(f"skipped_{index}")
            return
        local_now = now.astimezone(zone)
        content = digest_content(
            theirs(index.entries(), recipient), now=local_now, look_ahead=self._look_ahead
        )
        if content.empty:
            tally.add("nothing_to_say")
            await self._handled(recipient.user_id, schedule, day)
            return
        card = render_digest_card(digest_sections(content, now=local_now), day=local_now.date())
        delivered = await self._outbox.to_recipient(
            recipient,
            key=digest_key(recipient.user_id, day),
            group=f"digest:{recipient.user_id}",
            card=card,
            now=now,
        )
        tally.add(str(delivered))
        if delivered in (Delivered.SENT, Delivered.DONE):
            await self._handled(recipient.user_id, schedule, day)

    async def _handled(self, user_id: str, schedule: DigestSchedule, day: date) -> None:
        """Records `day` on the recipient as read now, unless the seller changed or stopped
        their digest meanwhile (their change wins; the outbox still keeps the day's send once)."""
        current = await self._recipients.get(user_id)
        if current is None or current.digest is None or not same_times(current.digest, schedule):
            return
        last = current.digest.last_sent_on
        if last is not None and last >= day:
            return
        recorded = replace(current.digest, last_sent_on=day)
        await self._recipients.put(replace(current, digest=recorded))


def same_times(one: DigestSchedule, other: DigestSchedule) -> bool:
    return (one.weekdays, one.hour, one.minute) == (other.weekdays, other.hour, other.minute)

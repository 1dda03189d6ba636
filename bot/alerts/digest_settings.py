"""The dialogs' `DigestSettings` port over the Recipients store: where "send me a digest every
weekday at 9" and "stop the digest" are kept.

A schedule starts after the moment it is set (`local_time.starting`): opting in at 10:00 for
"every day at 9" means tomorrow at 9, never a digest at once. The turn's time zone, when Teams
sent a known one, is stored with it, so the digest comes at the local time the seller meant.
Only a seller with a Recipient record (a personal chat with the bot, in their own tenant) can
have a digest: the card needs that chat.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.alerts.local_time import next_due, starting
from bot.domain.proactive import DigestSchedule, Recipients
from bot.domain.time_zones import known_zone, zone_or_utc
from dialogs.ports import DigestChange


class RecipientDigests:
    """Implements dialogs.ports.DigestSettings."""

    def __init__(self, recipients: Recipients) -> None:
        self._recipients = recipients

    async def set_digest(
        self,
        *,
        tenant_id: str,
        user_id: str,
        schedule: DigestSchedule | None,
        time_zone: str | None,
        now: datetime,
    ) -> DigestChange:
        current = await self._recipients.get(user_id)
        if current is None or (current.tenant_id and current.tenant_id != tenant_id):
            return DigestChange(known=False)
        if schedule is None:
            if current.digest is not None:
                await self._recipients.put(replace(current, digest=None))
            return DigestChange(known=True, before=current.digest)
        zone_name = time_zone if time_zone and known_zone(time_zone) else current.time_zone
        zone = zone_or_utc(zone_name)
        kept = starting(schedule, now, zone)
        await self._recipients.put(replace(current, digest=kept, time_zone=zone_name))
        return DigestChange(known=True, before=current.digest, next_at=next_due(kept, now, zone))

"""Confirm cards posted in group conversations, updated for everyone when the change ends.

Issue 17 §4: in a channel or group chat everyone sees the confirm card, but a click's answer
replaces it only for the clicker. So the posted message is recorded in the outbox
(`bot.domain.proactive.Notifications`): one SENT entry per card, key "confirm:<pending id>",
with the conversation reference and the message's id. When the change ends (saved, cancelled,
refused, replaced after a 412, expired) the message is updated once for everyone. "Once" is a
claim on "confirm-final:<pending id>": whoever wins it (the proposer's click, or the expiry job
on any instance) updates the message and marks it SENT; every later try finds it taken. That
entry also tells the expiry job (`bot.alerts.confirm_expiry`) the card has ended after the
pending change itself was swept from its store (they are, soon after they expire).

The outbox reads by group only (a backend may store groups hashed), so the group is what the
expiry job lists: both entries are grouped by when the change expires, in `BUCKET` steps
("confirm:2026-03-14T10:15" and "confirm-final:2026-03-14T10:15"). A click finds its card in the
group of its change's expiry. One-to-one chats record nothing: their card is the proposer's
alone.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from bot.domain.proactive import (
    ClaimResult,
    Notification,
    Notifications,
    NotificationState,
    RecipientGoneError,
    Reference,
)
from dialogs.ports import Clock

logger = logging.getLogger(__name__)

POSTED = "confirm:"
FINAL = "confirm-final:"
BUCKET = timedelta(minutes=15)  # the expiry job lists one group per step it looks back over
# An update is a PUT to Teams, paced per conversation: a claim outliving this is taken over.
UPDATE_LEASE = timedelta(minutes=2)


def posted_key(pending_id: str) -> str:
    return f"{POSTED}{pending_id}"


def final_key(pending_id: str) -> str:
    return f"{FINAL}{pending_id}"


def bucket_of(expires_at: datetime) -> datetime:
    """The start of the `BUCKET` step (UTC) that `expires_at` falls in."""
    moment = expires_at.astimezone(UTC)
    start = moment.replace(minute=0, second=0, microsecond=0)
    return start + BUCKET * ((moment - start) // BUCKET)


def posted_group(bucket: datetime) -> str:
    return f"{POSTED}{bucket:%Y-%m-%dT%H:%M}"


def final_group(bucket: datetime) -> str:
    return f"{FINAL}{bucket:%Y-%m-%dT%H:%M}"


class CardUpdater(Protocol):
    """What updating a posted card takes: `bot.domain.proactive.ProactiveSender.update`."""

    async def update(
        self, reference: Reference, activity_id: str, card: Mapping[str, Any]
    ) -> None: ...


class ConfirmCards:
    """The dialogs' `PostedConfirmCards`, and the one way a posted confirm card is ended."""

    def __init__(
        self, notifications: Notifications, clock: Clock, *, lease: timedelta = UPDATE_LEASE
    ) -> None:
        self._outbox = notifications
        self._clock = clock
        self._lease = lease

    async def posted(
        self, pending_id: str, expires_at: datetime, reference: Reference, activity_id: str
    ) -> None:
        """One entry (a claim, then SENT): the message `activity_id` shows this change."""
        key, owner, now = posted_key(pending_id), _owner(), self._clock.now()
        entry = Notification(
            key=key,
            group=posted_group(bucket_of(expires_at)),
            reference=reference,
            state=NotificationState.CLAIMED,
            activity_id=activity_id,
        )
        claimed = await self._outbox.claim(entry, owner=owner, now=now, lease=self._lease)
        if claimed in (ClaimResult.WON, ClaimResult.TAKEN_OVER):
            await self._outbox.sent(key, owner=owner, activity_id=activity_id, now=now)

    async def posted_in(self, bucket: datetime) -> tuple[list[Notification], set[str]]:
        """The cards of changes expiring in `bucket`, and the ids of those already ended."""
        posted = await self._outbox.copies(posted_group(bucket))
        ended = await self._outbox.copies(final_group(bucket))
        return posted, {entry.key.removeprefix(FINAL) for entry in ended}

    async def copies(self, pending_id: str, expires_at: datetime) -> list[Notification]:
        """The message(s) showing this change (none if it was not posted in a group)."""
        key = posted_key(pending_id)
        listed = await self._outbox.copies(posted_group(bucket_of(expires_at)))
        return [entry for entry in listed if entry.key == key]

    async def settle(
        self,
        pending_id: str,
        expires_at: datetime,
        card: Mapping[str, Any] | None,
        *,
        updater: CardUpdater,
        fresh: tuple[str, datetime] | None = None,
    ) -> bool:
        """End the posted card of `pending_id` once: update its message to `card` (None: leave
        it as it is), and with `fresh` (id, expiry) record the message as showing that change
        now (a 412's new proposal). False: not posted, or ended already or elsewhere."""
        copies = await self.copies(pending_id, expires_at)
        if not copies:
            return False
        key, owner = final_key(pending_id), _owner()
        marker = Notification(
            key=key,
            group=final_group(bucket_of(expires_at)),
            reference=copies[0].reference,
            state=NotificationState.CLAIMED,
        )
        claimed = await self._outbox.claim(
            marker, owner=owner, now=self._clock.now(), lease=self._lease
        )
        if claimed not in (ClaimResult.WON, ClaimResult.TAKEN_OVER):
            return False
        try:
            for copy in copies:
                if card is not None and copy.activity_id:
                    await _update(updater, copy, card, pending_id)
                if fresh is not None and copy.activity_id:
                    await self.posted(*fresh, copy.reference, copy.activity_id)
        except BaseException:
            await self._outbox.release(key, owner=owner)  # the next try updates it
            raise
        await self._outbox.sent(key, owner=owner, activity_id=None, now=self._clock.now())
        logger.info("alerts.confirm_card.ended pending=%s copies=%d", pending_id[:8], len(copies))
        return True


async def _update(
    updater: CardUpdater, copy: Notification, card: Mapping[str, Any], pending_id: str
) -> None:
    """A message deleted, or a bot removed from the conversation, has nothing left to update."""
    assert copy.activity_id is not None
    try:
        await updater.update(copy.reference, copy.activity_id, card)
    except RecipientGoneError:
        logger.info("alerts.confirm_card.gone pending=%s", pending_id[:8])


def _owner() -> str:
    """A claim's holder: fresh per claim, so a taken-over holder can never end the new one."""
    return secrets.token_hex(8)

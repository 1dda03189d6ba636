"""Confirm cards posted in group conversations, updated for everyone when the change ends.

Issue 17 §4: in a channel or group chat everyone sees the confirm card, but a click's answer
replaces it only for the clicker. So the posted message is recorded in the outbox
(`bot.domain.proactive.Notifications`): one SENT entry per card, key and group
"confirm:<pending id>", with the conversation reference and the message's id. When the change
ends (saved, cancelled, refused, replaced after a 412, expired) the message is updated once for
everyone. "Once" is a claim on "confirm-final:<pending id>": whoever wins it (the proposer's
click, or the expiry job on any instance) updates the message and marks it SENT; every later
try finds it taken. The entry also tells the expiry job (`bot.alerts.confirm_expiry`) that the
card has ended even after the pending change itself was swept from its store.
One-to-one chats record nothing: their card is the proposer's alone.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from datetime import timedelta
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
# An update is a PUT to Teams, paced per conversation: a claim outliving this is taken over.
UPDATE_LEASE = timedelta(minutes=2)


def posted_key(pending_id: str) -> str:
    return f"{POSTED}{pending_id}"


def final_key(pending_id: str) -> str:
    return f"{FINAL}{pending_id}"


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

    async def posted(self, pending_id: str, reference: Reference, activity_id: str) -> None:
        """One entry (a claim, then SENT): the message `activity_id` shows this change."""
        key, owner, now = posted_key(pending_id), _owner(), self._clock.now()
        entry = Notification(
            key=key,
            group=key,
            reference=reference,
            state=NotificationState.CLAIMED,
            activity_id=activity_id,
        )
        claimed = await self._outbox.claim(entry, owner=owner, now=now, lease=self._lease)
        if claimed in (ClaimResult.WON, ClaimResult.TAKEN_OVER):
            await self._outbox.sent(key, owner=owner, activity_id=activity_id, now=now)

    async def copies(self, pending_id: str) -> list[Notification]:
        return await self._outbox.copies(posted_key(pending_id))

    async def settle(
        self,
        pending_id: str,
        card: Mapping[str, Any] | None,
        *,
        updater: CardUpdater,
        fresh_id: str | None = None,
    ) -> bool:
        """End the posted card of `pending_id` once: update its message(s) to `card` (None:
        leave them as they are), and with `fresh_id` record the same messages as showing that
        change now (a 412's new proposal). False: not posted, or ended already or elsewhere."""
        copies = await self.copies(pending_id)
        if not copies:
            return False
        key, owner = final_key(pending_id), _owner()
        marker = Notification(
            key=key, group=key, reference=copies[0].reference, state=NotificationState.CLAIMED
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
                if fresh_id is not None and copy.activity_id:
                    await self.posted(fresh_id, copy.reference, copy.activity_id)
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

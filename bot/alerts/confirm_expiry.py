"""The scheduler job that ends group confirm cards nobody confirmed in time.

A confirm card posted in a channel or group chat (`bot.alerts.confirm_cards`) says "waiting for
Megan to confirm" to everyone until its change ends. A click ends it then and there; an expiry
has no click, so this job does: every run it lists the posted confirm cards of the last
`catch_up` (plus the time to live) that no end was recorded for, and for each whose change is
past its `expires_at` updates the message to "Expired — nobody confirmed within N minutes".
The end is a claim on "confirm-final:<pending id>" (`ConfirmCards.settle`), so a card is updated
once however often the job runs and on however many instances. A change a click is applying
right now (CLAIMED) is left to that click. The pending change may already have been swept from
its store (they are, soon after expiry): no recorded end and no change means nobody ended it,
so it expired.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.alerts.confirm_cards import FINAL, POSTED, CardUpdater, ConfirmCards
from bot.cards import confirm_outcome
from bot.domain.pending import PendingChange, PendingChanges, PendingState
from bot.domain.proactive import Notification

logger = logging.getLogger(__name__)

DEFAULT_CATCH_UP = timedelta(hours=24)  # after downtime, older cards are left as they are


class SentEntries(Protocol):
    """The outbox's listing this job needs (not in `Notifications`, which reads by group)."""

    async def sent_since(self, group_prefix: str, since: datetime) -> list[Notification]:
        """SENT entries whose group starts with `group_prefix`, sent at or after `since`."""
        ...


class ConfirmExpiry:
    """A scheduler `Job` (`name`, `async run(now)`)."""

    name = "confirm-expiry"

    def __init__(
        self,
        cards: ConfirmCards,
        entries: SentEntries,
        pending: PendingChanges,
        updater: CardUpdater,
        *,
        ttl: timedelta,
        catch_up: timedelta = DEFAULT_CATCH_UP,
    ) -> None:
        self._cards = cards
        self._entries = entries
        self._pending = pending
        self._updater = updater
        self._ttl = ttl
        self._catch_up = catch_up

    async def run(self, now: datetime) -> None:
        listed = await self._entries.sent_since("confirm", now - self._ttl - self._catch_up)
        ended = {entry.key.removeprefix(FINAL) for entry in listed if entry.key.startswith(FINAL)}
        due = [
            entry.key.removeprefix(POSTED)
            for entry in listed
            if entry.key.startswith(POSTED)
            and entry.key.removeprefix(POSTED) not in ended
            and entry.sent_at is not None
            and entry.sent_at + self._ttl <= now  # created before sent: expired by now
        ]
        expired = 0
        for pending_id in dict.fromkeys(due):
            expired += await self._end(pending_id, now)
        if due:
            logger.info("alerts.confirm_expiry.run due=%d ended=%d", len(due), expired)

    async def _end(self, pending_id: str, now: datetime) -> bool:
        pending = await self._pending.get(pending_id)
        if pending is not None and pending.state is PendingState.CLAIMED:
            return False  # a click is applying it: its answer ends the card
        if (
            pending is not None
            and pending.state is PendingState.PENDING
            and now < pending.expires_at
        ):
            return False
        try:
            return await self._cards.settle(pending_id, self._card(pending), updater=self._updater)
        except Exception:  # the next run tries again (the claim was released)
            logger.exception("alerts.confirm_expiry.failed pending=%s", pending_id[:8])
            return False

    def _card(self, pending: PendingChange | None) -> Mapping[str, Any] | None:
        """What the card ends as. A click that ended the change but died before recording it
        left the card to this job: its outcome, without details. None: a 412's new proposal
        may already show in the message; leave it be."""
        if pending is None or pending.state is PendingState.PENDING:
            return confirm_outcome.expired(self._ttl)
        if pending.state is PendingState.APPLIED:
            return confirm_outcome.saved_unread(pending.proposer_name)
        if pending.state is PendingState.CANCELLED:
            return confirm_outcome.cancelled_by(pending.proposer_name)
        return None

"""The scheduler job that ends group confirm cards nobody confirmed in time.

A confirm card posted in a channel or group chat (`bot.alerts.confirm_cards`) says "waiting for
Megan to confirm" to everyone until its change ends. A click ends it then and there; an expiry
has no click, so this job does: every run it lists the cards of changes that expired in the last
`catch_up` (one outbox group per 15-minute step of expiry) without a recorded end, and updates
each whose change is past its `expires_at` to "Expired — nobody confirmed within N minutes".
The end is a claim on "confirm-final:<pending id>" (`ConfirmCards.settle`), so a card is updated
once however often the job runs and on however many instances. A change a click is applying
right now (CLAIMED) is left to that click. The pending change may already have been swept from
its store: no recorded end and no change means nobody ended it, so it expired. Cards whose
change expired longer than `catch_up` ago (a long downtime) are left as they are; a viewer's
refresh of them still says "expired" (`bot.card_actions.views`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.alerts.confirm_cards import BUCKET, POSTED, CardUpdater, ConfirmCards, bucket_of
from bot.cards import confirm_outcome
from bot.domain.pending import PendingChange, PendingChanges, PendingState

logger = logging.getLogger(__name__)

DEFAULT_CATCH_UP = timedelta(hours=2)


class ConfirmExpiry:
    """A scheduler `Job` (`name`, `async run(now)`)."""

    name = "confirm-expiry"

    def __init__(
        self,
        cards: ConfirmCards,
        pending: PendingChanges,
        updater: CardUpdater,
        *,
        ttl: timedelta,
        catch_up: timedelta = DEFAULT_CATCH_UP,
    ) -> None:
        self._cards = cards
        self._pending = pending
        self._updater = updater
        self._ttl = ttl
        self._catch_up = catch_up

    async def run(self, now: datetime) -> None:
        listed = ended = 0
        bucket, last = bucket_of(now - self._catch_up), bucket_of(now)
        while bucket <= last:
            posted, done = await self._cards.posted_in(bucket)
            for entry in posted:
                pending_id = entry.key.removeprefix(POSTED)
                if pending_id in done or entry.sent_at is None:
                    continue
                if entry.sent_at + self._ttl <= now:  # created before posted: expired by now
                    listed += 1
                    ended += await self._end(pending_id, bucket, now)
            bucket += BUCKET
        if listed:
            logger.info("alerts.confirm_expiry.run due=%d ended=%d", listed, ended)

    async def _end(self, pending_id: str, bucket: datetime, now: datetime) -> bool:
        pending = await self._pending.get(pending_id)
        if pending is not None and pending.state is PendingState.CLAIMED:
            return False  # a click is applying it: its answer ends the card
        if (
            pending is not None
            and pending.state is PendingState.PENDING
            and now < pending.expires_at
        ):
            return False
        try:  # `bucket` stands for the expiry (swept changes have none): the card's group
            return await self._cards.settle(
                pending_id, bucket, self._card(pending), updater=self._updater
            )
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

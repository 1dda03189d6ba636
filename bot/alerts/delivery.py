"""One proactive card through the outbox: claimed before it is sent, so it is sent once.

The claim (compare-and-set in the state backend) makes the send exactly-once across instances
and restarts: a key already sent answers DONE, a live claim of another instance BUSY. A send
that fails for a passing reason releases the claim (a later run tries again); a recipient who
removed the app (403/404) is marked GONE in the outbox and forgotten, never retried.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.domain.proactive import (
    ClaimResult,
    Notification,
    Notifications,
    NotificationState,
    ProactiveSender,
    Recipient,
    RecipientGoneError,
    Recipients,
)
from bot.logging import id_ref

logger = logging.getLogger(__name__)


class Delivered(StrEnum):
    SENT = "sent"  # posted now, by this instance
    DONE = "done"  # sent before (or the recipient is gone): nothing to do
    BUSY = "busy"  # another instance is sending it right now
    GONE = "gone"  # the recipient removed the app: forgotten
    FAILED = "failed"  # not sent, claim released: a later run tries again


@dataclass(frozen=True)
class Outbox:
    """The ports a delivery needs, and who this instance is (`owner` of its claims)."""

    notifications: Notifications
    sender: ProactiveSender
    recipients: Recipients
    owner: str
    lease: timedelta  # how long a claim is held before another instance may take it over

    async def to_recipient(
        self,
        recipient: Recipient,
        *,
        key: str,
        group: str,
        card: Mapping[str, Any],
        now: datetime,
    ) -> Delivered:
        notification = Notification(
            key=key,
            group=group,
            reference=recipient.reference,
            state=NotificationState.CLAIMED,
            owner=self.owner,
            lease_until=now + self.lease,
            user_id=recipient.user_id,
        )
        return await self.deliver(notification, card, now=now)

    async def deliver(
        self, notification: Notification, card: Mapping[str, Any], *, now: datetime
    ) -> Delivered:
        claimed = await self.notifications.claim(
            notification, owner=self.owner, now=now, lease=self.lease
        )
        if claimed is ClaimResult.DONE:
            return Delivered.DONE
        if claimed is ClaimResult.BUSY:
            return Delivered.BUSY
        key = notification.key
        try:
            activity_id = await self.sender.send(notification.reference, card)
        except RecipientGoneError:
            await self.notifications.gone(key, owner=self.owner)
            if notification.user_id:
                await self.recipients.forget(notification.user_id)
            logger.info("alerts.recipient_gone user_ref=%s", id_ref(notification.user_id))
            return Delivered.GONE
        except Exception as error:
            await self.notifications.release(key, owner=self.owner)
            logger.warning(
                "alerts.send_failed key_ref=%s error=%s", id_ref(key), type(error).__name__
            )
            return Delivered.FAILED
        await self.notifications.sent(key, owner=self.owner, activity_id=activity_id, now=now)
        return Delivered.SENT

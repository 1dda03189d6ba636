"""Send and update proactive cards through the outbox: exactly once, retried, the gone forgotten.

`deliver` claims the notification in the state backend before it sends (a compare-and-set with a
lease), so of several instances handling the same event one sends; an instance that dies after
claiming leaves a lease another takes over. After the send, `sent` with the activity id (so the
card can be updated later). Teams answering 403/404 (`RecipientGoneError`) marks it `gone` and
forgets the recipient (a channel: its subscription): never retried. Any other failure releases
the claim and tries again after a backoff, a few times, then gives up with a log line.
Cards to one conversation are claimed one at a time, each right before its send: a card queued
behind Teams' pacing holds no claim, so a burst cannot outlast the lease and be sent twice.
`update` replaces a posted copy the same way, minus the claim (an update is idempotent).
Log lines name notifications by a hash of their key: keys hold referral and user ids.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.alerts.audience import conversation_id
from bot.domain.proactive import (
    ChannelSubscriptions,
    ClaimResult,
    Notification,
    Notifications,
    NotificationState,
    ProactiveSender,
    Recipient,
    RecipientGoneError,
    Recipients,
)
from bot.keyed_locks import KeyedLocks
from bot.logging import id_ref
from dialogs.ports import Clock

logger = logging.getLogger(__name__)
Sleep = Callable[[float], Awaitable[None]]
Card = Mapping[str, Any]


class Delivered(StrEnum):
    SENT = "sent"
    DONE = "done"  # sent before (or the recipient is gone): nothing to do
    BUSY = "busy"  # another instance holds a live claim and sends it
    GONE = "gone"  # Teams says the app was removed: forgotten
    FAILED = "failed"  # every attempt failed: given up
    DROPPED = "dropped"  # a stranded claim with nothing left to send: released (stranded.py)


@dataclass(frozen=True)
class Attempts:
    """How often a send or update is tried, and the first wait (doubled each time)."""

    tries: int = 4
    backoff_seconds: float = 2.0

    def wait(self, attempt: int) -> float:
        return float(self.backoff_seconds * 2**attempt)


class Delivery:
    def __init__(
        self,
        notifications: Notifications,
        sender: ProactiveSender,
        recipients: Recipients,
        channels: ChannelSubscriptions,
        clock: Clock,
        *,
        lease: timedelta,
        attempts: Attempts,
        sleep: Sleep = asyncio.sleep,
        owner: str | None = None,
    ) -> None:
        self._notifications = notifications
        self._sender = sender
        self._recipients = recipients
        self._channels = channels
        self._clock = clock
        self._lease = lease
        self._attempts = attempts
        self._sleep = sleep
        self.owner = owner or secrets.token_hex(8)  # this instance, as the claims' holder
        self._turns: KeyedLocks[str] = KeyedLocks()  # per conversation: claim, send, settle

    async def to_recipient(
        self, recipient: Recipient, *, key: str, group: str, card: Card, now: datetime
    ) -> Delivered:
        """A scheduled card (reminder, digest) to a seller's personal chat, timed by the job."""
        notification = Notification(
            key=key,
            group=group,
            reference=recipient.reference,
            state=NotificationState.CLAIMED,
            user_id=recipient.user_id,
        )
        return await self.deliver(notification, card, now=now)

    async def deliver(
        self, notification: Notification, card: Card, *, now: datetime | None = None
    ) -> Delivered:
        """`now`: the claim's time when the caller keeps its own (a scheduled job)."""
        ref = id_ref(notification.key)
        for attempt in range(self._attempts.tries):
            if attempt:
                await self._sleep(self._attempts.wait(attempt - 1))
            outcome = await self._try_send(notification, card, now)
            if outcome is not None:
                logger.info("alerts.delivery.%s key_ref=%s attempt=%d", outcome, ref, attempt + 1)
                return outcome
        logger.warning("alerts.delivery.given_up key_ref=%s attempts=%d", ref, self._attempts.tries)
        return Delivered.FAILED

    async def _try_send(
        self, notification: Notification, card: Card, now: datetime | None
    ) -> Delivered | None:
        """One attempt; None: it failed and the claim was released (try again later)."""
        async with self._turns.hold(conversation_id(notification.reference)):
            return await self._claim_and_send(notification, card, now)

    async def _claim_and_send(
        self, notification: Notification, card: Card, now: datetime | None
    ) -> Delivered | None:
        claimed_at = now or self._clock.now()
        claim = await self._notifications.claim(
            notification, owner=self.owner, now=claimed_at, lease=self._lease
        )
        if claim is ClaimResult.DONE:
            return Delivered.DONE
        if claim is ClaimResult.BUSY:
            return Delivered.BUSY
        key = notification.key
        try:
            activity_id = await self._sender.send(notification.reference, card)
        except RecipientGoneError:
            await self._notifications.gone(key, owner=self.owner)
            await self._forget(notification)
            return Delivered.GONE
        except Exception as error:  # any send failure: release, try again
            logger.info(
                "alerts.delivery.failed key_ref=%s error=%s", id_ref(key), type(error).__name__
            )
            await self._notifications.release(key, owner=self.owner)
            return None
        await self._notifications.sent(
            key, owner=self.owner, activity_id=activity_id, now=now or self._clock.now()
        )
        return Delivered.SENT

    async def drop(self, notification: Notification) -> bool:
        """Settles a stranded claim with nothing sent: taken over, then released (deleted, as
        after a failed send). False: another instance holds it, or it was sent meanwhile."""
        claim = await self._notifications.claim(
            notification, owner=self.owner, now=self._clock.now(), lease=self._lease
        )
        if claim not in (ClaimResult.WON, ClaimResult.TAKEN_OVER):
            return False
        await self._notifications.release(notification.key, owner=self.owner)
        logger.info("alerts.delivery.dropped key_ref=%s", id_ref(notification.key))
        return True

    async def update(self, copy: Notification, card: Card) -> bool:
        """Replace a posted copy's card; False when it could not be (gone, or every try failed)."""
        if not copy.activity_id:
            return False
        ref = id_ref(copy.key)
        for attempt in range(self._attempts.tries):
            if attempt:
                await self._sleep(self._attempts.wait(attempt - 1))
            try:
                await self._sender.update(copy.reference, copy.activity_id, card)
            except RecipientGoneError:
                logger.info("alerts.update.gone key_ref=%s", ref)
                await self._forget(copy)
                return False
            except Exception as error:  # any failure: try again
                logger.info("alerts.update.failed key_ref=%s error=%s", ref, type(error).__name__)
                continue
            logger.info("alerts.update.done key_ref=%s attempt=%d", ref, attempt + 1)
            return True
        logger.warning("alerts.update.given_up key_ref=%s attempts=%d", ref, self._attempts.tries)
        return False

    async def _forget(self, notification: Notification) -> None:
        """The app was removed there: never written to again."""
        if notification.user_id:
            await self._recipients.forget(notification.user_id)
            logger.info("alerts.recipient.forgotten user_ref=%s", id_ref(notification.user_id))
        else:
            channel = conversation_id(notification.reference)
            await self._channels.remove(channel)
            logger.info("alerts.channel.forgotten channel_ref=%s", id_ref(channel))

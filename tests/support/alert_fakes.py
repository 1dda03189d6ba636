"""In-memory stand-ins for the proactive ports (bot.domain.proactive) the lead alerts use: the
recipients and channel stores, the outbox with its claims, and a sender that records every card
it posts or updates (and fails on demand: gone, or a transient error a number of times)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from bot.domain.proactive import (
    ChannelSubscription,
    ClaimResult,
    Notification,
    NotificationState,
    Recipient,
    RecipientGoneError,
    Reference,
)


@dataclass
class MemoryRecipients:
    by_id: dict[str, Recipient] = field(default_factory=dict)
    forgotten: list[str] = field(default_factory=list)

    async def put(self, recipient: Recipient) -> None:
        self.by_id[recipient.user_id] = recipient

    async def get(self, user_id: str) -> Recipient | None:
        return self.by_id.get(user_id)

    async def by_email(self, email: str) -> Recipient | None:
        wanted = email.casefold()
        return next((r for r in self.by_id.values() if r.email.casefold() == wanted), None)

    async def forget(self, user_id: str) -> None:
        self.forgotten.append(user_id)
        self.by_id.pop(user_id, None)

    async def all(self) -> AsyncIterator[Recipient]:
        for recipient in list(self.by_id.values()):
            yield recipient


@dataclass
class MemoryChannels:
    by_id: dict[str, ChannelSubscription] = field(default_factory=dict)

    async def put(self, subscription: ChannelSubscription) -> None:
        self.by_id[subscription.conversation_id] = subscription

    async def remove(self, conversation_id: str) -> bool:
        return self.by_id.pop(conversation_id, None) is not None

    async def all(self) -> AsyncIterator[ChannelSubscription]:
        for subscription in list(self.by_id.values()):
            yield subscription


@dataclass
class MemoryNotifications:
    """The outbox contract: a claim is a compare-and-set; a released claim is dropped."""

    entries: dict[str, Notification] = field(default_factory=dict)

    async def claim(
        self, notification: Notification, *, owner: str, now: datetime, lease: timedelta
    ) -> ClaimResult:
        held = self.entries.get(notification.key)
        claimed = replace(
            notification, state=NotificationState.CLAIMED, owner=owner, lease_until=now + lease
        )
        if held is None:
            self.entries[notification.key] = claimed
            return ClaimResult.WON
        if held.state is not NotificationState.CLAIMED:
            return ClaimResult.DONE
        if held.lease_until is not None and now < held.lease_until:
            return ClaimResult.BUSY
        self.entries[notification.key] = claimed
        return ClaimResult.TAKEN_OVER

    async def sent(self, key: str, *, owner: str, activity_id: str | None, now: datetime) -> None:
        held = self._held(key, owner)
        if held is not None:
            self.entries[key] = replace(
                held, state=NotificationState.SENT, activity_id=activity_id, sent_at=now
            )

    async def gone(self, key: str, *, owner: str) -> None:
        held = self._held(key, owner)
        if held is not None:
            self.entries[key] = replace(held, state=NotificationState.GONE)

    async def release(self, key: str, *, owner: str) -> None:
        if self._held(key, owner) is not None:
            del self.entries[key]

    async def copies(self, group: str) -> list[Notification]:
        return [
            entry
            for entry in self.entries.values()
            if entry.group == group and entry.state is NotificationState.SENT
        ]

    def _held(self, key: str, owner: str) -> Notification | None:
        held = self.entries.get(key)
        if held is None or held.state is not NotificationState.CLAIMED or held.owner != owner:
            return None
        return held


@dataclass(frozen=True)
class Posted:
    conversation_id: str
    card: Mapping[str, Any]
    activity_id: str | None = None  # for an update: the activity replaced


@dataclass
class FakeSender:
    """Posts into nothing: `sent` and `updated` say what went where. Conversations in `gone`
    answer like Teams after the app was removed; `failing[conversation] = n` fails n times."""

    sent: list[Posted] = field(default_factory=list)
    updated: list[Posted] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    failing: dict[str, int] = field(default_factory=dict)
    attempts: list[str] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def send(self, reference: Reference, card: Mapping[str, Any]) -> str | None:
        conversation = reference["conversation"]["id"]
        self._attempt(conversation)
        activity_id = f"1:{next(self._ids)}"
        self.sent.append(Posted(conversation, card, activity_id))
        return activity_id

    async def update(self, reference: Reference, activity_id: str, card: Mapping[str, Any]) -> None:
        conversation = reference["conversation"]["id"]
        self._attempt(conversation)
        self.updated.append(Posted(conversation, card, activity_id))

    def _attempt(self, conversation: str) -> None:
        self.attempts.append(conversation)
        if conversation in self.gone:
            raise RecipientGoneError()
        if self.failing.get(conversation, 0) > 0:
            self.failing[conversation] -= 1
            raise ConnectionResetError("the connector dropped the connection")

    def cards_in(self, conversation: str) -> list[Mapping[str, Any]]:
        return [posted.card for posted in self.sent if posted.conversation_id == conversation]

    def updates_in(self, conversation: str) -> list[Mapping[str, Any]]:
        return [posted.card for posted in self.updated if posted.conversation_id == conversation]

"""Stand-ins for the proactive ports in tests: an outbox that counts its calls, and a sender
that records updates.

`CountingOutbox` keeps `bot.domain.proactive.Notifications`' claim rules (nothing stored ->
WON; a live claim -> BUSY; a claim past its lease -> TAKEN_OVER; SENT or GONE -> DONE; `sent`,
`gone` and `release` only for the holder), plus the listing the confirm-expiry job needs
(`sent_since`). Two instances share one outbox the way two bot instances share the state
backend.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from bot.domain.proactive import (
    ClaimResult,
    Notification,
    NotificationState,
    RecipientGoneError,
    Reference,
)


@dataclass
class CountingOutbox:
    entries: dict[str, Notification] = field(default_factory=dict)
    calls: Counter[str] = field(default_factory=Counter)

    async def claim(
        self, notification: Notification, *, owner: str, now: datetime, lease: timedelta
    ) -> ClaimResult:
        self.calls["claim"] += 1
        stored = self.entries.get(notification.key)
        claimed = replace(
            notification, state=NotificationState.CLAIMED, owner=owner, lease_until=now + lease
        )
        if stored is None:
            self.entries[notification.key] = claimed
            return ClaimResult.WON
        if stored.state is not NotificationState.CLAIMED:
            return ClaimResult.DONE
        if stored.lease_until is not None and now < stored.lease_until:
            return ClaimResult.BUSY
        self.entries[notification.key] = claimed
        return ClaimResult.TAKEN_OVER

    async def sent(self, key: str, *, owner: str, activity_id: str | None, now: datetime) -> None:
        self.calls["sent"] += 1
        stored = self.entries.get(key)
        if (
            stored is not None
            and stored.state is NotificationState.CLAIMED
            and stored.owner == owner
        ):
            self.entries[key] = replace(
                stored, state=NotificationState.SENT, activity_id=activity_id, sent_at=now
            )

    async def gone(self, key: str, *, owner: str) -> None:
        self.calls["gone"] += 1
        stored = self.entries.get(key)
        if (
            stored is not None
            and stored.state is NotificationState.CLAIMED
            and stored.owner == owner
        ):
            self.entries[key] = replace(stored, state=NotificationState.GONE)

    async def release(self, key: str, *, owner: str) -> None:
        self.calls["release"] += 1
        stored = self.entries.get(key)
        if (
            stored is not None
            and stored.state is NotificationState.CLAIMED
            and stored.owner == owner
        ):
            del self.entries[key]

    async def copies(self, group: str) -> list[Notification]:
        self.calls["copies"] += 1
        return [
            entry
            for entry in self.entries.values()
            if entry.group == group and entry.state is NotificationState.SENT
        ]

    async def sent_since(self, group_prefix: str, since: datetime) -> list[Notification]:
        self.calls["sent_since"] += 1
        return [
            entry
            for entry in self.entries.values()
            if entry.group.startswith(group_prefix)
            and entry.state is NotificationState.SENT
            and entry.sent_at is not None
            and entry.sent_at >= since
        ]

    def writes(self) -> int:
        return sum(self.calls[name] for name in ("claim", "sent", "gone", "release"))


def _held(stored: Notification, owner: str) -> bool:
    return stored.state is NotificationState.CLAIMED and stored.owner == owner


@dataclass
class RecordingUpdater:
    """`CardUpdater`: records each update; `gone` ids answer as Teams does for a deleted
    message (403/404), `failing` ids raise like a transport fault."""

    updates: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    failing: set[str] = field(default_factory=set)

    async def update(self, reference: Reference, activity_id: str, card: Mapping[str, Any]) -> None:
        if activity_id in self.failing:
            raise ConnectionResetError("the connector went away")
        if activity_id in self.gone:
            raise RecipientGoneError(activity_id)
        conversation = str(reference.get("conversation", {}).get("id", ""))
        self.updates.append((conversation, activity_id, dict(card)))

"""Stand-ins for the proactive ports in tests: the memory outbox counting its calls, and a
sender that records updates. Two instances share one outbox the way two bot instances share
the state backend."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.domain.proactive import (
    ClaimResult,
    Notification,
    RecipientGoneError,
    Reference,
)
from bot.state.outbox import MemoryNotifications


class CountingOutbox(MemoryNotifications):
    """The memory outbox (the state backend's rules), counting each operation."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: Counter[str] = Counter()

    async def claim(
        self, notification: Notification, *, owner: str, now: datetime, lease: timedelta
    ) -> ClaimResult:
        self.calls["claim"] += 1
        return await super().claim(notification, owner=owner, now=now, lease=lease)

    async def sent(self, key: str, *, owner: str, activity_id: str | None, now: datetime) -> None:
        self.calls["sent"] += 1
        await super().sent(key, owner=owner, activity_id=activity_id, now=now)

    async def gone(self, key: str, *, owner: str) -> None:
        self.calls["gone"] += 1
        await super().gone(key, owner=owner)

    async def release(self, key: str, *, owner: str) -> None:
        self.calls["release"] += 1
        await super().release(key, owner=owner)

    async def copies(self, group: str) -> list[Notification]:
        self.calls["copies"] += 1
        return await super().copies(group)

    def writes(self) -> int:
        return sum(self.calls[name] for name in ("claim", "sent", "gone", "release"))


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

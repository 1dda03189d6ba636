"""The outbox's claim rules, shared by every backend, and MemoryNotifications (one process).

A claim is a compare-and-set on one entry: nothing stored -> CLAIMED (WON); CLAIMED with a live
lease -> BUSY; CLAIMED past `lease_until` -> CLAIMED by the new owner (TAKEN_OVER); SENT or
GONE -> DONE. `sent`, `gone` and `release` act only for the owner still holding the claim, so a
holder that was taken over changes nothing. `release` deletes the entry: nothing was sent, and
the next claim is an ordinary first claim. A claim whose lease ran out is `stranded` (its holder
died): listed, oldest first, for whoever sends it after all (bot.alerts.stranded). The backends
differ only in how they make "read, decide, write" atomic (a lock, a transaction, an ETag).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.domain.proactive import ClaimResult, Notification, NotificationState

# Settled entries (and claims abandoned this long ago) are deleted this long after they settled.
DEFAULT_RETENTION = timedelta(days=30)


def decide_claim(
    stored: Notification | None,
    wanted: Notification,
    *,
    owner: str,
    now: datetime,
    lease: timedelta,
) -> tuple[ClaimResult, Notification | None]:
    """The claim's answer and the entry to write (None: write nothing)."""
    claimed = claimed_by(wanted, owner=owner, now=now, lease=lease)
    if stored is None:
        return ClaimResult.WON, claimed
    if stored.state is not NotificationState.CLAIMED:
        return ClaimResult.DONE, None
    if lease_live(stored, now):
        return ClaimResult.BUSY, None
    return ClaimResult.TAKEN_OVER, claimed


def claimed_by(
    wanted: Notification, *, owner: str, now: datetime, lease: timedelta
) -> Notification:
    """`wanted` as a claim of `owner`'s, held until `now + lease`."""
    return replace(wanted, state=NotificationState.CLAIMED, owner=owner, lease_until=now + lease)


def lease_live(stored: Notification, now: datetime) -> bool:
    return stored.lease_until is not None and now < stored.lease_until


def is_stranded(stored: Notification, now: datetime) -> bool:
    """Claimed, and the claim's lease ran out: its holder died before ending it."""
    return (
        stored.state is NotificationState.CLAIMED
        and stored.lease_until is not None
        and stored.lease_until <= now
    )


def stranded_order(stored: Notification) -> tuple[datetime, str]:
    """The longest stranded first (then by key: the same order on every backend)."""
    return (stored.lease_until or datetime.min.replace(tzinfo=UTC), stored.key)


def holds(stored: Notification | None, owner: str) -> bool:
    """Whether `owner` still holds the claim on `stored` (and may end it)."""
    return (
        stored is not None and stored.state is NotificationState.CLAIMED and stored.owner == owner
    )


def as_sent(stored: Notification, activity_id: str | None, now: datetime) -> Notification:
    return replace(stored, state=NotificationState.SENT, activity_id=activity_id, sent_at=now)


def as_gone(stored: Notification) -> Notification:
    """The lease end stays: it dates the entry for retention (`settled_at`)."""
    return replace(stored, state=NotificationState.GONE)


def settled_at(stored: Notification) -> datetime | None:
    """When an entry stopped changing: sent, or (gone / abandoned claim) its lease's end."""
    return stored.sent_at or stored.lease_until


class MemoryNotifications:
    """Implements `bot.domain.proactive.Notifications` in one process (tests, the memory
    backend). Each call reads, decides and writes without an await in between: atomic on the
    event loop. Nothing is swept: the process ends first."""

    def __init__(self) -> None:
        self._entries: dict[str, Notification] = {}

    async def claim(
        self, notification: Notification, *, owner: str, now: datetime, lease: timedelta
    ) -> ClaimResult:
        result, write = decide_claim(
            self._entries.get(notification.key), notification, owner=owner, now=now, lease=lease
        )
        if write is not None:
            self._entries[write.key] = write
        return result

    async def sent(self, key: str, *, owner: str, activity_id: str | None, now: datetime) -> None:
        stored = self._entries.get(key)
        if stored is not None and holds(stored, owner):
            self._entries[key] = as_sent(stored, activity_id, now)

    async def gone(self, key: str, *, owner: str) -> None:
        stored = self._entries.get(key)
        if stored is not None and holds(stored, owner):
            self._entries[key] = as_gone(stored)

    async def release(self, key: str, *, owner: str) -> None:
        if holds(self._entries.get(key), owner):
            del self._entries[key]

    async def copies(self, group: str) -> list[Notification]:
        return sorted(
            (
                entry
                for entry in self._entries.values()
                if entry.group == group and entry.state is NotificationState.SENT
            ),
            key=lambda entry: entry.key,
        )

    async def stranded(self, *, now: datetime, limit: int) -> list[Notification]:
        found = [entry for entry in self._entries.values() if is_stranded(entry, now)]
        return sorted(found, key=stranded_order)[:limit]

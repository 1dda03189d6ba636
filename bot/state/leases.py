"""Lease rules, shared by every backend, and MemoryLeases (one process).

A lease names a job (the scheduler) and is held by one owner until `until`: its owner renews
it, anyone takes it once it has run out, and `release` by its owner frees it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Lease:
    owner: str
    until: datetime


def may_take(stored: Lease | None, *, owner: str, now: datetime) -> bool:
    """Free, run out, or already `owner`'s (a renewal)."""
    return stored is None or stored.owner == owner or now >= stored.until


class MemoryLeases:
    """Implements `bot.domain.proactive.Leases` in one process."""

    def __init__(self) -> None:
        self._leases: dict[str, Lease] = {}

    async def acquire(self, name: str, *, owner: str, now: datetime, ttl: timedelta) -> bool:
        if not may_take(self._leases.get(name), owner=owner, now=now):
            return False
        self._leases[name] = Lease(owner, now + ttl)
        return True

    async def release(self, name: str, *, owner: str) -> None:
        stored = self._leases.get(name)
        if stored is not None and stored.owner == owner:
            del self._leases[name]

"""Which activities this bot has already taken, and the first answer to each invoke.

The dedupe middleware (`bot.inbound.dedupe`) asks; the backends answer: in memory here, or in
SQLite / Azure Blob (`bot.state.sqlite_seen`, `bot.state.blob_seen`) when several processes
share the work. Keys arrive hashed, so a hostile id of any length costs the same few bytes.

Every store keeps a claimed key for `id_ttl` (Teams redelivers within minutes), except keys
with a prefix in `prefix_ttls`, kept for that prefix's own time: Partner Center's webhook events
(`pc-event:`) are retried 10 times on an undocumented schedule, so they are kept for days
(`REFERRAL_BOT_EVENTS__DEDUPE_HOURS`, docs/webhook-registration.md).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

Answer = tuple[int, Any]  # an invoke answer as JSON-ready data: (status, body)


class SeenActivities(Protocol):
    """Remembers delivered activity keys and the first answer to each invoke."""

    async def claim(self, key: str) -> bool:
        """True for the first delivery of `key`, False for a repeat (atomic)."""
        ...

    async def remember(self, key: str, answer: Answer) -> None: ...

    async def answer(self, key: str) -> Answer | None: ...

    async def forget(self, key: str) -> None:
        """The first delivery failed: let Teams' redelivery run the turn again."""
        ...


def prefix_of(key: str, prefix_ttls: Mapping[str, float]) -> str | None:
    """The prefix of `prefix_ttls` that `key` starts with, if any."""
    return next((prefix for prefix in prefix_ttls if key.startswith(prefix)), None)


def ttl_for(key: str, id_ttl: float, prefix_ttls: Mapping[str, float]) -> float:
    """How long a claim of `key` counts: its prefix's time, else `id_ttl`."""
    prefix = prefix_of(key, prefix_ttls)
    return id_ttl if prefix is None else prefix_ttls[prefix]


@dataclass
class MemorySeenActivities:
    """In-process LRU with a TTL; answers are kept shorter and fewer (they hold whole cards).
    Keys with a prefix in `prefix_ttls` get an LRU of their own (at most `max_ids` each), so
    their longer TTL neither outlives nor is cut short by the expiry of the others."""

    max_ids: int = 10_000
    id_ttl: float = 600.0
    max_answers: int = 256
    answer_ttl: float = 120.0
    clock: Callable[[], float] = time.monotonic
    prefix_ttls: Mapping[str, float] = field(default_factory=dict)
    _ids: OrderedDict[str, float] = field(default_factory=OrderedDict)
    _kept: dict[str, OrderedDict[str, float]] = field(default_factory=dict)
    _answers: OrderedDict[str, tuple[float, Answer]] = field(default_factory=OrderedDict)

    async def claim(self, key: str) -> bool:
        now = self.clock()
        ids, ttl = self._ids_of(key)
        _expire(ids, now - ttl, lambda seen: seen)
        if key in ids:
            return False
        ids[key] = now
        _bound(ids, self.max_ids)
        return True

    def _ids_of(self, key: str) -> tuple[OrderedDict[str, float], float]:
        prefix = prefix_of(key, self.prefix_ttls)
        if prefix is None:
            return self._ids, self.id_ttl
        return self._kept.setdefault(prefix, OrderedDict()), self.prefix_ttls[prefix]

    async def remember(self, key: str, answer: Answer) -> None:
        self._answers[key] = (self.clock(), answer)
        _bound(self._answers, self.max_answers)

    async def answer(self, key: str) -> Answer | None:
        _expire(self._answers, self.clock() - self.answer_ttl, lambda entry: entry[0])
        entry = self._answers.get(key)
        return entry[1] if entry else None

    async def forget(self, key: str) -> None:
        self._ids_of(key)[0].pop(key, None)
        self._answers.pop(key, None)


def _expire(entries: OrderedDict[str, Any], before: float, stamp: Callable[[Any], float]) -> None:
    """Oldest first (insertion order = time order), so stop at the first fresh one."""
    while entries and stamp(next(iter(entries.values()))) < before:
        entries.popitem(last=False)


def _bound(entries: OrderedDict[str, Any], limit: int) -> None:
    while len(entries) > limit:
        entries.popitem(last=False)

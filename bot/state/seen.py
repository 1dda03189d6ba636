"""Which activities this bot has already taken, and the first answer to each invoke.

The dedupe middleware (`bot.inbound.dedupe`) asks; the backends answer: in memory here, or in
SQLite / Azure Blob (`bot.state.sqlite_seen`, `bot.state.blob_seen`) when several processes
share the work. Keys arrive hashed, so a hostile id of any length costs the same few bytes.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
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


@dataclass
class MemorySeenActivities:
    """In-process LRU with a TTL; answers are kept shorter and fewer (they hold whole cards)."""

    max_ids: int = 10_000
    id_ttl: float = 600.0
    max_answers: int = 256
    answer_ttl: float = 120.0
    clock: Callable[[], float] = time.monotonic
    _ids: OrderedDict[str, float] = field(default_factory=OrderedDict)
    _answers: OrderedDict[str, tuple[float, Answer]] = field(default_factory=OrderedDict)

    async def claim(self, key: str) -> bool:
        now = self.clock()
        _expire(self._ids, now - self.id_ttl, lambda seen: seen)
        if key in self._ids:
            return False
        self._ids[key] = now
        _bound(self._ids, self.max_ids)
        return True

    async def remember(self, key: str, answer: Answer) -> None:
        self._answers[key] = (self.clock(), answer)
        _bound(self._answers, self.max_answers)

    async def answer(self, key: str) -> Answer | None:
        _expire(self._answers, self.clock() - self.answer_ttl, lambda entry: entry[0])
        entry = self._answers.get(key)
        return entry[1] if entry else None

    async def forget(self, key: str) -> None:
        self._ids.pop(key, None)
        self._answers.pop(key, None)


def _expire(entries: OrderedDict[str, Any], before: float, stamp: Callable[[Any], float]) -> None:
    """Oldest first (insertion order = time order), so stop at the first fresh one."""
    while entries and stamp(next(iter(entries.values()))) < before:
        entries.popitem(last=False)


def _bound(entries: OrderedDict[str, Any], limit: int) -> None:
    while len(entries) > limit:
        entries.popitem(last=False)

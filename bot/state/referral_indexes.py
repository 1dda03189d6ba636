"""Each seller's referral index in the state backend: here the parts every backend shares, and
the in-memory store (tests, the memory backend).

The index (built by bot.referrals) reaches the store already sealed (`EncryptedByteStore`, in
bot.app): stores only ever hold ciphertext. They name an index by the SHA-256 of its seller key,
so no tenant or user id reaches a key, a blob name or a log line. Each index remembers when a
turn last read it, rewritten at most once per `touch_every` (a read is not a write); one unused
for `unused_after` reads as missing and is deleted: SQLite on open and then at most once per
`touch_every`, Blob by the background sweeper (`bot.state.blob_sweeper`), memory like SQLite.
See docs/configuration.md, "What the referral index stores and for how long".
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.settings import IndexSettings

PREFIX = "referral-index/"
_DAY = 24 * 3600.0


def stored_name(key: str) -> str:
    """The store's name for a seller key: its SHA-256, the same length whatever the key."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class IndexAges:
    """How long an unused index is kept, and how often a read may rewrite its last use."""

    unused_after: float = 30 * _DAY  # seconds
    touch_every: float = 3600.0  # seconds: one write per seller and hour at most, not per turn

    @classmethod
    def from_settings(cls, settings: IndexSettings) -> IndexAges:
        return cls(unused_after=settings.unused_days * _DAY)


@dataclass
class _Entry:
    blob: bytes
    last_used: float


@dataclass
class MemoryReferralIndexes:
    """Implements `bot.auth.sealed_store.ByteStore` in one process; gone on restart."""

    ages: IndexAges = field(default_factory=IndexAges)
    clock: Callable[[], float] = field(default=time.time)  # wall-clock seconds
    _entries: dict[str, _Entry] = field(default_factory=dict, init=False)
    _pruned: float = field(default=float("-inf"), init=False)

    async def load(self, key: str) -> bytes | None:
        now = self._prune_if_due()
        entry = self._entries.get(stored_name(key))
        if entry is None or entry.last_used < now - self.ages.unused_after:
            return None
        if entry.last_used < now - self.ages.touch_every:
            entry.last_used = now
        return entry.blob

    async def save(self, key: str, blob: bytes) -> None:
        now = self._prune_if_due()
        self._entries[stored_name(key)] = _Entry(blob, now)

    async def delete(self, key: str) -> None:
        self._entries.pop(stored_name(key), None)

    async def prune_unused(self) -> int:
        """Deletes every index unused for `unused_after`; returns how many."""
        return self._prune(self.clock())

    def stored(self, key: str) -> tuple[bytes, float] | None:
        """The entry as stored (its blob and last use): what tests inspect at rest."""
        entry = self._entries.get(stored_name(key))
        return None if entry is None else (entry.blob, entry.last_used)

    def _prune_if_due(self) -> float:
        now = self.clock()
        if now - self._pruned >= self.ages.touch_every:
            self._prune(now)
        return now

    def _prune(self, now: float) -> int:
        self._pruned = now
        unused = [
            name
            for name, entry in self._entries.items()
            if entry.last_used < now - self.ages.unused_after
        ]
        for name in unused:
            del self._entries[name]
        return len(unused)

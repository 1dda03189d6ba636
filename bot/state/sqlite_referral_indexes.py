"""SqliteReferralIndexes: sellers' sealed referral indexes in their own table of the state file.

One row per seller: (SHA-256 of the seller key, the sealed blob, last use in wall-clock seconds).
A read rewrites `last_used` only when it is older than `touch_every`, in the same trip to the
database thread. Rows unused for `unused_after` are deleted on open (`open_sqlite_state`) and
then at most once per `touch_every` per process, one indexed DELETE on `last_used`
(bot.state.referral_indexes).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.state.referral_indexes import IndexAges, stored_name
from bot.state.sqlite_db import SqliteDatabase

_SAVE = (
    "INSERT INTO referral_indexes (name, blob, last_used) VALUES (?, ?, ?) "
    "ON CONFLICT (name) DO UPDATE SET blob = excluded.blob, last_used = excluded.last_used"
)
_PRUNE = "DELETE FROM referral_indexes WHERE last_used < ?"


@dataclass
class SqliteReferralIndexes:
    """Implements `bot.auth.sealed_store.ByteStore` on a `SqliteDatabase`."""

    database: SqliteDatabase
    ages: IndexAges = field(default_factory=IndexAges)
    clock: Callable[[], float] = field(default=time.time)
    _pruned: float = field(default=float("-inf"), init=False)

    async def load(self, key: str) -> bytes | None:
        name, now = stored_name(key), self.clock()
        unused, stale = now - self.ages.unused_after, now - self.ages.touch_every
        prune = self._prune_due(now)

        def work(connection: sqlite3.Connection) -> bytes | None:
            if prune:
                connection.execute(_PRUNE, (unused,))
            sql = "SELECT blob, last_used FROM referral_indexes WHERE name = ?"
            row = connection.execute(sql, (name,)).fetchone()
            if row is None or row[1] < unused:
                return None  # an unused one is deleted by the next prune
            if row[1] < stale:
                sql = "UPDATE referral_indexes SET last_used = ? WHERE name = ? AND last_used < ?"
                connection.execute(sql, (now, name, stale))
            return bytes(row[0])

        return await self.database.run(work, transaction=False)

    async def save(self, key: str, blob: bytes) -> None:
        now = self.clock()
        prune = self._prune_due(now)
        unused = now - self.ages.unused_after

        def work(connection: sqlite3.Connection) -> None:
            if prune:
                connection.execute(_PRUNE, (unused,))
            connection.execute(_SAVE, (stored_name(key), blob, now))

        await self.database.run(work, transaction=False)

    async def delete(self, key: str) -> None:
        sql = "DELETE FROM referral_indexes WHERE name = ?"
        name = stored_name(key)
        await self.database.run(
            lambda connection: connection.execute(sql, (name,)), transaction=False
        )

    async def prune_unused(self) -> int:
        """Deletes every index unused for `unused_after`; returns how many."""
        now = self.clock()
        self._pruned = now
        unused = now - self.ages.unused_after
        return await self.database.run(
            lambda connection: connection.execute(_PRUNE, (unused,)).rowcount, transaction=False
        )

    def _prune_due(self, now: float) -> bool:
        if now - self._pruned < self.ages.touch_every:
            return False
        self._pruned = now
        return True

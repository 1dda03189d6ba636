"""SqliteSeenActivities: activity dedupe shared by every process on one SQLite file.

A claim is one upsert of the key that takes over only a row older than the TTL (its row count
says who was first), so however many processes race, one runs the turn. Expired rows are deleted
at most once a minute per process, not on every claim. The first answer to an invoke (a whole
card, tens of KB) is kept in the same row and served for a shorter TTL. Times are wall-clock
seconds: several processes must agree on them. Keys with a prefix in `prefix_ttls` (Partner
Center events) are kept for their prefix's TTL, by the claim and by the sweep alike.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.state import sqlite_codec
from bot.state.errors import UnsafeStateError
from bot.state.seen import Answer, ttl_for
from bot.state.sqlite_db import SqliteDatabase

# One statement: a new key is inserted; an expired one is taken over (its answer forgotten);
# a fresh one is left alone, and the row count (1 or 0) says which.
_CLAIM = (
    "INSERT INTO seen_activities (key, seen_at) VALUES (?, ?) "
    "ON CONFLICT (key) DO UPDATE SET seen_at = excluded.seen_at, answered_at = NULL, answer = NULL "
    "WHERE seen_activities.seen_at < ?"
)


@dataclass
class SqliteSeenActivities:
    """Implements `bot.inbound.dedupe.SeenActivities` on a `SqliteDatabase`."""

    database: SqliteDatabase
    id_ttl: float = 600.0
    answer_ttl: float = 120.0
    clock: Callable[[], float] = field(default=time.time)
    sweep_every: float = 60.0  # seconds between deletes of expired ids
    prefix_ttls: Mapping[str, float] = field(default_factory=dict)
    _swept: float = field(default=float("-inf"), init=False)

    async def claim(self, key: str) -> bool:
        now = self.clock()
        expired = now - ttl_for(key, self.id_ttl, self.prefix_ttls)
        sweep = now - self._swept >= self.sweep_every
        if sweep:
            self._swept = now

        def work(connection: sqlite3.Connection) -> bool:
            if sweep:  # housekeeping; the claim itself takes over an expired row of its key
                self._sweep(connection, now)
            return connection.execute(_CLAIM, (key, now, expired)).rowcount == 1

        return await self.database.run(work, transaction=False)

    def _sweep(self, connection: sqlite3.Connection, now: float) -> None:
        """Rows past their TTL: the prefixed keys' own, then `id_ttl` for all the others."""
        others, kept = "", []
        for prefix, ttl in self.prefix_ttls.items():
            connection.execute(
                "DELETE FROM seen_activities WHERE substr(key, 1, ?) = ? AND seen_at < ?",
                (len(prefix), prefix, now - ttl),
            )
            others += " AND substr(key, 1, ?) <> ?"
            kept += [len(prefix), prefix]
        sql = f"DELETE FROM seen_activities WHERE seen_at < ?{others}"  # noqa: S608 (no input)
        connection.execute(sql, (now - self.id_ttl, *kept))

    async def remember(self, key: str, answer: Answer) -> None:
        sql = "UPDATE seen_activities SET answered_at = ?, answer = ? WHERE key = ?"
        row = (self.clock(), sqlite_codec.encode(answer), key)
        await self.database.run(lambda connection: connection.execute(sql, row), transaction=False)

    async def answer(self, key: str) -> Answer | None:
        sql = "SELECT answer FROM seen_activities WHERE key = ? AND answered_at >= ?"
        args = (key, self.clock() - self.answer_ttl)
        found = await self.database.run(
            lambda connection: connection.execute(sql, args).fetchone(), transaction=False
        )
        return None if found is None else _answer(found[0])

    async def forget(self, key: str) -> None:
        sql = "DELETE FROM seen_activities WHERE key = ?"
        await self.database.run(
            lambda connection: connection.execute(sql, (key,)), transaction=False
        )


def _answer(text: str) -> Answer:
    value = sqlite_codec.decode(text)
    if not (isinstance(value, tuple | list) and len(value) == 2 and isinstance(value[0], int)):
        raise UnsafeStateError("a seen-activity row holds something else")
    return int(value[0]), value[1]

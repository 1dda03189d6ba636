"""SqliteSeenActivities: activity dedupe shared by every process on one SQLite file.

A claim is `INSERT OR IGNORE` of the key (its row count says who was first), after deleting
ids older than the TTL, so however many processes race, one runs the turn. The first answer
to an invoke (a whole card, tens of KB) is kept in the same row and served for a shorter TTL.
Times are wall-clock seconds: several processes must agree on them.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.dedupe import Answer
from bot.state import sqlite_codec
from bot.state.sqlite_db import SqliteDatabase


@dataclass
class SqliteSeenActivities:
    """Implements `bot.dedupe.SeenActivities` on a `SqliteDatabase`."""

    database: SqliteDatabase
    id_ttl: float = 600.0
    answer_ttl: float = 120.0
    clock: Callable[[], float] = field(default=time.time)

    async def claim(self, key: str) -> bool:
        now = self.clock()

        def work(connection: sqlite3.Connection) -> bool:
            connection.execute(
                "DELETE FROM seen_activities WHERE seen_at < ?", (now - self.id_ttl,)
            )
            inserted = connection.execute(
                "INSERT OR IGNORE INTO seen_activities (key, seen_at) VALUES (?, ?)", (key, now)
            )
            return inserted.rowcount == 1

        return await self.database.run(work)

    async def remember(self, key: str, answer: Answer) -> None:
        sql = "UPDATE seen_activities SET answered_at = ?, answer = ? WHERE key = ?"
        row = (self.clock(), sqlite_codec.encode(answer), key)
        await self.database.run(lambda connection: connection.execute(sql, row))

    async def answer(self, key: str) -> Answer | None:
        sql = "SELECT answer FROM seen_activities WHERE key = ? AND answered_at >= ?"
        args = (key, self.clock() - self.answer_ttl)
        found = await self.database.run(lambda connection: connection.execute(sql, args).fetchone())
        return None if found is None else _answer(found[0])

    async def forget(self, key: str) -> None:
        sql = "DELETE FROM seen_activities WHERE key = ?"
        await self.database.run(lambda connection: connection.execute(sql, (key,)))


def _answer(text: str) -> Answer:
    value = sqlite_codec.decode(text)
    if not (isinstance(value, tuple | list) and len(value) == 2 and isinstance(value[0], int)):
        raise sqlite_codec.UnsafeStateError("a seen-activity row holds something else")
    return int(value[0]), value[1]

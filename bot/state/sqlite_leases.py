"""SqliteLeases: scheduler leases in SQLite; one upsert decides, so two processes never both
hold one. Lease names are stored as SHA-256."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.state.referral_indexes import stored_name
from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_times import micros

_ACQUIRE = (
    "INSERT INTO leases (name, owner, until_us) VALUES (:name, :owner, :until) "
    "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until_us = excluded.until_us "
    "WHERE leases.owner = excluded.owner OR leases.until_us <= :now"
)


class SqliteLeases:
    """Implements `bot.domain.proactive.Leases` on a `SqliteDatabase`."""

    def __init__(self, database: SqliteDatabase) -> None:
        self._database = database

    async def acquire(self, name: str, *, owner: str, now: datetime, ttl: timedelta) -> bool:
        args = {
            "name": stored_name(name),
            "owner": owner,
            "until": micros(now + ttl),
            "now": micros(now),
        }
        changed: int = await self._database.run(
            lambda connection: connection.execute(_ACQUIRE, args).rowcount, transaction=False
        )
        return changed == 1

    async def release(self, name: str, *, owner: str) -> None:
        sql = "DELETE FROM leases WHERE name = ? AND owner = ?"
        row = (stored_name(name), owner)
        await self._database.run(lambda connection: connection.execute(sql, row), transaction=False)

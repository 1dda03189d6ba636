"""SqliteNotifications: the outbox in SQLite, so a restart neither loses nor repeats a card.

The claim is one transaction that starts with a write (so it holds the write lock from its
first statement: two processes on one file wait for each other instead of deciding on a stale
read): insert the entry if there is none (WON), else take over a claim whose lease has run out
(TAKEN_OVER), else read its state (BUSY or DONE). `sent`, `gone` and `release` are one UPDATE or
DELETE matching the holder (`owner`). The `state`, `owner`, `lease_until_us`, `activity_id` and
`sent_at_us` columns are the truth; the body (the Notification as JSON, written by the claim)
is read back with them. Keys and groups are stored as SHA-256 only.

Retention: entries settled (sent, or gone / abandoned: their lease's end) more than
`retention` ago are deleted on open and then by the first claim after each `sweep_every`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.domain.proactive import ClaimResult, Notification, NotificationState
from bot.state.outbox import DEFAULT_RETENTION, stranded_order
from bot.state.proactive_codec import decode, encode
from bot.state.referral_indexes import stored_name
from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_times import instant, micros

_INSERT = (
    "INSERT INTO notifications (key, group_key, state, owner, lease_until_us, body) "
    "VALUES (:key, :group, 'claimed', :owner, :lease, :body) ON CONFLICT (key) DO NOTHING"
)
_TAKE_OVER = (
    "UPDATE notifications SET owner = :owner, lease_until_us = :lease, body = :body, "
    "group_key = :group WHERE key = :key AND state = 'claimed' "
    "AND (lease_until_us IS NULL OR lease_until_us <= :now)"
)
_SELECT = "SELECT body, state, owner, lease_until_us, activity_id, sent_at_us FROM notifications "
_COPIES = _SELECT + "WHERE group_key = ? AND state = 'sent'"
_SWEEP = "DELETE FROM notifications WHERE coalesce(sent_at_us, lease_until_us) < ?"
# a claim has no sent_at: this reads the settled index (lease_until_us NULL: never stranded)
_STRANDED = (
    _SELECT + "WHERE state = 'claimed' AND coalesce(sent_at_us, lease_until_us) <= ? "
    "ORDER BY coalesce(sent_at_us, lease_until_us) LIMIT ?"
)
Row = tuple[str, str, str, int | None, str | None, int | None]


class SqliteNotifications:
    """Implements `bot.domain.proactive.Notifications` on a `SqliteDatabase`."""

    def __init__(
        self,
        database: SqliteDatabase,
        *,
        retention: timedelta = DEFAULT_RETENTION,
        sweep_every: timedelta = timedelta(hours=1),
    ) -> None:
        self._database = database
        self._retention = retention
        self._sweep_every = sweep_every
        self._next_sweep: datetime | None = None

    async def claim(
        self, notification: Notification, *, owner: str, now: datetime, lease: timedelta
    ) -> ClaimResult:
        if self._next_sweep is None or now >= self._next_sweep:
            await self.sweep(now)
        args = {
            "key": stored_name(notification.key),
            "group": stored_name(notification.group),
            "owner": owner,
            "now": micros(now),
            "lease": micros(now + lease),
            "body": encode(notification),
        }
        return await self._database.run(lambda connection: _claim(connection, args))

    async def sent(self, key: str, *, owner: str, activity_id: str | None, now: datetime) -> None:
        sql = (
            "UPDATE notifications SET state = 'sent', activity_id = ?, sent_at_us = ? "
            "WHERE key = ? AND state = 'claimed' AND owner = ?"
        )
        row = (activity_id, micros(now), stored_name(key), owner)
        await self._run(sql, row)

    async def gone(self, key: str, *, owner: str) -> None:
        sql = (
            "UPDATE notifications SET state = 'gone' "
            "WHERE key = ? AND state = 'claimed' AND owner = ?"
        )
        await self._run(sql, (stored_name(key), owner))

    async def release(self, key: str, *, owner: str) -> None:
        sql = "DELETE FROM notifications WHERE key = ? AND state = 'claimed' AND owner = ?"
        await self._run(sql, (stored_name(key), owner))

    async def copies(self, group: str) -> list[Notification]:
        rows: list[Row] = await self._database.run(
            lambda connection: connection.execute(_COPIES, (stored_name(group),)).fetchall(),
            transaction=False,
        )
        return sorted((_entry(row) for row in rows), key=lambda entry: entry.key)

    async def stranded(self, *, now: datetime, limit: int) -> list[Notification]:
        rows: list[Row] = await self._database.run(
            lambda connection: connection.execute(_STRANDED, (micros(now), limit)).fetchall(),
            transaction=False,
        )
        return sorted((_entry(row) for row in rows), key=stranded_order)

    async def sweep(self, now: datetime) -> int:
        """Deletes entries settled more than `retention` before `now`; how many."""
        self._next_sweep = now + self._sweep_every
        before = micros(now - self._retention)
        return await self._database.run(
            lambda connection: connection.execute(_SWEEP, (before,)).rowcount,
            transaction=False,
        )

    async def _run(self, sql: str, row: tuple[Any, ...]) -> None:
        await self._database.run(lambda connection: connection.execute(sql, row), transaction=False)


def _claim(connection: sqlite3.Connection, args: dict[str, Any]) -> ClaimResult:
    if connection.execute(_INSERT, args).rowcount == 1:
        return ClaimResult.WON
    if connection.execute(_TAKE_OVER, args).rowcount == 1:
        return ClaimResult.TAKEN_OVER
    found = connection.execute("SELECT state FROM notifications WHERE key = ?", (args["key"],))
    (state,) = found.fetchone()  # the insert found it, in this same transaction
    return ClaimResult.BUSY if state == NotificationState.CLAIMED else ClaimResult.DONE


def _entry(row: Row) -> Notification:
    body, state, owner, lease_until, activity_id, sent_at = row
    return replace(
        decode(Notification, body),
        state=NotificationState(state),
        owner=owner,
        lease_until=None if lease_until is None else instant(lease_until),
        activity_id=activity_id,
        sent_at=None if sent_at is None else instant(sent_at),
    )

"""SQLite keeps settled outbox entries for the retention, then deletes them: on open, and by the
first claim after each sweep interval (`SqliteNotifications`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from bot.domain.proactive import ClaimResult, Notifications
from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_outbox import SqliteNotifications
from bot.state.sqlite_state import open_sqlite_state
from tests.state.proactive_stores import LEASE, NOW, notification

DAY = timedelta(days=1)
RETENTION = timedelta(days=30)  # the default


async def settle(store: Notifications, key: str, how: str) -> None:
    assert await store.claim(notification(key), owner="o-1", now=NOW, lease=LEASE) is (
        ClaimResult.WON
    )
    if how == "sent":
        await store.sent(key, owner="o-1", activity_id="act", now=NOW)
    elif how == "gone":
        await store.gone(key, owner="o-1")


async def claims_at(path: Path, at: datetime, keys: tuple[str, ...]) -> list[ClaimResult]:
    """Opens the file at `at` (a sweep) and claims `keys` there."""
    async with open_sqlite_state(path, clock=lambda: at) as parts:
        return [
            await parts.notifications.claim(notification(key), owner="o-2", now=at, lease=LEASE)
            for key in keys
        ]


async def test_opening_sweeps_entries_settled_longer_ago_than_the_retention(
    tmp_path: Path,
) -> None:
    """Sent at NOW; gone and abandoned when their lease ended (NOW + LEASE)."""
    path = tmp_path / "state.sqlite3"
    async with open_sqlite_state(path, clock=lambda: NOW) as parts:
        assert isinstance(parts.notifications, SqliteNotifications)
        for key, how in (("sent", "sent"), ("gone", "gone"), ("abandoned", "claimed")):
            await settle(parts.notifications, key, how)
    kept = await claims_at(path, NOW + RETENTION, ("sent", "gone"))
    assert kept == [ClaimResult.DONE, ClaimResult.DONE]
    tick = timedelta(microseconds=1)
    sent_swept = await claims_at(path, NOW + RETENTION + tick, ("sent", "gone"))
    assert sent_swept == [ClaimResult.WON, ClaimResult.DONE]
    all_swept = await claims_at(path, NOW + LEASE + RETENTION + tick, ("gone", "abandoned"))
    assert all_swept == [ClaimResult.WON, ClaimResult.WON]


async def test_the_retention_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    async with open_sqlite_state(path, clock=lambda: NOW) as parts:
        await settle(parts.notifications, "sent", "sent")
    opened = open_sqlite_state(
        path, notification_retention=timedelta(days=2), clock=lambda: NOW + 3 * DAY
    )
    async with opened as parts:
        assert await parts.notifications.copies("lead:1") == []


async def test_a_live_claim_is_never_swept(tmp_path: Path) -> None:
    database = await SqliteDatabase.open(tmp_path / "state.sqlite3")
    try:
        store = SqliteNotifications(database, retention=timedelta(seconds=1))
        await store.claim(notification(), owner="o-1", now=NOW, lease=timedelta(days=3))
        assert await store.sweep(NOW + 2 * DAY) == 0
        assert await store.sweep(NOW + 3 * DAY + timedelta(seconds=2)) == 1
    finally:
        await database.aclose()


async def test_claims_sweep_at_most_once_per_interval(tmp_path: Path) -> None:
    database = await SqliteDatabase.open(tmp_path / "state.sqlite3")
    try:
        store = SqliteNotifications(
            database, retention=timedelta(minutes=10), sweep_every=timedelta(hours=1)
        )
        await settle(store, "old", "sent")  # swept before it was written, due again at +1 h
        await store.claim(
            notification("b"), owner="o-1", now=NOW + timedelta(minutes=30), lease=LEASE
        )
        assert [entry.key for entry in await store.copies("lead:1")] == ["old"]
        await store.claim(notification("c"), owner="o-1", now=NOW + timedelta(hours=1), lease=LEASE)
        assert await store.copies("lead:1") == []
    finally:
        await database.aclose()

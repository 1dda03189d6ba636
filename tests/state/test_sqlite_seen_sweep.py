"""SqliteSeenActivities: one statement per claim; expired ids are deleted once a minute."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_seen import SqliteSeenActivities


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _rows(connection: sqlite3.Connection) -> int:
    return int(connection.execute("SELECT COUNT(*) FROM seen_activities").fetchone()[0])


async def test_expired_ids_are_deleted_at_most_once_a_minute(tmp_path: Path) -> None:
    database = await SqliteDatabase.open(tmp_path / "seen.sqlite3")
    try:
        clock = Clock()
        seen = SqliteSeenActivities(database, id_ttl=600, clock=clock)
        for n in range(5):
            assert await seen.claim(f"old-{n}")
        clock.now += 601  # all five expired; the last sweep was at the first claim
        assert await seen.claim("new-1")
        assert await database.run(_rows) == 1
        for n in range(3):
            assert await seen.claim(f"more-{n}")
        clock.now += 601
        assert await seen.claim("new-2")  # 601 s after the last sweep: sweeps again
        assert await database.run(_rows) == 1
        clock.now += 30
        assert await seen.claim("new-3")  # within the minute: no sweep
        assert await database.run(_rows) == 2
    finally:
        await database.aclose()


async def test_an_expired_id_is_claimed_again_and_its_old_answer_forgotten(tmp_path: Path) -> None:
    database = await SqliteDatabase.open(tmp_path / "seen.sqlite3")
    try:
        clock = Clock()
        seen = SqliteSeenActivities(database, id_ttl=600, answer_ttl=1e9, clock=clock)
        assert await seen.claim("k")
        await seen.remember("k", (200, {"card": 1}))
        clock.now += 30
        assert not await seen.claim("k")  # a sweep ran 30 s ago: the takeover is the claim
        clock.now += 600
        assert await seen.claim("k")
        assert await seen.answer("k") is None
        assert not await seen.claim("k")
    finally:
        await database.aclose()


async def test_the_sweep_keeps_prefixed_keys_until_their_own_ttl(tmp_path: Path) -> None:
    database = await SqliteDatabase.open(tmp_path / "seen.sqlite3")
    try:
        clock = Clock()
        ttls = {"pc-event:": 7 * 24 * 3600.0}
        seen = SqliteSeenActivities(database, id_ttl=600, clock=clock, prefix_ttls=ttls)
        assert await seen.claim("pc-event:a")
        assert await seen.claim("activity")
        clock.now += 601
        assert await seen.claim("sweeps")  # deletes "activity" only
        assert await database.run(_rows) == 2
        clock.now += 7 * 24 * 3600
        assert await seen.claim("sweeps-again")  # now the event key too (and "sweeps")
        assert await database.run(_rows) == 1
    finally:
        await database.aclose()

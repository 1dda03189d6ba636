"""The SQLite backend as one unit: storage, pending changes, seen activities and referral
indexes on one file."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

from bot.state.parts import StateParts
from bot.state.referral_indexes import IndexAges
from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_pending import SqlitePendingChanges
from bot.state.sqlite_referral_indexes import SqliteReferralIndexes
from bot.state.sqlite_seen import SqliteSeenActivities
from bot.state.sqlite_storage import SqliteStorage


@asynccontextmanager
async def open_sqlite_state(
    path: Path,
    *,
    index_ages: IndexAges | None = None,
    seen_prefix_ttls: Mapping[str, float] | None = None,
) -> AsyncIterator[StateParts]:
    """Open (creating if needed) the database at `path`; closed, with its thread, on exit.
    Referral indexes unused for too long are deleted before the first turn."""
    database = await SqliteDatabase.open(path)
    try:
        indexes = SqliteReferralIndexes(database, index_ages or IndexAges())
        await indexes.prune_unused()
        yield StateParts(
            SqliteStorage(database),
            SqlitePendingChanges(database),
            SqliteSeenActivities(database, prefix_ttls=dict(seen_prefix_ttls or {})),
            indexes,
        )
    finally:
        await database.aclose()

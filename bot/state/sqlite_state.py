"""The SQLite backend as one unit: storage, pending changes and seen activities on one file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.state.parts import StateParts
from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_pending import SqlitePendingChanges
from bot.state.sqlite_seen import SqliteSeenActivities
from bot.state.sqlite_storage import SqliteStorage


@asynccontextmanager
async def open_sqlite_state(path: Path) -> AsyncIterator[StateParts]:
    """Open (creating if needed) the database at `path`; closed, with its thread, on exit."""
    database = await SqliteDatabase.open(path)
    try:
        yield StateParts(
            SqliteStorage(database), SqlitePendingChanges(database), SqliteSeenActivities(database)
        )
    finally:
        await database.aclose()

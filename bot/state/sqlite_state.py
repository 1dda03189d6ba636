"""The SQLite backend as one unit: storage and pending changes on one database file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_pending import SqlitePendingChanges
from bot.state.sqlite_storage import SqliteStorage


@dataclass(frozen=True)
class DurableState:
    storage: SqliteStorage
    pending: SqlitePendingChanges


@asynccontextmanager
async def open_sqlite_state(path: Path) -> AsyncIterator[DurableState]:
    """Open (creating if needed) the database at `path`; closed, with its thread, on exit."""
    database = await SqliteDatabase.open(path)
    try:
        yield DurableState(SqliteStorage(database), SqlitePendingChanges(database))
    finally:
        await database.aclose()

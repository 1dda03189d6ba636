"""One SQLite database file, used from a dedicated single-thread executor (all I/O off the loop).

WAL mode lets other processes read while one writes; `busy_timeout` makes a second process wait
briefly for the write lock instead of failing. Every call runs in the one worker thread, so the
connection is never shared between threads, and the event loop never blocks on disk.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS storage (
    key TEXT PRIMARY KEY,
    etag TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending_changes (
    id TEXT PRIMARY KEY,
    proposer_id TEXT NOT NULL,
    state TEXT NOT NULL,
    expires_at_us INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pending_changes_expiry ON pending_changes (expires_at_us);
CREATE TABLE IF NOT EXISTS seen_activities (
    key TEXT PRIMARY KEY,
    seen_at REAL NOT NULL,
    answered_at REAL,
    answer TEXT
);
CREATE INDEX IF NOT EXISTS seen_activities_age ON seen_activities (seen_at);
"""


class SqliteDatabase:
    """Owns the connection and its thread; `aclose` closes both."""

    def __init__(self, path: Path, *, busy_timeout_ms: int = 5_000) -> None:
        self._path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-state")
        self._connection: sqlite3.Connection | None = None

    @classmethod
    async def open(cls, path: Path) -> SqliteDatabase:
        database = cls(path)
        try:
            await database.run(lambda connection: None)
        except BaseException:
            await database.aclose()
            raise
        return database

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` in the database thread, inside one transaction (committed on success)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._in_transaction, work)

    async def aclose(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._close)
        self._executor.shutdown(wait=True)

    def _in_transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        connection = self._connect()
        with connection:  # commits, or rolls back on an exception
            return work(connection)

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self._path, timeout=self._busy_timeout_ms / 1000)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(f"PRAGMA busy_timeout={int(self._busy_timeout_ms)}")
            connection.executescript(_SCHEMA)
            self._connection = connection
        return self._connection

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

"""One SQLite database file, used from a dedicated single-thread executor (all I/O off the loop).

WAL mode lets other processes read while one writes; `busy_timeout` makes a second process wait
briefly for the write lock instead of failing. Every call runs in the one worker thread, so the
connection is never shared between threads, and the event loop never blocks on disk.

A hop to that thread costs about 80 µs of CPU here (futex wake-ups and GIL hand-offs, measured
with `python -m bench`), more than most statements. So calls made while the thread is busy, or
in the same loop iteration, wait together and go over in one hop: each still runs in its own
transaction, in the order it was made, and gets its own result or exception (a group commit).

Each sqlite3 call releases the GIL and may have to wait for the busy loop thread to hand it back,
so a call that needs no transaction around it (one statement, or statements that are each safe
on their own) says `transaction=False` and runs in autocommit: 1 call instead of BEGIN, the
statement and COMMIT. The connection is in autocommit mode; transactions are explicit.

The thread runs as `SCHED_BATCH` on Linux (`_yield_to_the_loop`): woken by the loop, it no longer
preempts it, so calls that come in meanwhile join its batch instead of costing a switch each.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import sys
from collections.abc import Callable
from concurrent.futures import Future as ThreadFuture
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

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
    body TEXT NOT NULL,
    claim_owner TEXT NOT NULL DEFAULT '',
    lease_until_us INTEGER
);
CREATE INDEX IF NOT EXISTS pending_changes_expiry ON pending_changes (expires_at_us);
CREATE TABLE IF NOT EXISTS seen_activities (
    key TEXT PRIMARY KEY,
    seen_at REAL NOT NULL,
    answered_at REAL,
    answer TEXT
);
CREATE INDEX IF NOT EXISTS seen_activities_age ON seen_activities (seen_at);
CREATE TABLE IF NOT EXISTS referral_indexes (
    name TEXT PRIMARY KEY,
    blob BLOB NOT NULL,
    last_used REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS referral_indexes_age ON referral_indexes (last_used);
CREATE TABLE IF NOT EXISTS recipients (
    user_key TEXT PRIMARY KEY,
    email_key TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS recipients_email ON recipients (email_key);
CREATE TABLE IF NOT EXISTS channel_subscriptions (
    conversation_key TEXT PRIMARY KEY,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notifications (
    key TEXT PRIMARY KEY,
    group_key TEXT NOT NULL,
    state TEXT NOT NULL,
    owner TEXT NOT NULL,
    lease_until_us INTEGER,
    activity_id TEXT,
    sent_at_us INTEGER,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notifications_group ON notifications (group_key, state);
CREATE INDEX IF NOT EXISTS notifications_settled
    ON notifications (coalesce(sent_at_us, lease_until_us));
CREATE TABLE IF NOT EXISTS leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until_us INTEGER NOT NULL
);
"""
# Columns added after a table was first created: (table, column, definition). A file made by an
# older version gets them on open; their defaults are what old rows mean (no claim lease: a
# claim left by the old version reads as long expired, so a click can reconcile it).
_ADDED_COLUMNS = (
    ("pending_changes", "claim_owner", "TEXT NOT NULL DEFAULT ''"),
    ("pending_changes", "lease_until_us", "INTEGER"),
)


@dataclass(frozen=True)
class _Job:
    work: Callable[[sqlite3.Connection], Any]
    future: asyncio.Future[Any]
    transaction: bool


Outcome = tuple[bool, Any]  # (True, result) or (False, exception)


@dataclass
class _Batches:
    """The calls waiting for the thread, on the loop that made them; `busy` while a batch is
    scheduled or running (then new calls join the next one)."""

    loop: asyncio.AbstractEventLoop | None = None
    waiting: list[_Job] = field(default_factory=list)
    busy: bool = False
    idle: asyncio.Event = field(default_factory=asyncio.Event)

    def start(self) -> None:
        self.busy = True
        self.idle.clear()

    def stop(self) -> None:
        self.busy = False
        self.idle.set()


class SqliteDatabase:
    """Owns the connection and its thread; `aclose` closes both."""

    def __init__(self, path: Path, *, busy_timeout_ms: int = 5_000) -> None:
        self._path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="sqlite-state", initializer=_yield_to_the_loop
        )
        self._connection: sqlite3.Connection | None = None
        self._batches = _Batches()
        self.hops = 0  # trips to the database thread (tests and the benchmark read it)

    @classmethod
    async def open(cls, path: Path) -> SqliteDatabase:
        database = cls(path)
        try:
            await database.run(lambda connection: None)
        except BaseException:
            await database.aclose()
            raise
        return database

    async def run(self, work: Callable[[sqlite3.Connection], T], *, transaction: bool = True) -> T:
        """Run `work` in the database thread, inside one transaction (committed on success);
        `transaction=False`: each of its statements commits on its own."""
        loop = asyncio.get_running_loop()
        batches = self._batches_for(loop)
        if batches is None:  # another live loop has a batch in flight: go on our own
            self.hops += 1
            return await loop.run_in_executor(self._executor, self._call, work, transaction)
        job = _Job(work, loop.create_future(), transaction)
        batches.waiting.append(job)
        if not batches.busy:
            batches.start()
            loop.call_soon(self._flush, batches)  # calls made in this iteration join in
        result: T = await job.future
        return result

    async def aclose(self) -> None:
        loop = asyncio.get_running_loop()
        if self._batches.busy and self._batches.loop is loop:
            await self._batches.idle.wait()  # queued calls finish before the connection goes
        await loop.run_in_executor(self._executor, self._close)
        self._executor.shutdown(wait=True)

    def _batches_for(self, loop: asyncio.AbstractEventLoop) -> _Batches | None:
        batches = self._batches
        if batches.loop is loop:
            return batches
        if batches.busy and not _closed(batches.loop):
            return None
        self._batches = _Batches(loop=loop)  # first use, or the old loop is gone
        return self._batches

    def _flush(self, batches: _Batches) -> None:
        jobs = [job for job in batches.waiting if not job.future.cancelled()]
        batches.waiting = []
        if not jobs:
            batches.stop()
            return
        self.hops += 1
        loop = batches.loop
        assert loop is not None

        def finished(done: ThreadFuture[list[Outcome]]) -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(self._deliver, batches, jobs, done)

        calls = [(job.work, job.transaction) for job in jobs]
        self._executor.submit(self._run_all, calls).add_done_callback(finished)

    def _deliver(
        self, batches: _Batches, jobs: list[_Job], done: ThreadFuture[list[Outcome]]
    ) -> None:
        error = done.exception()
        outcomes: list[Outcome] = [(False, error)] * len(jobs) if error else done.result()
        for job, (ok, value) in zip(jobs, outcomes, strict=True):
            if job.future.done():  # cancelled while in the thread; its transaction stands
                continue
            if ok:
                job.future.set_result(value)
            else:
                job.future.set_exception(value)
        self._flush(batches)  # what came in meanwhile: the next batch, or idle

    def _run_all(
        self, calls: list[tuple[Callable[[sqlite3.Connection], Any], bool]]
    ) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for work, transaction in calls:
            try:
                outcomes.append((True, self._call(work, transaction)))
            except Exception as error:  # each call gets its own failure
                outcomes.append((False, error))
        return outcomes

    def _call(self, work: Callable[[sqlite3.Connection], T], transaction: bool) -> T:
        connection = self._connect()
        if not transaction:
            return work(connection)
        connection.execute("BEGIN")
        try:
            result = work(connection)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        return result

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self._path, timeout=self._busy_timeout_ms / 1000, isolation_level=None
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(f"PRAGMA busy_timeout={int(self._busy_timeout_ms)}")
            connection.executescript(_SCHEMA)
            _add_missing_columns(connection)
            self._connection = connection
        return self._connection

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _add_missing_columns(connection: sqlite3.Connection) -> None:
    """Checked again under the write lock (BEGIN IMMEDIATE), so two processes opening an old
    file at once do not both add a column."""
    if not _missing_columns(connection):
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        for table, column, definition in _missing_columns(connection):
            connection.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _missing_columns(connection: sqlite3.Connection) -> list[tuple[str, str, str]]:
    present = {
        (table, row[1])
        for table in {added[0] for added in _ADDED_COLUMNS}
        for row in connection.execute(f"PRAGMA table_info({table})")
    }
    return [added for added in _ADDED_COLUMNS if added[:2] not in present]


def _yield_to_the_loop() -> None:
    """The database thread is woken by the event loop, and only the loop reads its results, so
    it should never preempt the loop: a thread that does so while the loop holds the GIL can only
    wait for it (two switches for nothing). At c=8, on one core, the loop thread was switched out
    5.8 times per show turn, and 0.1 times in `SCHED_BATCH`, which tells Linux exactly that:
    a woken batch thread waits for the running one to block or use up its slice. Only this thread
    changes; where the call is refused (some sandboxes), nothing does."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))


def _closed(loop: asyncio.AbstractEventLoop | None) -> bool:
    return loop is None or loop.is_closed()

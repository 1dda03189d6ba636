"""SqliteDatabase: calls made together share one trip to the database thread, and each keeps
its own transaction, order, result and failure."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.state.sqlite_db import SqliteDatabase


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[SqliteDatabase]:
    database = await SqliteDatabase.open(tmp_path / "batches.sqlite3")
    await database.run(lambda c: c.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, v TEXT)"))
    try:
        yield database
    finally:
        await database.aclose()


def _insert(n: int) -> Callable[[sqlite3.Connection], int]:
    def work(connection: sqlite3.Connection) -> int:
        connection.execute("INSERT INTO t (n, v) VALUES (?, 'x')", (n,))
        return n

    return work


def _rows(connection: sqlite3.Connection) -> list[int]:
    return [n for (n,) in connection.execute("SELECT n FROM t ORDER BY n")]


async def test_calls_made_together_share_one_trip(database: SqliteDatabase) -> None:
    before = database.hops
    results = await asyncio.gather(*(database.run(_insert(n)) for n in range(20)))
    assert results == list(range(20))
    assert database.hops - before == 1
    assert await database.run(_rows) == list(range(20))


async def test_one_calls_failure_is_its_own_and_rolls_back_only_its_writes(
    database: SqliteDatabase,
) -> None:
    def insert_then_fail(connection: sqlite3.Connection) -> None:
        connection.execute("INSERT INTO t (n, v) VALUES (100, 'half')")
        raise LookupError("boom")

    outcomes = await asyncio.gather(
        database.run(_insert(1)),
        database.run(insert_then_fail),
        database.run(_insert(2)),
        return_exceptions=True,
    )
    assert outcomes[0] == 1
    assert isinstance(outcomes[1], LookupError)
    assert outcomes[2] == 2
    assert await database.run(_rows) == [1, 2]  # 100 was rolled back with its own call


async def test_calls_run_in_the_order_they_were_made(database: SqliteDatabase) -> None:
    order: list[int] = []

    def note(n: int) -> Callable[[sqlite3.Connection], None]:
        return lambda _: order.append(n)

    await asyncio.gather(*(database.run(note(n)) for n in range(10)))
    assert order == list(range(10))


async def test_calls_made_while_a_trip_runs_go_together_in_the_next(
    database: SqliteDatabase,
) -> None:
    started = asyncio.Event()
    gate = threading.Event()
    loop = asyncio.get_running_loop()

    def slow(_: sqlite3.Connection) -> str:
        loop.call_soon_threadsafe(started.set)
        gate.wait(5)  # the database thread is busy until the others have been made
        return "slow"

    before = database.hops
    first = asyncio.ensure_future(database.run(slow))
    await started.wait()
    later = [asyncio.ensure_future(database.run(_insert(n))) for n in range(5)]
    await asyncio.sleep(0.01)  # every later call is made (and waits) before the thread is free
    gate.set()
    assert await first == "slow"
    assert await asyncio.gather(*later) == list(range(5))
    assert database.hops - before == 2


async def test_a_call_cancelled_before_its_trip_never_runs(database: SqliteDatabase) -> None:
    cancelled = asyncio.ensure_future(database.run(_insert(7)))
    kept = asyncio.ensure_future(database.run(_insert(8)))
    cancelled.cancel()
    assert await kept == 8
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    assert await database.run(_rows) == [8]


async def test_closing_waits_for_calls_already_made(tmp_path: Path) -> None:
    database = await SqliteDatabase.open(tmp_path / "close.sqlite3")
    await database.run(lambda c: c.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, v TEXT)"))
    pending = [asyncio.ensure_future(database.run(_insert(n))) for n in range(3)]
    await asyncio.sleep(0)
    await database.aclose()
    assert [task.result() for task in pending] == [0, 1, 2]
    reopened = await SqliteDatabase.open(tmp_path / "close.sqlite3")
    try:
        assert await reopened.run(_rows) == [0, 1, 2]
    finally:
        await reopened.aclose()


def test_a_database_outlives_its_event_loop(tmp_path: Path) -> None:
    """Tests and CLIs may use one database from successive asyncio.run() loops."""
    database = SqliteDatabase(tmp_path / "loops.sqlite3")
    asyncio.run(database.run(lambda c: c.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, v TEXT)")))
    asyncio.run(database.run(_insert(1)))
    assert asyncio.run(database.run(_rows)) == [1]
    asyncio.run(database.aclose())


async def test_without_a_transaction_each_statement_stands_alone(database: SqliteDatabase) -> None:
    def insert_then_fail(connection: sqlite3.Connection) -> None:
        connection.execute("INSERT INTO t (n, v) VALUES (5, 'kept')")
        raise LookupError("boom")

    with pytest.raises(LookupError):
        await database.run(insert_then_fail, transaction=False)
    with pytest.raises(LookupError):
        await database.run(_insert_then(6, LookupError("boom")))
    assert await database.run(_rows, transaction=False) == [5]  # 6 was rolled back


def _insert_then(n: int, error: Exception) -> Callable[[sqlite3.Connection], None]:
    def work(connection: sqlite3.Connection) -> None:
        connection.execute("INSERT INTO t (n, v) VALUES (?, 'x')", (n,))
        raise error

    return work


async def test_the_database_thread_never_preempts_the_loop(database: SqliteDatabase) -> None:
    """SCHED_BATCH for the database thread only: the loop's own thread keeps its policy."""
    loop_policy = os.sched_getscheduler(0)

    def policy(connection: sqlite3.Connection) -> tuple[int, str]:
        return os.sched_getscheduler(0), threading.current_thread().name

    worker_policy, worker = await database.run(policy)

    assert worker.startswith("sqlite-state")
    assert worker_policy == os.SCHED_BATCH
    assert os.sched_getscheduler(0) == loop_policy == os.SCHED_OTHER

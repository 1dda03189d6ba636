"""D3 on SQLite: a put deletes a bounded number of expired rows, however many expired at once,
and a stream of puts still clears the backlog; claimed rows are never pruned."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bench.pending_blobs import NOW, mixed_changes, pending_change
from bot.domain.pending import PendingState
from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_pending import PRUNE_PER_PUT, SqlitePendingChanges

STORED = 10_000


def _changes(connection: sqlite3.Connection) -> int:
    return connection.total_changes


def _expired(connection: sqlite3.Connection) -> int:
    sql = "SELECT COUNT(*) FROM pending_changes WHERE expires_at_us <= ? AND state != 'claimed'"
    return int(connection.execute(sql, (int(NOW.timestamp() * 1_000_000),)).fetchone()[0])


@pytest.mark.slow  # fills 2,000 expired rows
async def test_a_put_touches_a_bounded_number_of_rows_with_2000_expired(tmp_path: Path) -> None:
    database = await SqliteDatabase.open(tmp_path / "state.sqlite3")
    try:
        store = SqlitePendingChanges(database)
        stored = mixed_changes(STORED)  # 2,000 expired an hour before NOW
        stuck = replace(stored[0], id="stuck", state=PendingState.CLAIMED)
        # each put as of when it was proposed: nothing is expired yet, nothing is pruned
        await asyncio.gather(
            *(
                store.put(replace(change, created_at=change.expires_at - timedelta(hours=2)))
                for change in [*stored, stuck]
            )
        )
        assert await database.run(_expired) == STORED // 5

        before = await database.run(_changes)
        await store.put(pending_change("new"))  # at NOW
        assert await database.run(_changes) - before == PRUNE_PER_PUT + 1  # not 2,001

        for n in range(STORED // 5 // (PRUNE_PER_PUT - 1)):
            await store.put(pending_change(f"more-{n}"))
        assert await database.run(_expired) == 0
        kept = await store.get("stuck")
        assert kept is not None
        assert kept.state is PendingState.CLAIMED
    finally:
        await database.aclose()

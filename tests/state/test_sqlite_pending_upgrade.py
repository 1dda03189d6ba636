"""An SQLite file written before claims were leases opens, keeps its changes, and a claim that
version left behind (a crash mid-save) can be taken over instead of being stuck (issue 13, D2)."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

from bench.pending_blobs import NOW
from bot.domain.pending import ClaimOutcome, PendingChange, PendingState
from bot.state.pending_codec import encode_pending
from bot.state.sqlite_state import open_sqlite_state
from tests.state.test_pending_changes_contract import ALICE, make_pending

_OLD_SCHEMA = """
CREATE TABLE pending_changes (
    id TEXT PRIMARY KEY,
    proposer_id TEXT NOT NULL,
    state TEXT NOT NULL,
    expires_at_us INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX pending_changes_expiry ON pending_changes (expires_at_us);
"""


def _old_body(change: PendingChange) -> str:
    """The JSON the previous version wrote: no lease fields."""
    document = json.loads(encode_pending(change))
    del document["claim_owner"], document["lease_until"]
    return json.dumps(document)


def _old_file(path: Path, *changes: PendingChange) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as connection:
        connection.executescript(_OLD_SCHEMA)
        connection.executemany(
            "INSERT INTO pending_changes VALUES (?, ?, ?, ?, ?)",
            [
                (
                    c.id,
                    c.proposer_id,
                    c.state.value,
                    round(c.expires_at.timestamp() * 1_000_000),
                    _old_body(c),
                )
                for c in changes
            ],
        )
    connection.close()


async def test_an_old_file_keeps_its_changes_and_frees_a_claim_it_left(tmp_path: Path) -> None:
    path = tmp_path / "state" / "old.sqlite3"
    stuck = make_pending("stuck", state=PendingState.CLAIMED)
    waiting = make_pending("waiting")
    _old_file(path, stuck, waiting)

    async with open_sqlite_state(path) as durable:
        assert await durable.pending.get("waiting") == waiting
        outcome, taken = await durable.pending.claim(
            "stuck", user_id=ALICE, now=NOW, lease=timedelta(seconds=80)
        )
        assert outcome is ClaimOutcome.RECLAIMED
        assert taken is not None
        await durable.pending.finish("stuck", PendingState.APPLIED, owner=taken.claim_owner)
        outcome, claimed = await durable.pending.claim("waiting", user_id=ALICE, now=NOW)
        assert outcome is ClaimOutcome.CLAIMED
        assert claimed is not None
        assert claimed.lease_until is not None

    async with open_sqlite_state(path) as reopened:  # upgraded once; opens again as it is
        stuck_now = await reopened.pending.get("stuck")
        assert stuck_now is not None
        assert stuck_now.state is PendingState.APPLIED

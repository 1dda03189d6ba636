"""SqlitePendingChanges: the PendingChanges port in SQLite, so a restart loses no proposal.

The claim is a compare-and-set in SQL (`UPDATE ... WHERE state = 'pending' AND proposer_id = ?
AND expires_at_us > ?`, then the row count): however many clicks, processes or redelivered
invokes race, exactly one UPDATE changes the row. The same kind of UPDATE takes over a claim
whose lease (`lease_until_us`) has run out, and `finish` matches the holder (`claim_owner`).
The `state`, `claim_owner` and `lease_until_us` columns are the truth; the body (the
PendingChange as JSON, `bot.state.pending_codec`) is read back with them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.pending import DEFAULT_CLAIM_LEASE, ClaimOutcome, PendingChange, PendingState
from bot.state.pending_changes import new_claim_owner, refusal
from bot.state.pending_codec import decode_pending, encode_pending
from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_times import instant, micros

_FINISHED = frozenset(
    {PendingState.APPLIED, PendingState.PENDING, PendingState.CANCELLED, PendingState.SUPERSEDED}
)
_CLAIM = (
    "UPDATE pending_changes SET state = 'claimed', claim_owner = :owner, lease_until_us = :lease "
    "WHERE id = :id AND state = 'pending' AND proposer_id = :user AND expires_at_us > :now"
)
_TAKE_OVER = (  # a claim whose holder is gone: its lease ran out (NULL: claimed before leases)
    "UPDATE pending_changes SET claim_owner = :owner, lease_until_us = :lease "
    "WHERE id = :id AND state = 'claimed' AND proposer_id = :user "
    "AND (lease_until_us IS NULL OR lease_until_us <= :now)"
)

# A put deletes at most PRUNE_PER_PUT expired, unclaimed rows (oldest first, on the expiry
# index): bounded work in the seller's turn however many expired at once, and since each put
# adds one row, the backlog still shrinks by PRUNE_PER_PUT - 1 rows per put.
PRUNE_PER_PUT = 64
_PRUNE = (
    "DELETE FROM pending_changes WHERE rowid IN (SELECT rowid FROM pending_changes "
    "WHERE expires_at_us <= ? AND state != 'claimed' ORDER BY expires_at_us LIMIT ?)"
)


class SqlitePendingChanges:
    """Implements `bot.domain.pending.PendingChanges` on a `SqliteDatabase` (shared by
    processes).
    """

    def __init__(self, database: SqliteDatabase) -> None:
        self._database = database

    async def put(self, change: PendingChange) -> None:
        row = (
            change.id,
            change.proposer_id,
            change.state.value,
            micros(change.expires_at),
            encode_pending(change),
        )
        now = micros(change.created_at)
        # the delete is housekeeping; the insert is the put: each stands alone
        await self._database.run(lambda connection: _put(connection, row, now), transaction=False)

    async def get(self, change_id: str) -> PendingChange | None:
        return await self._database.run(
            lambda connection: _get(connection, change_id), transaction=False
        )

    async def claim(
        self,
        change_id: str,
        *,
        user_id: str,
        now: datetime,
        lease: timedelta = DEFAULT_CLAIM_LEASE,
    ) -> tuple[ClaimOutcome, PendingChange | None]:
        args: dict[str, str | int] = {
            "id": change_id,
            "user": user_id,
            "now": micros(now),
            "owner": new_claim_owner(),
            "lease": micros(now + lease),
        }
        won, change = await self._database.run(lambda connection: _claim(connection, args))
        if won is not None:
            return won, change
        if change is None:
            return ClaimOutcome.NOT_FOUND, None
        if (refused := refusal(change, user_id)) is not None:
            return refused, change
        if now >= change.expires_at:
            return ClaimOutcome.EXPIRED, change
        return ClaimOutcome.IN_PROGRESS, change  # changed under us by another process

    async def finish(self, change_id: str, state: PendingState, *, owner: str) -> None:
        """Ends `owner`'s claim; a change not CLAIMED by `owner` (any more) is left as it is."""
        if state not in _FINISHED:
            raise ValueError(f"a claim cannot finish as {state}")
        sql = (
            "UPDATE pending_changes SET state = ? "
            "WHERE id = ? AND state = 'claimed' AND claim_owner = ?"
        )
        await self._database.run(
            lambda connection: connection.execute(sql, (state, change_id, owner)),
            transaction=False,
        )

    async def cancel(self, change_id: str, *, user_id: str) -> ClaimOutcome:
        """CANCELLED when it is (now or already) cancelled; otherwise why it was not."""
        sql = (
            "UPDATE pending_changes SET state = 'cancelled' "
            "WHERE id = ? AND proposer_id = ? AND state = 'pending'"
        )

        def work(connection: sqlite3.Connection) -> tuple[int, PendingChange | None]:
            count = connection.execute(sql, (change_id, user_id)).rowcount
            return count, _get(connection, change_id)

        count, change = await self._database.run(work)
        if count == 1:
            return ClaimOutcome.CANCELLED
        if change is None:
            return ClaimOutcome.NOT_FOUND
        return refusal(change, user_id) or ClaimOutcome.CANCELLED


def _put(connection: sqlite3.Connection, row: tuple[str, str, str, int, str], now: int) -> None:
    connection.execute(_PRUNE, (now, PRUNE_PER_PUT))
    connection.execute(
        "INSERT OR REPLACE INTO pending_changes (id, proposer_id, state, expires_at_us, body) "
        "VALUES (?, ?, ?, ?, ?)",
        row,
    )


def _get(connection: sqlite3.Connection, change_id: str) -> PendingChange | None:
    found = connection.execute(
        "SELECT state, body, claim_owner, lease_until_us FROM pending_changes WHERE id = ?",
        (change_id,),
    ).fetchone()
    if found is None:
        return None
    state, body, owner, lease_until = found
    return replace(
        decode_pending(body),
        state=PendingState(state),
        claim_owner=owner,
        lease_until=None if lease_until is None else instant(lease_until),
    )


def _claim(
    connection: sqlite3.Connection, args: dict[str, str | int]
) -> tuple[ClaimOutcome | None, PendingChange | None]:
    """CLAIMED or RECLAIMED when this call won (a takeover first), else None."""
    won: ClaimOutcome | None = None
    if connection.execute(_TAKE_OVER, args).rowcount == 1:
        won = ClaimOutcome.RECLAIMED
    elif connection.execute(_CLAIM, args).rowcount == 1:
        won = ClaimOutcome.CLAIMED
    return won, _get(connection, str(args["id"]))

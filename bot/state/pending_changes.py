"""MemoryPendingChanges: the PendingChanges port for one bot process.

A pending change is single use: `claim` is a compare-and-set PENDING -> CLAIMED under one
asyncio.Lock, so however many Confirm clicks, devices or redelivered invokes race, exactly one
caller gets CLAIMED and applies it. Only the proposer may claim or cancel. Whoever holds the
claim ends it with `finish` (APPLIED, back to PENDING when the write surely did not happen,
CANCELLED, or SUPERSEDED by a fresh proposal). A claim is a lease (`claim_owner`, `lease_until`):
once it runs out, the proposer's next click takes it over (RECLAIMED) and reconciles, and a late
`finish` from the holder it replaced changes nothing.

Memory is bounded: expired entries are dropped on every write, and past `max_entries` the
entries closest to expiry go first (claimed ones last). Expiries wait in a heap, so a write
looks only at what has expired, not at every stored change. A dropped entry reads as NOT_FOUND,
which the card actions explain as "expired, ask again". Issue 6 adds durable stores behind the same
Protocol (`tests/state/test_pending_changes_contract.py` is their shared contract).
"""

from __future__ import annotations

import asyncio
import heapq
import secrets
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.pending import DEFAULT_CLAIM_LEASE, ClaimOutcome, PendingChange, PendingState

_SETTLED = {
    PendingState.APPLIED: ClaimOutcome.ALREADY_APPLIED,
    PendingState.CLAIMED: ClaimOutcome.IN_PROGRESS,
    PendingState.CANCELLED: ClaimOutcome.CANCELLED,
    PendingState.SUPERSEDED: ClaimOutcome.EXPIRED,  # its state tells the caller why
}
_FINISHED = frozenset(
    {
        PendingState.APPLIED,
        PendingState.PENDING,
        PendingState.CANCELLED,
        PendingState.SUPERSEDED,
    }
)


def refusal(change: PendingChange, user_id: str) -> ClaimOutcome | None:
    """Why `user_id` may not act on `change` whatever the time (None: they may)."""
    if change.proposer_id != user_id:
        return ClaimOutcome.NOT_PROPOSER
    return _SETTLED.get(change.state)


def decide_claim(
    change: PendingChange | None, *, user_id: str, now: datetime, lease: timedelta
) -> tuple[ClaimOutcome, PendingChange | None, bool]:
    """The claim's answer, the change as it answers it, and whether that must be written.

    A claim with a lease run out is taken over by its proposer even past the change's expiry:
    whether its write landed is unknown until someone re-reads, and only a new claim may."""
    if change is None:
        return ClaimOutcome.NOT_FOUND, None, False
    takeover = change.proposer_id == user_id and change.lease_expired(now)
    if not takeover:
        refused = refusal(change, user_id)
        if refused is not None:
            return refused, change, False
        if now >= change.expires_at:
            return ClaimOutcome.EXPIRED, change, False
    claimed = replace(
        change,
        state=PendingState.CLAIMED,
        claim_owner=new_claim_owner(),
        lease_until=now + lease,
    )
    return (ClaimOutcome.RECLAIMED if takeover else ClaimOutcome.CLAIMED), claimed, True


def new_claim_owner() -> str:
    return secrets.token_urlsafe(12)


def holds_claim(change: PendingChange | None, owner: str) -> bool:
    """`finish` ends a claim only for the owner still holding it."""
    return (
        change is not None
        and change.state is PendingState.CLAIMED
        and (change.claim_owner == owner)
    )


class MemoryPendingChanges:
    """Implements `bot.domain.pending.PendingChanges` in memory (single process, lost on
    restart).
    """

    def __init__(self, *, max_entries: int = 10_000) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._changes: dict[str, PendingChange] = {}
        self._lock = asyncio.Lock()
        self._max_entries = max_entries
        self._expiries: list[tuple[datetime, str]] = []  # a heap; may hold stale entries

    async def put(self, change: PendingChange) -> None:
        async with self._lock:
            self._changes[change.id] = change
            self._expire_later(change)
            self._prune(now=change.created_at, keep=change.id)

    async def get(self, change_id: str) -> PendingChange | None:
        return self._changes.get(change_id)

    async def claim(
        self,
        change_id: str,
        *,
        user_id: str,
        now: datetime,
        lease: timedelta = DEFAULT_CLAIM_LEASE,
    ) -> tuple[ClaimOutcome, PendingChange | None]:
        async with self._lock:
            outcome, change, write = decide_claim(
                self._changes.get(change_id), user_id=user_id, now=now, lease=lease
            )
            if write and change is not None:
                self._changes[change_id] = change
            return outcome, change

    async def finish(self, change_id: str, state: PendingState, *, owner: str) -> None:
        """Ends `owner`'s claim; a change not CLAIMED by `owner` (any more) is left as it is."""
        if state not in _FINISHED:
            raise ValueError(f"a claim cannot finish as {state}")
        async with self._lock:
            change = self._changes.get(change_id)
            if change is not None and holds_claim(change, owner):
                self._changes[change_id] = replace(change, state=state)
                self._expire_later(change)  # a claim kept it past its expiry

    async def cancel(self, change_id: str, *, user_id: str) -> ClaimOutcome:
        """CANCELLED when it is (now or already) cancelled; otherwise why it was not."""
        async with self._lock:
            change = self._changes.get(change_id)
            if change is None:
                return ClaimOutcome.NOT_FOUND
            refused = refusal(change, user_id)
            if refused is not None:
                return refused
            self._changes[change_id] = replace(change, state=PendingState.CANCELLED)
            return ClaimOutcome.CANCELLED

    def __len__(self) -> int:
        return len(self._changes)

    def _expire_later(self, change: PendingChange) -> None:
        heapq.heappush(self._expiries, (change.expires_at, change.id))
        if len(self._expiries) > 2 * self._max_entries:  # stale entries of dropped changes
            self._expiries = [(c.expires_at, key) for key, c in self._changes.items()]
            heapq.heapify(self._expiries)

    def _prune(self, *, now: datetime, keep: str) -> None:
        while self._expiries and self._expiries[0][0] <= now:
            expires_at, key = heapq.heappop(self._expiries)
            change = self._changes.get(key)
            if change is None or change.expires_at != expires_at:
                continue  # dropped or replaced since
            if change.state is not PendingState.CLAIMED:  # claimed: pushed again by finish
                del self._changes[key]
        excess = len(self._changes) - self._max_entries
        if excess > 0:
            by_urgency = heapq.nsmallest(
                excess,
                (item for item in self._changes.items() if item[0] != keep),
                key=lambda item: (item[1].state is PendingState.CLAIMED, item[1].expires_at),
            )
            for key, _ in by_urgency:
                del self._changes[key]

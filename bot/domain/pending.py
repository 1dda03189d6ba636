"""A proposed change waiting for its proposer's Confirm, and the store that claims it once.

Shared by the dialogs (which propose), the card actions (which claim and apply) and the state
backends (which store): so it lives below all three.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from bot.domain.intent import ChangeIntent


class PendingState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"  # a Confirm click is applying it right now
    APPLIED = "applied"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"  # replaced by a fresh proposal after a 412


@dataclass(frozen=True)
class PendingChange:
    """A proposed change waiting for its proposer's Confirm; the card carries only `id`."""

    id: str  # random, unguessable
    proposer_id: str  # the proposer's AAD object id
    proposer_name: str
    tenant_id: str
    conversation_id: str
    referral_id: str
    etag: str  # the version the seller saw: the PATCH's If-Match
    intent: ChangeIntent  # to re-plan after a 412
    operations: tuple[dict[str, Any], ...]
    created_at: datetime
    expires_at: datetime
    state: PendingState = PendingState.PENDING
    # While CLAIMED: who holds the claim (random per claim) and until when. A claim whose lease
    # has run out (its holder crashed or hung) may be taken over and reconciled; "" / None on
    # changes stored before leases existed, which read as a lease long expired.
    claim_owner: str = ""
    lease_until: datetime | None = None
    # Issue 16 §4: a batch (one Confirm for several referrals) is a pending change that only lists
    # the ids of its items, each an ordinary pending change of its own, claimed and applied one
    # by one; a batch has no referral, eTag or operations of its own and is never claimed.
    batch_items: tuple[str, ...] = ()
    # Issue 17: proposed in a group conversation, the card posted there (no buttons), kept to
    # answer each viewer's refresh of it: the proposer gets it with Confirm/Cancel, others as is.
    # None in one-to-one chats, whose card is never refreshed.
    card: dict[str, Any] | None = None

    @property
    def is_batch(self) -> bool:
        return bool(self.batch_items)

    def lease_expired(self, now: datetime) -> bool:
        """A CLAIMED change whose holder is presumed gone: its lease has run out."""
        return self.state is PendingState.CLAIMED and (
            self.lease_until is None or now >= self.lease_until
        )


def batch_of(items: Sequence[PendingChange], batch_id: str) -> PendingChange:
    """The batch listing `items` (two or more proposed together, issue 16 §4): the first item's
    proposer, conversation and expiry, and nothing of a referral's own."""
    first = items[0]
    return replace(
        first,
        id=batch_id,
        referral_id="",
        etag="",
        operations=(),
        batch_items=tuple(item.id for item in items),
    )


class ClaimOutcome(StrEnum):
    CLAIMED = "claimed"  # this caller won the claim and must apply it
    # this caller took over a claim whose lease ran out (its holder crashed): whether the
    # holder's write landed is unknown, so it must reconcile (re-read) before anything else
    RECLAIMED = "reclaimed"
    NOT_FOUND = "not_found"
    NOT_PROPOSER = "not_proposer"
    EXPIRED = "expired"
    ALREADY_APPLIED = "already_applied"
    IN_PROGRESS = "in_progress"  # another click is applying it
    CANCELLED = "cancelled"


# How long a claim is held before another click may take it over and reconcile. It must outlast
# the claim's work: the PATCH and a re-read, each within Partner Center's deadline (25 s).
DEFAULT_CLAIM_LEASE = timedelta(seconds=80)


class PendingChanges(Protocol):
    async def put(self, change: PendingChange) -> None: ...

    async def get(self, change_id: str) -> PendingChange | None: ...

    async def claim(
        self,
        change_id: str,
        *,
        user_id: str,
        now: datetime,
        lease: timedelta = DEFAULT_CLAIM_LEASE,
    ) -> tuple[ClaimOutcome, PendingChange | None]:
        """Compare-and-set PENDING -> CLAIMED, only for the proposer; at most one caller wins.

        The winner holds a lease (a fresh `claim_owner`, `lease_until = now + lease`). A CLAIMED
        change whose lease has run out is taken over the same way (RECLAIMED), even past its
        expiry, so a crashed holder never strands it.
        """
        ...

    async def finish(self, change_id: str, state: PendingState, *, owner: str) -> None:
        """CLAIMED -> APPLIED, or back to PENDING when the write surely did not happen; only
        while `owner` still holds the claim (a holder that was taken over changes nothing)."""
        ...

    async def cancel(self, change_id: str, *, user_id: str) -> ClaimOutcome: ...

"""What the dialogs need from the outside world, as Protocols; bot/ provides the adapters.

Implementations raise only the ServiceError tree of bot.domain.errors (never HTTP or msal
errors), so the dialog layer never knows how the work is done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from botbuilder.core import TurnContext

from bot.auth.tokens import UserAssertion
from bot.domain.change import ReferralChange
from bot.domain.intent import ChangeIntent
from bot.domain.referral import Referral, Versioned
from dialogs.grammar.commands import ListKind


class ReferralsService(Protocol):
    async def get(self, referral_id: str, *, user: UserAssertion) -> Versioned[Referral]: ...

    async def find(self, text: str, *, user: UserAssertion, limit: int = 10) -> list[Referral]:
        """Referrals whose deal name, customer name or CRM id match `text`, best first."""
        ...

    async def list(
        self, kind: ListKind, *, user: UserAssertion, now: datetime, limit: int = 50
    ) -> list[Referral]: ...

    async def apply(
        self,
        referral_id: str,
        operations: Sequence[dict[str, Any]],
        *,
        if_match: str,
        user: UserAssertion,
    ) -> Versioned[Referral]: ...


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

    def lease_expired(self, now: datetime) -> bool:
        """A CLAIMED change whose holder is presumed gone: its lease has run out."""
        return self.state is PendingState.CLAIMED and (
            self.lease_until is None or now >= self.lease_until
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


class Clock(Protocol):
    def now(self) -> datetime: ...


class UserAssertions(Protocol):
    """The acting seller's assertion for this turn, or None when they must sign in first.

    Built from the authenticated activity (tenant + AAD object id), never from free text.
    Issue 5 backs it with Teams SSO; the demo and tests use the identity emulator's dev grant.
    """

    async def assertion(self, turn_context: TurnContext) -> UserAssertion | None: ...


@dataclass(frozen=True)
class DialogServices:
    """Everything the dialogs and card actions use, injected by the composition root."""

    referrals: ReferralsService
    pending: PendingChanges
    clock: Clock
    assertions: UserAssertions
    portal_url: str  # link to the referral in Partner Center: f"{portal_url}/{referral_id}"
    pending_ttl: timedelta = timedelta(minutes=30)
    claim_lease: timedelta = DEFAULT_CLAIM_LEASE
    sign_in_connection: str = ""  # the Azure Bot OAuth connection; empty = no sign-in prompt


def proposal_of(change: ReferralChange) -> tuple[str, tuple[dict[str, Any], ...]]:
    """The part of a planned change a PendingChange stores besides who and when."""
    return change.referral_id, change.operations

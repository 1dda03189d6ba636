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


class ClaimOutcome(StrEnum):
    CLAIMED = "claimed"  # this caller won the claim and must apply it
    NOT_FOUND = "not_found"
    NOT_PROPOSER = "not_proposer"
    EXPIRED = "expired"
    ALREADY_APPLIED = "already_applied"
    IN_PROGRESS = "in_progress"  # another click is applying it
    CANCELLED = "cancelled"


class PendingChanges(Protocol):
    async def put(self, change: PendingChange) -> None: ...

    async def get(self, change_id: str) -> PendingChange | None: ...

    async def claim(
        self, change_id: str, *, user_id: str, now: datetime
    ) -> tuple[ClaimOutcome, PendingChange | None]:
        """Compare-and-set PENDING -> CLAIMED, only for the proposer; at most one caller wins."""
        ...

    async def finish(self, change_id: str, state: PendingState) -> None:
        """CLAIMED -> APPLIED, or back to PENDING when the write surely did not happen."""
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
    sign_in_connection: str = ""  # the Azure Bot OAuth connection; empty = no sign-in prompt


def proposal_of(change: ReferralChange) -> tuple[str, tuple[dict[str, Any], ...]]:
    """The part of a planned change a PendingChange stores besides who and when."""
    return change.referral_id, change.operations

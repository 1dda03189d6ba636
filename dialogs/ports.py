"""What the dialogs need from the outside world, as Protocols; bot/ provides the adapters.

Implementations raise only the ServiceError tree of bot.domain.errors (never HTTP or msal
errors), so the dialog layer never knows how the work is done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from botbuilder.core import TurnContext

from bot.domain.assertion import UserAssertion
from bot.domain.change import ReferralChange
from bot.domain.list_kinds import ListKind
from bot.domain.list_query import ListQuery, ListTally
from bot.domain.pending import DEFAULT_CLAIM_LEASE, PendingChanges
from bot.domain.proactive import DigestSchedule, Reference
from bot.domain.referral import Referral, Versioned


class ReferralsService(Protocol):
    async def get(self, referral_id: str, *, user: UserAssertion) -> Versioned[Referral]: ...

    async def find(self, text: str, *, user: UserAssertion, limit: int = 10) -> list[Referral]:
        """Referrals whose deal name, customer name or CRM id match `text`, best first."""
        ...

    async def list(
        self,
        wanted: ListKind | ListQuery,
        *,
        user: UserAssertion,
        now: datetime,
        limit: int = 50,
    ) -> list[Referral]: ...

    async def tally(
        self, wanted: ListKind | ListQuery, *, user: UserAssertion, now: datetime
    ) -> ListTally:
        """How many referrals a list holds, and their values summed per currency."""
        ...

    async def apply(
        self,
        referral_id: str,
        operations: Sequence[dict[str, Any]],
        *,
        if_match: str,
        user: UserAssertion,
    ) -> Versioned[Referral]: ...


class Clock(Protocol):
    def now(self) -> datetime: ...


class UserAssertions(Protocol):
    """The acting seller's assertion for this turn, or None when they must sign in first.

    Built from the authenticated activity (tenant + AAD object id), never from free text.
    Issue 5 backs it with Teams SSO; the demo and tests use the identity emulator's dev grant.
    """

    async def assertion(self, turn_context: TurnContext) -> UserAssertion | None: ...


class PostedConfirmCards(Protocol):
    """Remembers a confirm card posted in a group conversation, so that the message can be
    updated for everyone once the change is confirmed, cancelled or expired (issue 17 §4)."""

    async def posted(
        self, pending_id: str, expires_at: datetime, reference: Reference, activity_id: str
    ) -> None: ...


class LeadAlertSettings(Protocol):
    """Issue 17: who the bot tells about new leads; bot.inbound.alert_settings keeps them in
    the state backend (the turn's seller and channel are read from the turn itself)."""

    async def set_lead_alerts(self, context: TurnContext, *, on: bool) -> bool:
        """The seller's own alerts; False when they already were so. A seller the bot has
        not stored yet (installed before issue 17) is stored from this turn."""
        ...

    async def subscribe_channel(self, context: TurnContext) -> None:
        """New leads are posted in the turn's channel, subscribed by the turn's sender."""
        ...

    async def unsubscribe_channel(self, context: TurnContext) -> bool:
        """False when the channel was not subscribed."""
        ...


@dataclass(frozen=True)
class DigestChange:
    """What "send me a digest …" / "stop the digest" did (issue 17 §4)."""

    known: bool  # False: the seller has no personal chat with the bot yet; nothing was stored
    before: DigestSchedule | None = None
    next_at: datetime | None = None  # the first digest after the change, in the seller's zone


class DigestSettings(Protocol):
    """The seller's digest on their Recipient record (bot.alerts.digest_settings)."""

    async def set_digest(
        self,
        *,
        tenant_id: str,
        user_id: str,
        schedule: DigestSchedule | None,
        time_zone: str | None,
        now: datetime,
    ) -> DigestChange:
        """`schedule` None stops it; `time_zone` is the turn's IANA zone when Teams sent one."""
        ...


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
    # group conversations' confirm cards, updated for everyone when they end; None: not kept
    confirm_cards: PostedConfirmCards | None = None
    digests: DigestSettings | None = None  # issue 17 §4; None: the bot offers no digest
    # False: the client runs no per-user refresh, so group confirm cards carry their buttons
    user_specific_views: bool = True
    alerts: LeadAlertSettings | None = None  # issue 17; None: the commands say it is not set up


def proposal_of(change: ReferralChange) -> tuple[str, tuple[dict[str, Any], ...]]:
    """The part of a planned change a PendingChange stores besides who and when."""
    return change.referral_id, change.operations

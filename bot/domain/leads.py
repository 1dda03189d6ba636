"""Incoming leads (issue 17): when one is still open, how it was decided, and the lead store's port.

A lead is open while it is an incoming referral with status New. It leaves New when someone
accepts or declines it (through the bot or in Partner Center's own UI) or when Partner Center
marks it expired. The bot records the decisions made through its cards (who, when, what, why), so
every copy of the lead's card can say "Accepted by Megan Bowen"; a decision it did not see made
is read back from the referral itself ("Accepted in Partner Center"). Shared by the alerts, the
card actions, the cards and the state backends, so it lives below all of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, TypeGuard

from bot.domain.errors import InvalidChangeError
from bot.domain.referral import Direction, Referral, Status, Substatus

REASON_LIMIT = 500  # characters: the grammar's limit for a spoken reason too
NO_REASON = "Please tell me why you're declining this lead (a few words), then click Decline again."
LONG_REASON = f"Please keep the reason under {REASON_LIMIT} characters, then click Decline again."
# What a referral id looks like (Partner Center's are GUIDs): an event's ResourceUri segment and a
# card's data are checked against it before anything reads Partner Center with them.
_REFERRAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,127}")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


class LeadOutcome(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    CLOSED = "closed"  # closed another way (Won or Lost straight from New)


@dataclass(frozen=True)
class LeadDecision:
    """How a lead left New. `by_user_id` empty: not through the bot (seen in Partner Center)."""

    referral_id: str
    outcome: LeadOutcome
    decided_at: datetime | None = None  # aware; None when nobody says when
    by_name: str = ""
    by_user_id: str = ""
    reason: str | None = None
    substatus: str | None = None  # for CLOSED: what it closed as ("Won", "Lost")

    @property
    def through_bot(self) -> bool:
        return bool(self.by_user_id)


@dataclass(frozen=True)
class LeadOffer:
    """The Accept and Decline pending changes on one recipient's card, for one version (eTag)."""

    referral_id: str
    user_id: str
    accept_id: str
    decline_id: str
    etag: str


class LeadRecords(Protocol):
    """What the bot keeps about lead alerts, shared by its instances (the state backend)."""

    async def decision(self, referral_id: str) -> LeadDecision | None: ...

    async def decide(self, decision: LeadDecision) -> None:
        """The decision made through a card; written after Partner Center applied it."""
        ...

    async def offer(self, referral_id: str, user_id: str) -> LeadOffer | None: ...

    async def offer_made(self, offer: LeadOffer) -> None: ...

    async def reader(self) -> tuple[str, str] | None:
        """(tenant id, user id) of the seller whose read last succeeded for a referral they are
        not on the team of: they read everything (a Referral Admin), so they are tried first."""
        ...

    async def remember_reader(self, tenant_id: str, user_id: str) -> None: ...

    async def forget_reader(self) -> None: ...


def is_referral_id(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and _REFERRAL_ID.fullmatch(value) is not None


def is_open_lead(referral: Referral) -> bool:
    return referral.direction == Direction.INCOMING and referral.status == Status.NEW


def has_expired(referral: Referral, now: datetime) -> bool:
    """Past `expirationDateTime`, whether or not Partner Center has marked it yet."""
    expires = referral.expiration_date_time
    return expires is not None and now >= expires


def seen_decision(referral: Referral) -> LeadDecision | None:
    """How the referral shows it left New, as read (None while it is still New)."""
    if referral.status == Status.NEW or referral.status is None:
        return None
    if referral.status == Status.ACTIVE:
        return LeadDecision(referral.id, LeadOutcome.ACCEPTED, referral.accepted_date_time)
    outcome = _closed_as(referral.substatus)
    reason = referral.status_reason if outcome is LeadOutcome.DECLINED else None
    substatus = None if referral.substatus is None else str(referral.substatus)
    return LeadDecision(
        referral.id, outcome, referral.closed_date_time, reason=reason, substatus=substatus
    )


def _closed_as(substatus: str | None) -> LeadOutcome:
    if substatus == Substatus.DECLINED:
        return LeadOutcome.DECLINED
    if substatus == Substatus.EXPIRED:
        return LeadOutcome.EXPIRED
    return LeadOutcome.CLOSED


def expired_decision(referral_id: str, expires_at: datetime | None) -> LeadDecision:
    return LeadDecision(referral_id, LeadOutcome.EXPIRED, expires_at)


def clean_reason(text: object) -> str:
    """A decline reason typed on the card: one line, no control characters, not empty, bounded.
    Raises InvalidChangeError with the sentence to say (nothing is changed then)."""
    cleaned = _SPACES.sub(" ", _CONTROL.sub(" ", text if isinstance(text, str) else "")).strip()
    if not cleaned:
        raise InvalidChangeError(NO_REASON)
    if len(cleaned) > REASON_LIMIT:
        raise InvalidChangeError(LONG_REASON)
    return cleaned


def with_reason(operations: Sequence[dict[str, Any]], reason: str) -> tuple[dict[str, Any], ...]:
    """A decline's operations plus its `statusReason` (JSON Patch `add` sets a member whether or
    not it is there): the reason is known only at the click, the status moves were planned when
    the card was sent."""
    kept = tuple(op for op in operations if op.get("path") != "/statusReason")
    return (*kept, {"op": "add", "path": "/statusReason", "value": reason})

"""Plan a change: (current referral, seller's intent) -> RFC 6902 add/replace operations.

Pure: no I/O and no clock (`now` is passed in, in the seller's time zone).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.intent import ChangeIntent
from bot.domain.referral import Referral

WRITABLE_PATHS = frozenset(
    {
        "/status",
        "/substatus",
        "/statusReason",
        "/salesStage",
        "/name",
        "/externalReferenceId",
        "/details/dealValue",
        "/details/currency",
        "/details/closingDateTime",
        "/details/notes",
        "/team",
        "/team/-",
    }
)


@dataclass(frozen=True)
class FieldChange:
    """One row of the confirm card, in the seller's words."""

    label: str  # "Status", "Deal value", "Close date", "Notes", "Team", …
    before: str  # "Active (Accepted)", "USD 150,000", "—" when empty
    after: str


@dataclass(frozen=True)
class ReferralChange:
    referral_id: str
    intent: ChangeIntent
    operations: tuple[dict[str, Any], ...]  # RFC 6902, "add"/"replace" only, WRITABLE_PATHS only
    before: Referral
    after: Referral  # the after-image: `before` with the operations applied
    fields: tuple[FieldChange, ...]
    warnings: tuple[str, ...] = field(default=())  # e.g. Won within 72 h; a close date in the past
    irreversible: bool = False  # won, lost, declined: Closed is final


def plan_change(referral: Referral, intent: ChangeIntent, *, now: datetime) -> ReferralChange:
    """Raises TransitionNotAllowedError, NothingToChangeError or InvalidChangeError."""
    raise NotImplementedError  # implemented by the planning work of issue 4

"""What a seller asked to change, independent of wording: the grammar's output, the planner's input.

Kept apart from the referral itself so that a pending change can be re-planned against a newer
version of the referral (after a 412) from the seller's intent, not from stale operations.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from bot.domain.referral import SalesStage


class Outcome(StrEnum):
    WON = "won"
    LOST = "lost"
    DECLINED = "declined"  # only for new incoming leads
    ACCEPTED = "accepted"  # accept an incoming lead: New -> Active/Accepted


@dataclass(frozen=True)
class Money:
    amount: Decimal  # > 0, at most 2 decimals
    currency: str | None = None  # ISO 4217, upper case; None = keep the referral's currency


@dataclass(frozen=True)
class NoteEdit:
    text: str
    replace: bool = False  # False: append with a date stamp, never losing the old note


@dataclass(frozen=True)
class MemberSpec:
    """A seller to add to the referral's team; the dialog asks for what is missing."""

    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone_number: str | None = None

    @property
    def is_complete(self) -> bool:
        return bool(self.email and self.first_name and self.last_name)


# Issue 16, section 3: changes relative to the referral's current values (docs/sellers.md).
Step = Literal[1, -1]  # +1: later, higher, the next stage; -1: earlier, lower, the previous one


class ShiftUnit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"  # calendar months, clamped to the month's last day (Jan 31 + 1 = Feb 28)
    YEARS = "years"


@dataclass(frozen=True)
class Shift:
    """Move the close date from its current value: "slip it by two weeks" = Shift(2, WEEKS)."""

    count: int  # > 0 later, < 0 earlier
    unit: ShiftUnit


@dataclass(frozen=True)
class Percent:
    value: Decimal  # > 0: "15%" is Decimal(15)


@dataclass(frozen=True)
class ValueDelta:
    """Raise (+1) or cut (-1) the current deal value by an amount or a percentage of it."""

    by: Money | Percent
    sign: Step


@dataclass(frozen=True)
class ChangeIntent:
    outcome: Outcome | None = None
    reason: str | None = None  # statusReason for lost/declined
    deal_value: Money | None = None
    close_date: date | None = None
    note: NoteEdit | None = None
    sales_stage: SalesStage | None = None
    deal_name: str | None = None
    external_reference_id: str | None = None
    add_members: tuple[MemberSpec, ...] = field(default=())
    remove_members: tuple[str, ...] = field(default=())  # e-mail addresses or names
    # Relative changes, planned against the referral as it is when the card is shown (and again
    # after a 412: bot/domain/relative_changes.py).
    close_date_shift: Shift | None = None
    deal_value_delta: ValueDelta | None = None
    stage_step: Step | None = None

    @property
    def is_empty(self) -> bool:
        return self == ChangeIntent()

    @property
    def is_relative(self) -> bool:
        """Planned against the current values: planning it twice moves them twice."""
        return not (
            self.close_date_shift is None
            and self.deal_value_delta is None
            and self.stage_step is None
        )

    def merged(self, other: ChangeIntent) -> ChangeIntent:
        """Several changes in one message: later values win, member lists add up."""
        values = {
            name: getattr(other, name)
            for name in self.__dataclass_fields__
            if getattr(other, name) not in (None, ())
        }
        values["add_members"] = self.add_members + other.add_members
        values["remove_members"] = self.remove_members + other.remove_members
        return replace(self, **values)

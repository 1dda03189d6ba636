"""Relative changes ("slip it by two weeks", "cut it by 15%", "next stage") as absolute values.

They are resolved against the referral the planner is given, which is the version read fresh
for the confirm card, so the card shows old → new in numbers and the seller confirms those, not
arithmetic. After a 412 the confirm flow re-plans the same intent against the new version: the
delta then applies to the value someone else just set, and a fresh card shows the new numbers
before anything is written (docs/reliability.md, "Relative changes after a 412").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

from bot.domain.errors import InvalidChangeError
from bot.domain.formatting import format_money, format_referral, format_stage
from bot.domain.intent import ChangeIntent, Money, Percent, Shift, ShiftUnit, Step, ValueDelta
from bot.domain.referral import Referral, SalesStage

MAX_SHIFT_DAYS = 3660  # about ten years either way; further is a typo, not a plan
_CENT = Decimal("0.01")
_STAGES = tuple(SalesStage)
_STAGE_NAMES = tuple(stage.value for stage in _STAGES)
_STAGES_IN_WORDS = ", ".join(_STAGE_NAMES[:-1]) + f" or {_STAGE_NAMES[-1]}"
_ONE = {
    ShiftUnit.DAYS: relativedelta(days=1),
    ShiftUnit.WEEKS: relativedelta(weeks=1),
    ShiftUnit.MONTHS: relativedelta(months=1),
    ShiftUnit.YEARS: relativedelta(years=1),
}


def resolve_relative(referral: Referral, intent: ChangeIntent) -> ChangeIntent:
    """The intent with every relative part replaced by the absolute value it means here.

    Raises InvalidChangeError with a sentence saying what would work instead.
    """
    if not intent.is_relative:
        return intent
    _refuse_both(intent)
    label = format_referral(referral.name, referral.id)
    return replace(
        intent,
        close_date=_shifted_close_date(referral, intent.close_date_shift, label)
        or intent.close_date,
        deal_value=_changed_value(referral, intent.deal_value_delta, label) or intent.deal_value,
        sales_stage=_stepped_stage(referral, intent.stage_step, label) or intent.sales_stage,
        close_date_shift=None,
        deal_value_delta=None,
        stage_step=None,
    )


def _refuse_both(intent: ChangeIntent) -> None:
    pairs = (
        (intent.close_date, intent.close_date_shift, "sets and moves the close date"),
        (intent.deal_value, intent.deal_value_delta, "sets and changes the deal value by"),
        (intent.sales_stage, intent.stage_step, "names a stage and steps the stage"),
    )
    for absolute, relative, what in pairs:
        if absolute is not None and relative is not None:
            raise InvalidChangeError(f"That message both {what}; which one do you mean?")


def describe_shift(shift: Shift) -> str:
    """'2 weeks later', '1 month earlier'."""
    count = abs(shift.count)
    unit = shift.unit.value if count != 1 else shift.unit.value[:-1]
    return f"{count} {unit} {'later' if shift.count > 0 else 'earlier'}"


def _shifted_close_date(referral: Referral, shift: Shift | None, label: str) -> date | None:
    if shift is None:
        return None
    stored = referral.details.closing_date_time if referral.details else None
    if stored is None:
        raise InvalidChangeError(
            f"{label} has no close date yet, so I can't move it {describe_shift(shift)}. "
            "Tell me the date instead, like “push it to end of next month”."
        )
    old = stored.astimezone(UTC).date()
    try:
        moved: date = old + _ONE[shift.unit] * shift.count
    except (OverflowError, ValueError):
        moved = date.max
    if shift.count == 0 or abs((moved - old).days) > MAX_SHIFT_DAYS:
        raise InvalidChangeError(
            "That moves the close date too far; tell me the new date instead, like “end of Q1”."
        )
    return moved


def _changed_value(referral: Referral, delta: ValueDelta | None, label: str) -> Money | None:
    if delta is None:
        return None
    details = referral.details
    old = details.deal_value if details else None
    currency = details.currency if details else None
    verb = "raise" if delta.sign > 0 else "cut"
    if old is None:
        raise InvalidChangeError(
            f"{label} has no deal value yet, so there is nothing to {verb}. "
            "Set one instead, like “set the value to 150k”."
        )
    by = delta.by
    if isinstance(by, Money) and by.currency and currency and by.currency != currency:
        raise InvalidChangeError(
            f"The deal value of {label} is in {currency}, not {by.currency}. Say the amount in "
            f"{currency}, or set the new value with its currency, like “set the value to "
            f"{by.currency} 150k”."
        )
    new = _apply_delta(old, by, delta.sign)
    if new <= 0:
        raise InvalidChangeError(
            f"Cutting {format_money(old, currency)} by {_describe_by(by, currency)} would leave "
            "nothing: a deal value has to stay above zero. Say the new value instead, like "
            "“set the value to 50k”."
        )
    # No currency on the referral yet: the one the seller named comes with the new value.
    return Money(new, None if currency else (by.currency if isinstance(by, Money) else None))


def _apply_delta(old: Decimal, by: Money | Percent, sign: Step) -> Decimal:
    """Money is exact; a percentage is rounded to cents, halves up (as sellers round)."""
    change = by.amount if isinstance(by, Money) else old * by.value / 100
    new = (old + sign * change).quantize(_CENT, rounding=ROUND_HALF_UP)
    return new.quantize(Decimal(1)) if new == new.to_integral_value() else new


def _describe_by(by: Money | Percent, currency: str | None) -> str:
    if isinstance(by, Percent):
        return f"{by.value.normalize():f}%"
    return format_money(by.amount, by.currency or currency)


def _stepped_stage(referral: Referral, step: Step | None, label: str) -> SalesStage | None:
    if step is None:
        return None
    current = referral.sales_stage
    if current is None or str(current) not in _STAGE_NAMES:
        raise InvalidChangeError(
            f"{label} has no sales stage I can step from yet. Say which one: {_STAGES_IN_WORDS}."
        )
    at = _STAGE_NAMES.index(str(current)) + step
    if at >= len(_STAGES):
        raise InvalidChangeError(
            f"{label} is already at the last sales stage, {format_stage(str(current))}. "
            "To finish it, mark it won or lost."
        )
    if at < 0:
        raise InvalidChangeError(
            f"{label} is already at the first sales stage, {format_stage(str(current))}."
        )
    return _STAGES[at]

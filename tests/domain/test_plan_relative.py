"""Relative changes planned against the current referral: old -> new in absolute values."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.change import already_applied
from bot.domain.errors import InvalidChangeError, TransitionNotAllowedError
from bot.domain.intent import Money, Percent, Shift, ShiftUnit, ValueDelta
from bot.domain.referral import SalesStage
from tests.domain.planning import LABEL, make_referral, ops, plan, rows


def with_details(**details: Any) -> Any:
    base = {"notes": "Intro call done.", "dealValue": 100000, "currency": "USD"}
    base["closingDateTime"] = "2027-01-29T00:00:00Z"
    base.update(details)
    return make_referral(details={k: v for k, v in base.items() if v is not ...})


@pytest.mark.parametrize(
    ("shift", "after", "shown"),
    [
        (Shift(2, ShiftUnit.WEEKS), "2027-02-12T00:00:00Z", "Fri 12 Feb 2027"),
        (Shift(-10, ShiftUnit.DAYS), "2027-01-19T00:00:00Z", "Tue 19 Jan 2027"),
        (Shift(1, ShiftUnit.MONTHS), "2027-02-28T00:00:00Z", "Sun 28 Feb 2027"),  # clamped
        (Shift(1, ShiftUnit.YEARS), "2028-01-29T00:00:00Z", "Sat 29 Jan 2028"),
    ],
)
def test_a_close_date_shift_shows_old_and_new_dates(shift: Shift, after: str, shown: str) -> None:
    change = plan(
        with_details(closingDateTime="2027-01-31T00:00:00Z")
        if shift.unit is ShiftUnit.MONTHS
        else make_referral(),
        close_date_shift=shift,
    )
    assert ops(change) == [{"op": "replace", "path": "/details/closingDateTime", "value": after}]
    assert rows(change)[0][0] == "Close date"
    assert rows(change)[0][2] == shown
    assert change.intent.close_date_shift == shift  # kept for a re-plan after a 412


@pytest.mark.parametrize(
    ("delta", "before", "after"),
    [
        (ValueDelta(Money(Decimal(20000)), 1), "USD 100,000", "USD 120,000"),
        (ValueDelta(Money(Decimal(5000), "USD"), -1), "USD 100,000", "USD 95,000"),
        (ValueDelta(Percent(Decimal(15)), -1), "USD 100,000", "USD 85,000"),
        (ValueDelta(Percent(Decimal("2.5")), 1), "USD 100,000", "USD 102,500"),
        (ValueDelta(Percent(Decimal(25)), 1), "USD 100,000", "USD 125,000"),
    ],
)
def test_a_value_delta_shows_old_and_new_amounts(
    delta: ValueDelta, before: str, after: str
) -> None:
    assert rows(plan(make_referral(), deal_value_delta=delta)) == [("Deal value", before, after)]


def test_a_percentage_is_rounded_to_cents_halves_up() -> None:
    referral = with_details(dealValue=100.05)
    change = plan(referral, deal_value_delta=ValueDelta(Percent(Decimal(10)), 1))
    assert ops(change)[0]["value"] == 110.06  # 110.055


@pytest.mark.parametrize(
    ("stage", "direction", "after"),
    [
        ("Qualify", 1, "Develop (40%)"),
        ("Propose", 1, "Close (80%)"),
        ("Close", -1, "Propose (60%)"),
    ],
)
def test_a_stage_step(stage: str, direction: int, after: str) -> None:
    change = plan(make_referral(salesStage=stage), stage_step=direction)
    assert rows(change)[0][2] == after


@pytest.mark.parametrize(
    ("referral", "intent", "words"),
    [
        (
            with_details(closingDateTime=...),
            {"close_date_shift": Shift(1, ShiftUnit.WEEKS)},
            "has no close date yet",
        ),
        (
            with_details(dealValue=...),
            {"deal_value_delta": ValueDelta(Percent(Decimal(5)), 1)},
            "has no deal value yet",
        ),
        (make_referral(salesStage="Close"), {"stage_step": 1}, "already at the last sales stage"),
        (make_referral(salesStage="Qualify"), {"stage_step": -1}, "first sales stage"),
        (make_referral(salesStage=None), {"stage_step": 1}, "Qualify, Develop, Propose or Close"),
        (
            make_referral(),
            {"deal_value_delta": ValueDelta(Percent(Decimal(100)), -1)},
            "has to stay above zero",
        ),
        (
            make_referral(),
            {"deal_value_delta": ValueDelta(Money(Decimal(150000)), -1)},
            "has to stay above zero",
        ),
        (
            make_referral(),
            {"deal_value_delta": ValueDelta(Money(Decimal(5), "EUR"), 1)},
            "is in USD, not EUR",
        ),
        (make_referral(), {"close_date_shift": Shift(20, ShiftUnit.YEARS)}, "too far"),
        (
            make_referral(),
            {"close_date_shift": Shift(1, ShiftUnit.WEEKS), "close_date": date(2027, 3, 1)},
            "sets and moves the close date",
        ),
    ],
)
def test_refusals_say_why_and_what_works(referral: Any, intent: Any, words: str) -> None:
    with pytest.raises(InvalidChangeError) as refused:
        plan(referral, **intent)
    assert words in refused.value.user_message
    assert "Traceback" not in refused.value.user_message


def test_labels_name_the_referral() -> None:
    with pytest.raises(InvalidChangeError, match=LABEL.replace("(", r"\(").replace(")", r"\)")):
        plan(make_referral(salesStage="Close"), stage_step=1)


def test_a_closed_referral_is_final_before_any_arithmetic() -> None:
    with pytest.raises(TransitionNotAllowedError):
        plan(make_referral(status="Closed", substatus="Won"), stage_step=1)


def test_a_currency_given_for_a_referral_without_one_comes_with_the_new_value() -> None:
    change = plan(
        with_details(currency=...), deal_value_delta=ValueDelta(Money(Decimal(5), "EUR"), 1)
    )
    assert rows(change) == [("Deal value", "100,000", "EUR 100,005")]


def test_already_applied_tells_a_landed_relative_change_from_one_still_to_make() -> None:
    change = plan(make_referral(), close_date_shift=Shift(2, ShiftUnit.WEEKS))
    assert already_applied(change.after, change.operations)
    assert not already_applied(change.before, change.operations)


_DAY = st.dates(date(2001, 1, 1), date(2090, 12, 31))
_AMOUNT = st.decimals(Decimal("0.01"), Decimal(10**9), places=2)


@given(
    day=_DAY,
    count=st.integers(-120, 120).filter(bool),
    unit=st.sampled_from([ShiftUnit.DAYS, ShiftUnit.WEEKS, ShiftUnit.MONTHS]),
)
def test_property_a_shifted_close_date_is_the_old_one_plus_the_calendar_delta(
    day: date, count: int, unit: ShiftUnit
) -> None:
    stored = datetime(day.year, day.month, day.day, tzinfo=UTC).isoformat().replace("+00:00", "Z")
    change = plan(with_details(closingDateTime=stored), close_date_shift=Shift(count, unit))
    assert change.after.details is not None
    assert change.after.details.closing_date_time
    expected = (
        day
        + {
            ShiftUnit.DAYS: relativedelta(days=count),
            ShiftUnit.WEEKS: relativedelta(weeks=count),
            ShiftUnit.MONTHS: relativedelta(months=count),
        }[unit]
    )
    assert change.after.details.closing_date_time.date() == expected


@given(old=_AMOUNT, by=_AMOUNT, sign=st.sampled_from([1, -1]))
def test_property_a_money_delta_is_exact(old: Decimal, by: Decimal, sign: int) -> None:
    referral = with_details(dealValue=str(old))
    expected = old + sign * by
    intent = ValueDelta(Money(by), 1 if sign > 0 else -1)
    if expected <= 0 or expected >= 10**12:
        with pytest.raises(InvalidChangeError):
            plan(referral, deal_value_delta=intent)
        return
    change = plan(referral, deal_value_delta=intent)
    assert change.after.details is not None
    assert change.after.details.deal_value == expected


@given(
    old=_AMOUNT,
    percent=st.decimals(Decimal("0.01"), Decimal(99), places=2),
    sign=st.sampled_from([1, -1]),
)
def test_property_a_percentage_delta_is_the_old_value_times_the_share_in_cents(
    old: Decimal, percent: Decimal, sign: int
) -> None:
    referral = with_details(dealValue=str(old))
    expected = (old + sign * old * percent / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    intent = ValueDelta(Percent(percent), 1 if sign > 0 else -1)
    if expected <= 0 or expected == old:
        return  # rounding to cents leaves nothing to change or nothing at all: refused elsewhere
    change = plan(referral, deal_value_delta=intent)
    assert change.after.details is not None
    assert change.after.details.deal_value == expected


@given(stage=st.sampled_from(list(SalesStage)), direction=st.sampled_from([1, -1]))
def test_property_a_stage_step_moves_one_place_or_is_refused(
    stage: SalesStage, direction: int
) -> None:
    order = list(SalesStage)
    at = order.index(stage) + direction
    referral = make_referral(salesStage=stage.value)
    if not 0 <= at < len(order):
        with pytest.raises(InvalidChangeError):
            plan(referral, stage_step=direction)
        return
    assert plan(referral, stage_step=direction).after.sales_stage == order[at]

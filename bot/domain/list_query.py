"""A list a seller asks for, as a composable filter: which referrals, in what order, how many.

Pure data: the grammar builds it (dialogs/grammar/list_rules.py), the referral index evaluates it
(bot/referrals/seller_index.py) and SellerMemory stores it for "more" (`to_json`/`from_json`).
Periods stay relative ("next quarter") until evaluated against the seller's `now`, so a stored
query means the same thing as when it was asked. The four `ListKind`s are presets of it.

Decisions (docs/sellers.md lists them for sellers):
- A week starts on Monday; months, quarters and years are the seller's calendar ones, in the
  time zone of the `now` given to `bounds`.
- Statuses combine with "or": "won or lost deals"; no status means every referral.
- "my" is the seller's view (what Partner Center lets them see, as the presets always read it);
  only "mine" / "assigned to me" filters on the seller being on the referral's team.
- Values compare within a currency: "over 250k" keeps any currency's referrals over 250,000 of
  their own currency, "over USD 250k" only USD ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from bot.domain.list_kinds import ListKind


class ListStatus(StrEnum):
    OPEN = "open"  # not closed
    WON = "won"
    LOST = "lost"
    DECLINED = "declined"
    EXPIRED = "expired"
    NEW_LEAD = "new_lead"  # New and incoming: waiting for the partner's answer
    ACCEPTED = "accepted"


class DateField(StrEnum):
    CLOSE = "close"
    EXPIRATION = "expiration"


class PeriodUnit(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Order(StrEnum):
    RECENTLY_UPDATED = "recently_updated"  # updated desc, nulls last
    OLDEST_CREATED = "oldest_created"  # created asc, nulls first (new leads)
    CLOSING_SOONEST = "closing_soonest"  # close asc, nulls last
    EXPIRING_SOONEST = "expiring_soonest"
    BIGGEST = "biggest"  # value desc, nulls last
    SMALLEST = "smallest"


class Measure(StrEnum):
    LIST = "list"
    COUNT = "count"
    TOTAL = "total"  # the deal values summed, per currency


@dataclass(frozen=True)
class Period:
    """[start, end) on one date field. Relative (`unit`, `offset` 0 this, 1 next, -1 last, `span`
    units long) or absolute (`after` inclusive, `before` exclusive, seller calendar days)."""

    field: DateField = DateField.CLOSE
    unit: PeriodUnit | None = None
    offset: int = 0
    span: int = 1
    after: date | None = None
    before: date | None = None


@dataclass(frozen=True)
class ValueRange:
    """Deal value over `low` and under `high` (`inclusive` for "between", "at least/most")."""

    low: Decimal | None = None
    high: Decimal | None = None
    currency: str | None = None  # None: any currency, each compared in its own
    inclusive: bool = False


@dataclass(frozen=True)
class ListQuery:
    statuses: frozenset[ListStatus] = frozenset()
    period: Period | None = None
    overdue: bool = False  # open, close date before the seller's today
    value: ValueRange | None = None
    customer: str | None = None  # contained in the customer name, ignoring case
    member: str | None = None  # a team member's name or e-mail
    party: str | None = None  # "Contoso's deals": a team member or the customer
    mine: bool = False  # the caller on the team; the dialog fills `member` from the activity
    stage: str | None = None  # a SalesStage value
    country: str | None = None  # ISO 3166 alpha-2, as the index stores it
    order: Order | None = None  # None: the natural order for the filters (`effective_order`)
    top: int | None = None
    measure: Measure = Measure.LIST
    preset: ListKind | None = field(default=None, compare=True)

    @property
    def effective_order(self) -> Order:
        if self.order is not None:
            return self.order
        if self.statuses == {ListStatus.NEW_LEAD}:
            return Order.OLDEST_CREATED
        if self.overdue or (self.period is not None and self.period.field is DateField.CLOSE):
            return Order.CLOSING_SOONEST
        if self.period is not None:
            return Order.EXPIRING_SOONEST
        return Order.RECENTLY_UPDATED

    def limited(self, limit: int) -> int:
        """How many rows to return when the caller allows `limit`."""
        return limit if self.top is None else min(limit, self.top)

    def with_caller(self, name: str) -> ListQuery:
        """ "mine": the caller's display name becomes the member filter."""
        return replace(self, member=name) if self.mine else self

    def to_json(self) -> dict[str, Any]:
        if self.preset is not None and self == preset(self.preset):
            return {"kind": str(self.preset)}
        period = self.period
        value = self.value
        return _dropped_empty(
            {
                "statuses": sorted(str(status) for status in self.statuses),
                "period": None
                if period is None
                else _dropped_empty(
                    {
                        "field": str(period.field),
                        "unit": None if period.unit is None else str(period.unit),
                        "offset": period.offset,
                        "span": period.span,
                        "after": None if period.after is None else period.after.isoformat(),
                        "before": None if period.before is None else period.before.isoformat(),
                    }
                ),
                "overdue": self.overdue or None,
                "value": None
                if value is None
                else _dropped_empty(
                    {
                        "low": None if value.low is None else str(value.low),
                        "high": None if value.high is None else str(value.high),
                        "currency": value.currency,
                        "inclusive": value.inclusive or None,
                    }
                ),
                "customer": self.customer,
                "member": self.member,
                "party": self.party,
                "mine": self.mine or None,
                "stage": self.stage,
                "country": self.country,
                "order": None if self.order is None else str(self.order),
                "top": self.top,
                "measure": None if self.measure is Measure.LIST else str(self.measure),
            }
        )

    @classmethod
    def from_json(cls, data: Any) -> ListQuery | None:
        """None for anything this version cannot read (old or foreign state is never fatal)."""
        if not isinstance(data, dict):
            return None
        try:
            if "kind" in data:
                return preset(ListKind(data["kind"]))
            period = data.get("period")
            value = data.get("value")
            return cls(
                statuses=frozenset(ListStatus(status) for status in data.get("statuses", ())),
                period=None if period is None else _period_from(period),
                overdue=bool(data.get("overdue", False)),
                value=None if value is None else _value_from(value),
                customer=_optional_text(data.get("customer")),
                member=_optional_text(data.get("member")),
                party=_optional_text(data.get("party")),
                mine=bool(data.get("mine", False)),
                stage=_optional_text(data.get("stage")),
                country=_optional_text(data.get("country")),
                order=None if data.get("order") is None else Order(data["order"]),
                top=None if data.get("top") is None else int(data["top"]),
                measure=Measure(data.get("measure", Measure.LIST)),
            )
        except (KeyError, ValueError, TypeError, InvalidOperation, AttributeError):
            return None


@dataclass(frozen=True)
class ListTally:
    """A count and the deal values summed per currency (`unvalued`: referrals without a value)."""

    count: int
    totals: tuple[tuple[str, Decimal], ...] = ()  # (currency, sum), by currency
    unvalued: int = 0


def preset(kind: ListKind) -> ListQuery:
    """Today's menu, with the titles, empty messages and orders it always had."""
    if kind is ListKind.MY_OPEN:
        return ListQuery(frozenset({ListStatus.OPEN}), order=Order.RECENTLY_UPDATED, preset=kind)
    if kind is ListKind.NEW_LEADS:
        return ListQuery(frozenset({ListStatus.NEW_LEAD}), order=Order.OLDEST_CREATED, preset=kind)
    unit = PeriodUnit.MONTH if kind is ListKind.CLOSING_THIS_MONTH else PeriodUnit.QUARTER
    return ListQuery(
        frozenset({ListStatus.OPEN}),
        period=Period(DateField.CLOSE, unit),
        order=Order.CLOSING_SOONEST,
        preset=kind,
    )


def as_query(wanted: ListQuery | ListKind) -> ListQuery:
    return preset(wanted) if isinstance(wanted, ListKind) else wanted


def bounds(period: Period, now: datetime) -> tuple[datetime | None, datetime | None]:
    """[start, end) of `period` as instants at midnight in `now`'s time zone."""
    today = now.date()
    if period.unit is None:
        return _midnight(period.after, now), _midnight(period.before, now)
    first = _unit_start(period.unit, today)
    start = _shift(first, period.unit, period.offset)
    end = _shift(start, period.unit, period.span)
    return _midnight(start, now), _midnight(end, now)


def overdue_before(now: datetime) -> datetime:
    """Open referrals whose close date is before this instant (the seller's midnight) are late."""
    return datetime.combine(now.date(), time(), tzinfo=now.tzinfo)


def _unit_start(unit: PeriodUnit, today: date) -> date:
    if unit is PeriodUnit.DAY:
        return today
    if unit is PeriodUnit.WEEK:
        return today - timedelta(days=today.weekday())
    if unit is PeriodUnit.MONTH:
        return today.replace(day=1)
    if unit is PeriodUnit.QUARTER:
        return today.replace(month=today.month - (today.month - 1) % 3, day=1)
    return today.replace(month=1, day=1)


def _shift(start: date, unit: PeriodUnit, count: int) -> date:
    if unit is PeriodUnit.DAY:
        return start + timedelta(days=count)
    if unit is PeriodUnit.WEEK:
        return start + timedelta(weeks=count)
    months = {PeriodUnit.MONTH: 1, PeriodUnit.QUARTER: 3, PeriodUnit.YEAR: 12}[unit] * count
    index = start.year * 12 + start.month - 1 + months
    return start.replace(year=index // 12, month=index % 12 + 1)


def _midnight(day: date | None, now: datetime) -> datetime | None:
    return None if day is None else datetime.combine(day, time(), tzinfo=now.tzinfo)


def _period_from(data: dict[str, Any]) -> Period:
    unit = data.get("unit")
    after, before = data.get("after"), data.get("before")
    return Period(
        field=DateField(data.get("field", DateField.CLOSE)),
        unit=None if unit is None else PeriodUnit(unit),
        offset=int(data.get("offset", 0)),
        span=int(data.get("span", 1)),
        after=None if after is None else date.fromisoformat(after),
        before=None if before is None else date.fromisoformat(before),
    )


def _value_from(data: dict[str, Any]) -> ValueRange:
    low, high = data.get("low"), data.get("high")
    return ValueRange(
        low=None if low is None else Decimal(str(low)),
        high=None if high is None else Decimal(str(high)),
        currency=_optional_text(data.get("currency")),
        inclusive=bool(data.get("inclusive", False)),
    )


def _optional_text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _dropped_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None and value != []}

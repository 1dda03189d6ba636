"""A brute-force `ListQuery` evaluator: the plain reading of each filter, one entry at a time.

Written apart from `bot.referrals.seller_index` (no shared code but the query type) so the
property tests compare two readings; `FakeReferralsService` lists composed queries with it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from bot.domain.list_query import (
    DateField,
    ListQuery,
    ListStatus,
    ListTally,
    Order,
    Period,
    PeriodUnit,
)
from bot.referrals.index_entry import IndexEntry

_FAR = datetime(9999, 1, 1, tzinfo=UTC)


def period_bounds(period: Period, now: datetime) -> tuple[datetime | None, datetime | None]:
    def midnight(day: date | None) -> datetime | None:
        return None if day is None else datetime.combine(day, time(), tzinfo=now.tzinfo)

    if period.unit is None:
        return midnight(period.after), midnight(period.before)
    today = now.date()
    step = {
        PeriodUnit.DAY: relativedelta(days=1),
        PeriodUnit.WEEK: relativedelta(weeks=1),
        PeriodUnit.MONTH: relativedelta(months=1),
        PeriodUnit.QUARTER: relativedelta(months=3),
        PeriodUnit.YEAR: relativedelta(years=1),
    }[period.unit]
    if period.unit is PeriodUnit.WEEK:
        first = today - timedelta(days=today.isoweekday() - 1)
    elif period.unit is PeriodUnit.MONTH:
        first = date(today.year, today.month, 1)
    elif period.unit is PeriodUnit.QUARTER:
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    elif period.unit is PeriodUnit.YEAR:
        first = date(today.year, 1, 1)
    else:
        first = today
    start = first + step * period.offset
    return midnight(start), midnight(start + step * period.span)


def in_status(entry: IndexEntry, status: ListStatus) -> bool:
    if status is ListStatus.OPEN:
        return entry.status != "Closed"
    if status is ListStatus.NEW_LEAD:
        return entry.status == "New" and entry.direction == "Incoming"
    return (entry.substatus or "").casefold() == status.value


def keeps(query: ListQuery, entry: IndexEntry, now: datetime) -> bool:
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    if query.statuses and not any(in_status(entry, status) for status in query.statuses):
        return False
    if query.overdue:
        midnight = datetime.combine(now.date(), time(), tzinfo=now.tzinfo)
        closing = entry.closing_date_time
        if entry.status == "Closed" or closing is None or _aware(closing) >= midnight:
            return False
    if query.period is not None:
        start, end = period_bounds(query.period, now)
        moment = (
            entry.closing_date_time
            if query.period.field is DateField.CLOSE
            else entry.expiration_date_time
        )
        if moment is None:
            return False
        if start is not None and _aware(moment) < start:
            return False
        if end is not None and _aware(moment) >= end:
            return False
    if query.value is not None:
        wanted = query.value
        value = entry.deal_value
        if value is None or (wanted.currency is not None and entry.currency != wanted.currency):
            return False
        if wanted.low is not None and not (
            value >= wanted.low if wanted.inclusive else value > wanted.low
        ):
            return False
        if wanted.high is not None and not (
            value <= wanted.high if wanted.inclusive else value < wanted.high
        ):
            return False
    if query.country is not None and (entry.customer_country or "").upper() != query.country:
        return False
    if query.stage is not None and (entry.sales_stage or "").casefold() != query.stage.casefold():
        return False
    customer = (entry.customer_name or "").casefold()
    if query.customer is not None and query.customer.casefold() not in customer:
        return False
    if query.member is not None and not _on_team(entry, query.member):
        return False
    return query.party is None or (
        _on_team(entry, query.party) or query.party.casefold() in customer
    )


def _on_team(entry: IndexEntry, who: str) -> bool:
    wanted = who.strip().casefold()
    for member in entry.team:
        first = (member.first_name or "").casefold()
        last = (member.last_name or "").casefold()
        email = (member.email or "").casefold()
        if wanted and wanted in {first, last, f"{first} {last}", email, email.split("@")[0]}:
            return True
    return False


def ordered(query: ListQuery, entries: list[IndexEntry]) -> list[IndexEntry]:
    order = query.effective_order
    by_id = sorted(entries, key=lambda entry: entry.id)

    def stamp(moment: datetime | None) -> datetime:
        return _FAR if moment is None else _aware(moment)

    if order is Order.RECENTLY_UPDATED:
        known = [e for e in by_id if e.updated_date_time is not None]
        known.sort(key=lambda e: stamp(e.updated_date_time), reverse=True)
        return known + [e for e in by_id if e.updated_date_time is None]
    if order is Order.OLDEST_CREATED:
        unknown = [e for e in by_id if e.created_date_time is None]
        return unknown + sorted(
            (e for e in by_id if e.created_date_time is not None),
            key=lambda e: stamp(e.created_date_time),
        )
    if order is Order.CLOSING_SOONEST:
        return sorted(by_id, key=lambda e: stamp(e.closing_date_time))
    if order is Order.EXPIRING_SOONEST:
        return sorted(by_id, key=lambda e: stamp(e.expiration_date_time))
    valued = [e for e in by_id if e.deal_value is not None]
    valued.sort(key=lambda e: e.deal_value or 0, reverse=order is Order.BIGGEST)
    return valued + [e for e in by_id if e.deal_value is None]


def brute_list(
    query: ListQuery, entries: list[IndexEntry], now: datetime, limit: int = 50
) -> list[IndexEntry]:
    kept = ordered(query, [entry for entry in entries if keeps(query, entry, now)])
    size = limit if query.top is None else min(limit, query.top)
    return kept[: max(size, 0)]


def brute_tally(query: ListQuery, entries: list[IndexEntry], now: datetime) -> ListTally:
    kept = ordered(query, [entry for entry in entries if keeps(query, entry, now)])
    if query.top is not None:
        kept = kept[: query.top]
    totals: dict[str, Decimal] = {}
    unvalued = 0
    for entry in kept:
        if entry.deal_value is None or not entry.currency:
            unvalued += 1
        else:
            totals[entry.currency] = totals.get(entry.currency, Decimal(0)) + entry.deal_value
    return ListTally(len(kept), tuple(sorted(totals.items())), unvalued)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

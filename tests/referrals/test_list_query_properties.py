"""Property: the index evaluates any composed `ListQuery` as a brute-force filter and sort does.

The brute force (tests/support/list_filter.py) reads each filter plainly over every entry; the
index bisects close dates, scans precomputed keys and compares floats.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.list_kinds import ListKind
from bot.domain.list_query import (
    DateField,
    ListQuery,
    ListStatus,
    Measure,
    Order,
    Period,
    PeriodUnit,
    ValueRange,
    bounds,
    preset,
)
from bot.referrals.index_entry import IndexEntry, IndexMember
from bot.referrals.seller_index import SellerIndex
from tests.support.list_filter import brute_list, brute_tally, period_bounds

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ZONES = (UTC, ZoneInfo("Europe/Berlin"), ZoneInfo("America/Los_Angeles"), ZoneInfo("Asia/Tokyo"))
OFFSETS = (UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-8)))
nows = st.datetimes(
    min_value=datetime(2025, 10, 1),
    max_value=datetime(2026, 9, 30),
    timezones=st.sampled_from(ZONES),
)
instants = st.one_of(
    st.none(),
    st.datetimes(
        min_value=datetime(2025, 1, 1),
        max_value=datetime(2027, 12, 31),
        timezones=st.sampled_from(OFFSETS),
    ),
)
PEOPLE = (
    IndexMember("Oscar", "Lind", "oscar.lind@contoso.com"),
    IndexMember("Megan", "Bowen", "meganb@contoso.com"),
    IndexMember("Priya", "Natarajan", "priya@contoso.com"),
    IndexMember(None, None, "alex@contoso.com"),
)
CUSTOMERS = ("Ember Cobalt Ltd", "Lots Road Auctions", "Wong & Partners", "Müller & Söhne", None)
STATES = (
    ("New", "Pending", "Incoming"),
    ("New", "Received", "Outgoing"),
    ("Active", "Accepted", "Outgoing"),
    ("Active", "Accepted", "Incoming"),
    ("Closed", "Won", "Outgoing"),
    ("Closed", "Lost", "Incoming"),
    ("Closed", "Declined", "Incoming"),
    ("Closed", "Expired", "Incoming"),
)
amounts = st.one_of(
    st.none(),
    st.sampled_from([Decimal(100_000), Decimal(250_000), Decimal("250000.01")]),
    st.decimals(0, 2_000_000, places=2).map(Decimal),
)


@st.composite
def entries(draw: st.DrawFn) -> list[IndexEntry]:
    chosen = draw(st.sets(st.integers(0, 60), max_size=30))
    rows = []
    for number in chosen:
        status, substatus, direction = draw(st.sampled_from(STATES))
        rows.append(
            IndexEntry(
                id=f"{number:03d}",
                name=f"Deal {number}",
                customer_name=draw(st.sampled_from(CUSTOMERS)),
                customer_country=draw(st.sampled_from([None, "DE", "US", "GB"])),
                status=status,
                substatus=substatus,
                direction=direction,
                deal_value=draw(amounts),
                currency=draw(st.sampled_from([None, "USD", "EUR"])),
                closing_date_time=draw(instants),
                created_date_time=draw(instants),
                updated_date_time=draw(instants),
                expiration_date_time=draw(instants),
                sales_stage=draw(st.sampled_from([None, "Qualify", "Develop", "Propose"])),
                team=tuple(draw(st.lists(st.sampled_from(PEOPLE), max_size=2, unique=True))),
            )
        )
    return rows


periods = st.one_of(
    st.builds(
        Period,
        field=st.sampled_from(DateField),
        unit=st.sampled_from(PeriodUnit),
        offset=st.integers(-2, 2),
        span=st.integers(1, 14),
    ),
    st.builds(
        Period,
        field=st.sampled_from(DateField),
        after=st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2027, 12, 31))),
        before=st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2027, 12, 31))),
    ),
)
values = st.builds(
    ValueRange,
    low=st.one_of(st.none(), amounts),
    high=st.one_of(st.none(), amounts),
    currency=st.sampled_from([None, "USD", "EUR"]),
    inclusive=st.booleans(),
)
queries = st.builds(
    ListQuery,
    statuses=st.frozensets(st.sampled_from(ListStatus), max_size=3),
    period=st.one_of(st.none(), periods),
    overdue=st.booleans(),
    value=st.one_of(st.none(), values),
    customer=st.sampled_from([None, "ember", "Road", "MÜLLER", "zz"]),
    member=st.sampled_from([None, "oscar", "Megan Bowen", "priya@contoso.com", "alex", "lind"]),
    party=st.sampled_from([None, "Oscar", "Wong", "nobody"]),
    stage=st.sampled_from([None, "Qualify", "develop"]),
    country=st.sampled_from([None, "DE", "US"]),
    order=st.one_of(st.none(), st.sampled_from(Order)),
    top=st.one_of(st.none(), st.integers(0, 8)),
    measure=st.sampled_from(Measure),
)


def built(rows: list[IndexEntry]) -> SellerIndex:
    index = SellerIndex()
    index.apply_full(rows, visible_count=len(rows), complete=True, now=0.0)
    return index


@SETTINGS
@given(rows=entries(), query=queries, now=nows, limit=st.integers(0, 40))
def test_a_composed_list_equals_the_brute_force_filter_and_sort(
    rows: list[IndexEntry], query: ListQuery, now: datetime, limit: int
) -> None:
    index = built(rows)
    expected = [entry.id for entry in brute_list(query, rows, now, limit)]
    assert [entry.id for entry in index.list(query, now, limit=limit)] == expected
    assert index.tally(query, now) == brute_tally(query, rows, now)


@SETTINGS
@given(rows=entries(), kind=st.sampled_from(ListKind), now=nows)
def test_a_preset_reads_as_its_query_without_the_fast_path(
    rows: list[IndexEntry], kind: ListKind, now: datetime
) -> None:
    """The presets' sorted views and the generic scan agree (the preset marker off)."""
    index = built(rows)
    generic = ListQuery(**{**preset(kind).__dict__, "preset": None})
    assert [e.id for e in index.list(kind, now)] == [e.id for e in index.list(generic, now)]
    assert index.count(kind, now) == index.count(generic, now)


@SETTINGS
@given(period=periods, now=nows)
def test_period_bounds_agree_with_a_calendar_reading(period: Period, now: datetime) -> None:
    assert bounds(period, now) == period_bounds(period, now)


@SETTINGS
@given(query=queries)
def test_a_query_survives_being_stored(query: ListQuery) -> None:
    assert ListQuery.from_json(query.to_json()) == query

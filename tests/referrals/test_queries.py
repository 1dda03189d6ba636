"""The OData text the adapter sends: quoting and the seller's month and quarter (pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.list_kinds import ListKind
from bot.referrals.queries import core_name, find_filter, list_query, literal, period

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Contoso", "'Contoso'"), ("O'Brien", "'O''Brien'"), ("''", "''''''"), ("", "''")],
)
def test_literals_double_every_quote(text: str, expected: str) -> None:
    assert literal(text) == expected


def test_find_filter_searches_both_names_and_the_crm_id() -> None:
    assert find_filter("Ann's") == (
        "contains(name,'Ann''s') or contains(customerProfile/name,'Ann''s') "
        "or externalReferenceId eq 'Ann''s'"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Northwind lead", "Northwind"),
        ("the Contoso deal", "Contoso"),
        ("Contoso Bank", None),
        ("lead", None),
    ],
)
def test_filler_words_are_dropped_for_a_second_try(text: str, expected: str | None) -> None:
    assert core_name(text) == expected


@pytest.mark.parametrize(
    ("now", "kind", "start", "end"),
    [
        (
            datetime(2026, 3, 14, 10, tzinfo=BERLIN),
            ListKind.CLOSING_THIS_MONTH,
            (2026, 3),
            (2026, 4),
        ),
        (
            datetime(2026, 12, 31, 23, tzinfo=BERLIN),
            ListKind.CLOSING_THIS_MONTH,
            (2026, 12),
            (2027, 1),
        ),
        (
            datetime(2026, 1, 1, 0, tzinfo=BERLIN),
            ListKind.CLOSING_THIS_QUARTER,
            (2026, 1),
            (2026, 4),
        ),
        (
            datetime(2026, 6, 30, 12, tzinfo=BERLIN),
            ListKind.CLOSING_THIS_QUARTER,
            (2026, 4),
            (2026, 7),
        ),
        (
            datetime(2026, 8, 1, 12, tzinfo=BERLIN),
            ListKind.CLOSING_THIS_QUARTER,
            (2026, 7),
            (2026, 10),
        ),
        (
            datetime(2026, 11, 5, 12, tzinfo=BERLIN),
            ListKind.CLOSING_THIS_QUARTER,
            (2026, 10),
            (2027, 1),
        ),
    ],
)
def test_periods_are_calendar_months_and_quarters_in_the_sellers_zone(
    now: datetime, kind: ListKind, start: tuple[int, int], end: tuple[int, int]
) -> None:
    first, after = period(kind, now)
    assert (first.year, first.month, first.day, first.hour) == (*start, 1, 0)
    assert (after.year, after.month, after.day, after.hour) == (*end, 1, 0)
    assert first.tzinfo is BERLIN


def test_a_month_edge_follows_daylight_saving_time() -> None:
    query = list_query(ListKind.CLOSING_THIS_MONTH, datetime(2026, 3, 14, 10, tzinfo=BERLIN))
    # 1 March is CET (UTC+1); 1 April is CEST (UTC+2).
    assert "ge 2026-02-28T23:00:00Z" in query.filter
    assert "lt 2026-03-31T22:00:00Z" in query.filter
    assert query.orderby == "details/closingDateTime asc"


def test_open_lists_exclude_closed_referrals() -> None:
    now = datetime(2026, 3, 14, tzinfo=UTC)
    assert list_query(ListKind.MY_OPEN, now).filter == "status ne 'Closed'"
    assert "status ne 'Closed'" in list_query(ListKind.CLOSING_THIS_QUARTER, now).filter
    leads = list_query(ListKind.NEW_LEADS, now)
    assert leads.filter == "status eq 'New' and direction eq 'Incoming'"

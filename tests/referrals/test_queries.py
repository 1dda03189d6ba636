"""The seller's words and calendar the index searches and lists with: filler words dropped for a
second try, and the seller's month and quarter (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.list_kinds import ListKind
from bot.referrals.queries import core_name, period

BERLIN = ZoneInfo("Europe/Berlin")


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
    first, after = period(ListKind.CLOSING_THIS_MONTH, datetime(2026, 3, 14, 10, tzinfo=BERLIN))
    # 1 March is CET (UTC+1); 1 April is CEST (UTC+2): the month is an hour short in UTC.
    assert first.utcoffset() == timedelta(hours=1)
    assert after.utcoffset() == timedelta(hours=2)
    assert after.astimezone(UTC) - first.astimezone(UTC) == timedelta(days=31, hours=-1)

"""The seller's digest calendar: the latest due day, the next moment, DST, unknown zones."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.alerts.local_time import is_due, latest_due, next_due, starting
from bot.domain.proactive import DigestSchedule

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS_AT_9 = DigestSchedule(frozenset(range(5)), 9)


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (datetime(2026, 12, 7, 7, 59, tzinfo=UTC), date(2026, 12, 4)),  # Mon 08:59 Berlin: Fri
        (datetime(2026, 12, 7, 8, 0, tzinfo=UTC), date(2026, 12, 7)),  # Mon 09:00 Berlin
        (datetime(2026, 12, 13, 12, 0, tzinfo=UTC), date(2026, 12, 11)),  # Sunday: Friday's
    ],
)
def test_the_latest_due_day(now: datetime, due: date) -> None:
    assert latest_due(WEEKDAYS_AT_9, now, BERLIN) == due


def test_the_next_moment_after_now_in_the_sellers_zone() -> None:
    friday_evening = datetime(2026, 12, 11, 18, 0, tzinfo=UTC)
    assert next_due(WEEKDAYS_AT_9, friday_evening, BERLIN) == datetime(
        2026, 12, 14, 9, 0, tzinfo=BERLIN
    )
    assert next_due(DigestSchedule(frozenset(), 9), friday_evening, BERLIN) is None


def test_a_schedule_set_now_is_first_due_at_its_next_moment() -> None:
    monday_10 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
    schedule = starting(WEEKDAYS_AT_9, monday_10, BERLIN)
    assert schedule.last_sent_on == date(2026, 12, 7)
    assert is_due(schedule, monday_10, BERLIN) is None
    tuesday_9 = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)
    assert is_due(schedule, tuesday_9, BERLIN) == date(2026, 12, 8)


def test_the_wall_time_holds_across_a_dst_change() -> None:
    """Berlin leaves summer time on Sunday 25 October 2026: 09:00 is 07:00 UTC, then 08:00."""
    daily = DigestSchedule(frozenset(range(7)), 9)
    saturday = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    assert next_due(daily, saturday, BERLIN) == datetime(2026, 10, 25, 9, 0, tzinfo=BERLIN)
    assert next_due(daily, saturday, BERLIN).astimezone(UTC).hour == 8  # type: ignore[union-attr]
    assert latest_due(daily, datetime(2026, 10, 25, 7, 30, tzinfo=UTC), BERLIN) == date(
        2026, 10, 24
    )

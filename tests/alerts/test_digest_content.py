"""What a digest says: expiring leads, overdue deals, deals missing a value or close date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.alerts.digest_content import digest_content, digest_sections
from tests.support.alerts import deal, lead

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=LOS_ANGELES)  # Monday 09:00, 17:00 UTC
TEAM = ["megan@contoso.example"]
WINDOW = timedelta(days=3)


def _ids(entries: tuple) -> list[str]:  # type: ignore[type-arg]
    return [entry.id for entry in entries]


def test_each_list_holds_what_it_says_soonest_first() -> None:
    content = digest_content(
        [
            lead("L-late", team=TEAM, expires=NOW + timedelta(days=2)),
            lead("L-soon", team=TEAM, expires=NOW + timedelta(hours=5)),
            lead("L-later", team=TEAM, expires=NOW + timedelta(days=4)),  # beyond the window
            lead("L-gone", team=TEAM, expires=NOW - timedelta(hours=1)),  # already expired
            lead("L-taken", team=TEAM, expires=NOW + timedelta(days=1), status="Active"),
            deal("D-old", team=TEAM, closes=datetime(2026, 11, 2, tzinfo=UTC)),
            deal("D-recent", team=TEAM, closes=datetime(2026, 12, 4, tzinfo=UTC), value=None),
            deal("D-won", team=TEAM, closes=datetime(2026, 11, 1, tzinfo=UTC), status="Closed"),
            deal("D-no-date", team=TEAM, closes=None, updated=datetime(2026, 12, 1, tzinfo=UTC)),
            deal("D-no-value", team=TEAM, closes=datetime(2027, 1, 5, tzinfo=UTC), value=None),
            deal("D-fine", team=TEAM, closes=datetime(2027, 1, 5, tzinfo=UTC)),
        ],
        now=NOW,
        look_ahead=WINDOW,
    )
    assert _ids(content.expiring) == ["L-soon", "L-late"]
    assert _ids(content.overdue) == ["D-old", "D-recent"]  # each referral once
    # most recently updated first; an accepted lead is an open deal, here without a close date
    assert _ids(content.incomplete) == ["D-no-date", "L-taken", "D-no-value"]


def test_a_close_date_is_a_calendar_date_not_an_instant() -> None:
    """A deal closing "today" (stored as UTC midnight) is not overdue in Los Angeles, where
    that midnight was still yesterday evening."""
    today = deal("D-today", team=TEAM, closes=datetime(2026, 12, 7, tzinfo=UTC))
    yesterday = deal("D-yesterday", team=TEAM, closes=datetime(2026, 12, 6, tzinfo=UTC))
    content = digest_content([today, yesterday], now=NOW, look_ahead=WINDOW)
    assert _ids(content.overdue) == ["D-yesterday"]


def test_nothing_needing_the_seller_is_an_empty_digest() -> None:
    content = digest_content(
        [deal("D-fine", team=TEAM, closes=datetime(2027, 1, 5, tzinfo=UTC))],
        now=NOW,
        look_ahead=WINDOW,
    )
    assert content.empty
    assert not digest_content(
        [lead("L", team=TEAM, expires=NOW + WINDOW / 2)], now=NOW, look_ahead=WINDOW
    ).empty


def test_each_line_says_why_it_is_there_in_the_sellers_words() -> None:
    content = digest_content(
        [
            lead("L-1", team=TEAM, expires=NOW + timedelta(days=1)),
            deal("D-1", team=TEAM, closes=datetime(2026, 11, 30, tzinfo=UTC)),
            deal("D-2", team=TEAM, closes=None, value=None),
        ],
        now=NOW,
        look_ahead=WINDOW,
    )
    notes = [[line.note for line in section.lines] for section in digest_sections(content, now=NOW)]
    assert notes == [
        ["expires tomorrow"],
        ["was to close Mon 30 Nov 2026"],
        ["no deal value or close date"],
    ]

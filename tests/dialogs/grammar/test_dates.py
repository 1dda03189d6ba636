from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs.grammar.dates import parse_close_date
from dialogs.grammar.engine.problems import Problem
from dialogs.grammar.vocabulary import word_set

WEDNESDAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # absolute
        ("2026-12-04", date(2026, 12, 4)),
        ("2027-01-15", date(2027, 1, 15)),
        ("2026/12/04", date(2026, 12, 4)),
        ("04.12.2026", date(2026, 12, 4)),
        ("4.12.2026", date(2026, 12, 4)),
        ("25/12/2026", date(2026, 12, 25)),
        ("12/25/2026", date(2026, 12, 25)),
        ("12/12/2026", date(2026, 12, 12)),
        ("25/12", date(2026, 12, 25)),
        ("25.12.26", date(2026, 12, 25)),
        ("4 Dec", date(2026, 12, 4)),
        ("Dec 4", date(2026, 12, 4)),
        ("December 4th 2026", date(2026, 12, 4)),
        ("4th of December", date(2026, 12, 4)),
        ("the 4th of December", date(2026, 12, 4)),
        ("Dec 4, 2026", date(2026, 12, 4)),
        ("on Dec 4", date(2026, 12, 4)),
        ("4 December 2027", date(2027, 12, 4)),
        ("Friday 4 December", date(2026, 12, 4)),
        ("DECEMBER 4TH", date(2026, 12, 4)),
        ("Sept 30 2027", date(2027, 9, 30)),
        ("Dec 4 '27", date(2027, 12, 4)),
        ("Jan 4", date(2027, 1, 4)),
        ("Nov 20", date(2026, 11, 20)),
        ("Oct 1", date(2027, 10, 1)),
        ("May 1", date(2027, 5, 1)),
        ("January", date(2027, 1, 31)),
        ("December", date(2026, 12, 31)),
        ("November", date(2026, 11, 30)),
        ("end of January", date(2027, 1, 31)),
        ("end of February 2028", date(2028, 2, 29)),
        ("Feb 2027", date(2027, 2, 28)),
        ("start of March", date(2027, 3, 1)),
        ("mid December", date(2026, 12, 15)),
        ("mid-Jan", date(2027, 1, 15)),
        ("the 20th", date(2026, 12, 20)),
        ("the 28th", date(2026, 11, 28)),
        # days
        ("today", date(2026, 11, 25)),
        ("tomorrow", date(2026, 11, 26)),
        ("Tomorrow", date(2026, 11, 26)),
        ("tmrw", date(2026, 11, 26)),
        ("day after tomorrow", date(2026, 11, 27)),
        ("the day after tomorrow", date(2026, 11, 27)),
        ("yesterday", date(2026, 11, 24)),
        ("eod", date(2026, 11, 25)),
        # weekdays
        ("Friday", date(2026, 11, 27)),
        ("next Friday", date(2026, 11, 27)),
        ("this Friday", date(2026, 11, 27)),
        ("coming Friday", date(2026, 11, 27)),
        ("by Friday", date(2026, 11, 27)),
        ("until next Friday", date(2026, 11, 27)),
        ("fri", date(2026, 11, 27)),
        ("Friday after next", date(2026, 12, 4)),
        ("Friday next week", date(2026, 12, 4)),
        ("next week Friday", date(2026, 12, 4)),
        ("last Friday", date(2026, 11, 20)),
        ("Monday", date(2026, 11, 30)),
        ("this Monday", date(2026, 11, 23)),
        ("Wednesday", date(2026, 12, 2)),
        ("next Wednesday", date(2026, 12, 2)),
        ("this Wednesday", date(2026, 11, 25)),
        ("on Thursday", date(2026, 11, 26)),
        ("next tue", date(2026, 12, 1)),
        # counts
        ("in 3 weeks", date(2026, 12, 16)),
        ("in 10 days", date(2026, 12, 5)),
        ("in 2 months", date(2027, 1, 25)),
        ("in a week", date(2026, 12, 2)),
        ("in a month", date(2026, 12, 25)),
        ("in one year", date(2027, 11, 25)),
        ("in 1 day", date(2026, 11, 26)),
        ("in two weeks", date(2026, 12, 9)),
        ("in a couple of weeks", date(2026, 12, 9)),
        ("2 weeks from now", date(2026, 12, 9)),
        ("10 days from today", date(2026, 12, 5)),
        ("a week from now", date(2026, 12, 2)),
        ("within 3 days", date(2026, 11, 28)),
        # periods
        ("end of month", date(2026, 11, 30)),
        ("end of the month", date(2026, 11, 30)),
        ("End Of Month", date(2026, 11, 30)),
        ("eom", date(2026, 11, 30)),
        ("month end", date(2026, 11, 30)),
        ("end of this month", date(2026, 11, 30)),
        ("this month", date(2026, 11, 30)),
        ("end of next month", date(2026, 12, 31)),
        ("next month", date(2026, 12, 31)),
        ("start of next month", date(2026, 12, 1)),
        ("beginning of next month", date(2026, 12, 1)),
        ("end of Q1", date(2027, 3, 31)),
        ("end of q2", date(2027, 6, 30)),
        ("end of Q3", date(2027, 9, 30)),
        ("end of Q4", date(2026, 12, 31)),
        ("Q1", date(2027, 3, 31)),
        ("by Q1", date(2027, 3, 31)),
        ("Q1 2028", date(2028, 3, 31)),
        ("end of Q1 2027", date(2027, 3, 31)),
        ("start of Q1", date(2027, 1, 1)),
        ("end of quarter", date(2026, 12, 31)),
        ("end of the quarter", date(2026, 12, 31)),
        ("eoq", date(2026, 12, 31)),
        ("this quarter", date(2026, 12, 31)),
        ("end of next quarter", date(2027, 3, 31)),
        ("next quarter", date(2027, 3, 31)),
        ("start of next quarter", date(2027, 1, 1)),
        ("end of year", date(2026, 12, 31)),
        ("end of the year", date(2026, 12, 31)),
        ("eoy", date(2026, 12, 31)),
        ("year end", date(2026, 12, 31)),
        ("end of next year", date(2027, 12, 31)),
        ("next year", date(2027, 12, 31)),
        ("start of next year", date(2027, 1, 1)),
        ("next week", date(2026, 12, 4)),
        ("this week", date(2026, 11, 27)),
        ("end of week", date(2026, 11, 27)),
        ("end of next week", date(2026, 12, 4)),
        ("start of next week", date(2026, 11, 30)),
    ],
)
def test_close_dates_from_a_wednesday(text: str, expected: date) -> None:
    assert parse_close_date(text, WEDNESDAY) == expected


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        # a month end that is a Saturday
        (date(2026, 1, 31), "end of month", date(2026, 1, 31)),
        (date(2026, 1, 31), "end of next month", date(2026, 2, 28)),
        (date(2026, 1, 31), "in 1 month", date(2026, 2, 28)),
        (date(2026, 1, 31), "tomorrow", date(2026, 2, 1)),
        (date(2026, 1, 31), "next week", date(2026, 2, 6)),
        (date(2026, 1, 31), "this Friday", date(2026, 1, 30)),
        (date(2026, 1, 31), "Friday", date(2026, 2, 6)),
        (date(2026, 1, 31), "end of Q1", date(2026, 3, 31)),
        # a quarter end
        (date(2026, 3, 31), "end of quarter", date(2026, 3, 31)),
        (date(2026, 3, 31), "end of Q1", date(2026, 3, 31)),
        (date(2026, 3, 31), "end of next quarter", date(2026, 6, 30)),
        (date(2026, 3, 31), "next quarter", date(2026, 6, 30)),
        (date(2026, 3, 31), "in 1 month", date(2026, 4, 30)),
        (date(2026, 3, 31), "end of next month", date(2026, 4, 30)),
        (date(2026, 3, 31), "tomorrow", date(2026, 4, 1)),
        (date(2026, 3, 31), "Mar 1", date(2026, 3, 1)),
        (date(2026, 3, 31), "Feb 15", date(2027, 2, 15)),
        # the year end
        (date(2026, 12, 31), "end of year", date(2026, 12, 31)),
        (date(2026, 12, 31), "tomorrow", date(2027, 1, 1)),
        (date(2026, 12, 31), "end of next month", date(2027, 1, 31)),
        (date(2026, 12, 31), "next year", date(2027, 12, 31)),
        (date(2026, 12, 31), "end of Q4", date(2026, 12, 31)),
        (date(2026, 12, 31), "end of Q1", date(2027, 3, 31)),
        (date(2026, 12, 31), "end of next quarter", date(2027, 3, 31)),
        (date(2026, 12, 31), "next Friday", date(2027, 1, 1)),
        (date(2026, 12, 31), "Jan 5", date(2027, 1, 5)),
        (date(2026, 12, 31), "Dec 24", date(2026, 12, 24)),
        (date(2026, 12, 31), "in 2 months", date(2027, 2, 28)),
        # a leap day
        (date(2028, 2, 29), "tomorrow", date(2028, 3, 1)),
        (date(2028, 2, 29), "end of month", date(2028, 2, 29)),
        (date(2028, 2, 29), "in 1 year", date(2029, 2, 28)),
        (date(2028, 2, 29), "in 1 month", date(2028, 3, 29)),
        (date(2028, 2, 29), "in 4 years", date(2032, 2, 29)),
        (date(2028, 2, 29), "Feb 29", date(2028, 2, 29)),
        (date(2028, 2, 29), "next Tuesday", date(2028, 3, 7)),
        (date(2028, 2, 29), "end of Q1", date(2028, 3, 31)),
        (date(2028, 2, 29), "next month", date(2028, 3, 31)),
        (date(2028, 2, 29), "end of year", date(2028, 12, 31)),
        # a Friday and a Sunday
        (date(2026, 11, 27), "Friday", date(2026, 12, 4)),
        (date(2026, 11, 27), "this Friday", date(2026, 11, 27)),
        (date(2026, 11, 27), "next Friday", date(2026, 12, 4)),
        (date(2026, 11, 27), "end of week", date(2026, 11, 27)),
        (date(2026, 11, 27), "next week", date(2026, 12, 4)),
        (date(2026, 11, 29), "this week", date(2026, 11, 27)),
        (date(2026, 11, 29), "next week", date(2026, 12, 4)),
        (date(2026, 11, 29), "Monday", date(2026, 11, 30)),
        (date(2026, 11, 29), "this Monday", date(2026, 11, 23)),
    ],
)
def test_close_dates_at_month_quarter_and_year_ends(today: date, text: str, expected: date) -> None:
    assert parse_close_date(text, today) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Feb 30", "no 30 February"),
        ("30 February 2027", "no 30 February"),
        ("2026-13-01", "no month 13"),
        ("2026-00-10", "no month 0"),
        ("2026-02-29", "isn't a leap year"),
        ("29 Feb 2029", "isn't a leap year"),
        ("31 April", "April has 30 days"),
        ("2026-04-31", "April has 30 days"),
        ("32 Dec", "no 32 December"),
        ("0 Dec", "no 0 December"),
        ("12/04/2026", "could be 12 April or 4 December"),
        ("3/4", "could be 3 April or 4 March"),
        ("13/13/2026", "no month 13"),
        ("in 99999 days", "too far ahead"),
        ("in 20 years", "too far ahead"),
        ("1999-01-01", "year 1999 looks wrong"),
        ("Dec 4 2200", "year 2200 looks wrong"),
    ],
)
def test_impossible_and_ambiguous_dates_are_refused_with_a_reason(text: str, reason: str) -> None:
    result = parse_close_date(text, WEDNESDAY)
    assert isinstance(result, Problem)
    assert result.specific
    assert reason in result.reason


@pytest.mark.parametrize(
    "text", ["blah", "next blah", "won", "", "in 3 blahs", "Friday Friday", "4th", "3 weeks"]
)
def test_text_that_is_no_date_is_not_guessed(text: str) -> None:
    result = parse_close_date(text, WEDNESDAY)
    assert isinstance(result, Problem)
    assert not result.specific


def test_a_past_date_is_returned_as_it_is() -> None:
    assert parse_close_date("2026-01-10", WEDNESDAY) == date(2026, 1, 10)


_DATE_WORDS = st.sampled_from(
    sorted(
        word_set(
            "in on by the of next this end start mid q1 q4 week weeks month months year "
            "quarter day days friday mon dec december feb 29 30 31 0 1 12 13 2026 2028 99999 "
            "/ - . 4th a two from now after tomorrow today"
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_DATE_WORDS, max_size=6).map(" ".join),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
)
def test_the_date_reader_never_returns_an_invalid_date(text: str, today: date) -> None:
    result = parse_close_date(text, today)
    assert isinstance(result, date | Problem)
    if isinstance(result, date):
        assert date.fromisoformat(result.isoformat()) == result


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.dates())
def test_any_text_and_any_today_give_a_date_or_a_problem(text: str, today: date) -> None:
    assert isinstance(parse_close_date(text, today), date | Problem)

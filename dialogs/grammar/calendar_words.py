"""Calendar vocabulary and date arithmetic shared by the date readers (pure, no clock)."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from dialogs.grammar.engine.problems import Problem

MONTHS: Mapping[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS: Mapping[str, int] = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5,
    "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
NUMBER_WORDS: Mapping[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple": 2,
}  # fmt: skip
UNITS: Mapping[str, str] = {
    "day": "days", "days": "days", "week": "weeks", "weeks": "weeks", "wk": "weeks",
    "wks": "weeks", "month": "months", "months": "months", "year": "years", "years": "years",
}  # fmt: skip
MOST_AHEAD: Mapping[str, int] = {"days": 3660, "weeks": 522, "months": 120, "years": 10}
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
# A written date without a year is its next occurrence, unless it was at most this long ago
# (then the seller most likely means that recent date, and the planner warns it is past).
RECENT_PAST = timedelta(days=31)
_ONE: Mapping[str, relativedelta] = {
    "days": relativedelta(days=1),
    "weeks": relativedelta(weeks=1),
    "months": relativedelta(months=1),
    "years": relativedelta(years=1),
}


def make_date(year: int, month: int, day: int) -> date | Problem:
    """A real calendar date, or the seller-friendly reason why not."""
    if not 1 <= month <= 12:
        return Problem(f"There's no month {month}; months go from 1 to 12.")
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return Problem(f"The year {year} looks wrong for a close date.")
    name = calendar.month_name[month]
    last = calendar.monthrange(year, month)[1]
    if month == 2 and day == 29 and last == 28:
        return Problem(f"There's no 29 February in {year}; it isn't a leap year.")
    if not 1 <= day <= last:
        return Problem(f"There's no {day} {name}; {name} has {last} days.")
    return date(year, month, day)


def infer_year(month: int, day: int, today: date) -> int:
    """The year a seller means for a day and month typed without one."""
    if not 1 <= month <= 12:
        return today.year
    this_year = date(today.year, month, min(max(day, 1), month_length(today.year, month)))
    return today.year if this_year >= today - RECENT_PAST else today.year + 1


def month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def month_end(year: int, month: int) -> date:
    return date(year, month, month_length(year, month))


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> date:
    return month_end(year, quarter * 3)


def quarter_start(year: int, quarter: int) -> date:
    return date(year, quarter * 3 - 2, 1)


def week_friday(day: date) -> date:
    """Sellers' weeks end on Friday: the Friday of the Monday-to-Sunday week holding `day`."""
    return day + timedelta(days=4 - day.weekday())


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def shifted(day: date, count: int, unit: str) -> date | Problem:
    if abs(count) > MOST_AHEAD[unit]:
        return Problem("That's too far ahead for a close date.")
    moved: date = day + _ONE[unit] * count
    return moved

"""Close dates as sellers type them: ISO, written, numeric, and relative to the seller's today.

Decisions:
- Numeric dates with "/" or "-" are refused when day and month could swap (12/04/2026), and read
  as day/month or month/day when one part is over 12. Dotted dates are European: 04.12.2026.
- A date without a year is its next occurrence, unless it was at most 31 days ago.
- Dates in the past are returned as they are; the planner warns the seller.
Relative phrasings live in relative_dates.py.
"""

from __future__ import annotations

import re
from datetime import date

from dialogs.grammar.calendar_words import (
    MONTHS,
    WEEKDAYS,
    infer_year,
    make_date,
    month_end,
)
from dialogs.grammar.engine.problems import Problem, shorten
from dialogs.grammar.relative_dates import read_relative

_LEADING = frozenset({"on", "by", "for", "at", "until", "till", "til", "before", "around", "to"})
_ISO = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})([-/.])(\d{1,2})(?:\2(\d{4}|\d{2}))?")
_ORDINAL = re.compile(r"(\d{1,2})(?:st|nd|rd|th)")
_SHORT_YEAR = re.compile(r"'(\d{2})")


def parse_close_date(text: str, today: date) -> date | Problem:
    """A calendar date for what the seller typed, or a Problem explaining why there is none."""
    words = _words(text)
    for reader in (_read_numeric, _read_written, read_relative):
        found = reader(words, today)
        if found is not None:
            return found
    return Problem(f"I couldn't read “{shorten(text)}” as a date.", specific=False)


def _words(text: str) -> list[str]:
    words = text.casefold().replace(",", " ").rstrip(".!?;:").split()
    if len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    return words


def _read_numeric(words: list[str], today: date) -> date | Problem | None:
    if len(words) != 1:
        return None
    iso = _ISO.fullmatch(words[0])
    if iso:
        return make_date(int(iso.group(1)), int(iso.group(3)), int(iso.group(4)))
    found = _NUMERIC.fullmatch(words[0])
    if found is None:
        return None
    first, separator, second, year = found.groups()
    return _day_and_month(int(first), int(second), separator, year, today)


def _day_and_month(
    first: int, second: int, separator: str, year: str | None, today: date
) -> date | Problem:
    if separator == "." or first > 12 or first == second:
        day, month = first, second
    elif second > 12:
        day, month = second, first
    else:
        full = _full_year(year) if year else infer_year(second, first, today)
        return Problem(
            f"“{first}/{second}” could be {first} {_month_name(second)} or {second} "
            f"{_month_name(first)}; please write {full}-{second:02d}-{first:02d} or "
            f"{full}-{first:02d}-{second:02d}."
        )
    if year is None:
        return make_date(infer_year(month, day, today), month, day)
    return make_date(_full_year(year), month, day)


def _full_year(year: str) -> int:
    return int(year) + 2000 if len(year) == 2 else int(year)


def _month_name(month: int) -> str:
    names = [name for name, number in MONTHS.items() if number == month and len(name) > 3]
    return names[0].capitalize() if names else str(month)


def _read_written(words: list[str], today: date) -> date | Problem | None:
    """4 Dec, Dec 4, December 4th 2026, the 4th of December, Friday 4 December, January."""
    if words and words[0] in WEEKDAYS and len(words) > 1:
        words = words[1:]
    parts: list[tuple[str, int]] = []
    for word in words:
        part = _date_part(word)
        if part is None:
            return None
        if part[0]:
            parts.append(part)
    shape = "".join(kind for kind, _ in parts)
    values = [value for _, value in parts]
    return _from_shape(shape, values, today, words)


def _date_part(word: str) -> tuple[str, int] | None:
    if word in ("of", "the"):
        return ("", 0)
    if word in MONTHS:
        return ("M", MONTHS[word])
    ordinal = _ORDINAL.fullmatch(word)
    if ordinal:
        return ("D", int(ordinal.group(1)))
    short_year = _SHORT_YEAR.fullmatch(word)
    if short_year:
        return ("Y", 2000 + int(short_year.group(1)))
    if word.isdecimal() and len(word) == 4:
        return ("Y", int(word))
    if word.isdecimal() and len(word) <= 2:
        return ("N", int(word))
    return None


def _from_shape(
    shape: str, values: list[int], today: date, words: list[str]
) -> date | Problem | None:
    shape = shape.replace("N", "D")
    if shape in ("DM", "MD"):
        day, month = (values[0], values[1]) if shape == "DM" else (values[1], values[0])
        return make_date(infer_year(month, day, today), month, day)
    if shape in ("DMY", "MDY", "DMD", "MDD"):
        day, month = (values[0], values[1]) if shape[0] == "D" else (values[1], values[0])
        year = values[2] + 2000 if shape.endswith("DD") or shape == "DMD" else values[2]
        return make_date(year, month, day)
    if shape == "M":
        month = values[0]
        year = today.year if month >= today.month else today.year + 1
        return month_end(year, month)
    if shape == "MY":
        first = make_date(values[1], values[0], 1)
        return first if isinstance(first, Problem) else month_end(first.year, first.month)
    if shape == "D" and words[0] == "the":
        return _next_day_of_month(values[0], today)
    return None


def _next_day_of_month(day: int, today: date) -> date | Problem:
    if day >= today.day:
        return make_date(today.year, today.month, day)
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return make_date(year, month, day)

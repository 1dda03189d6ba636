"""Close dates relative to the seller's today: tomorrow, next Friday, in 3 weeks, end of Q1.

Decisions:
- "Friday" and "next Friday" are the first Friday after today; "this Friday" is the Friday of
  the current Monday-to-Sunday week; "Friday next week" is the one in the following week.
- "next week / month / quarter / year" mean the end of that period (a close date is a deadline);
  weeks end on Friday. Quarters are calendar quarters.
- "end of Q1" is the nearest end of a first quarter that is today or later.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta

from dialogs.grammar.calendar_words import (
    MONTHS,
    NUMBER_WORDS,
    UNITS,
    WEEKDAYS,
    infer_year,
    make_date,
    month_end,
    quarter_end,
    quarter_of,
    quarter_start,
    shifted,
    week_friday,
    week_monday,
)
from dialogs.grammar.engine.problems import Problem

Reader = Callable[[list[str], date], date | Problem | None]

_DAYS_FROM_TODAY: Mapping[str, int] = {
    "today": 0, "tonight": 0, "eod": 0, "end of day": 0, "end of today": 0, "tomorrow": 1,
    "tmrw": 1, "tmr": 1, "tomorrow morning": 1, "day after tomorrow": 2,
    "the day after tomorrow": 2, "overmorrow": 2, "yesterday": -1,
}  # fmt: skip
_ABBREVIATED: Mapping[str, str] = {
    "eow": "end of week", "eom": "end of month", "eoq": "end of quarter", "eoy": "end of year",
    "month end": "end of month", "quarter end": "end of quarter", "year end": "end of year",
    "week end": "end of week",
}  # fmt: skip
_PERIODS = ("week", "month", "quarter", "year")
_FROM_NOW = (("from", "now"), ("from", "today"), ("later",))


def read_relative(words: list[str], today: date) -> date | Problem | None:
    for reader in _READERS:
        found = reader(words, today)
        if found is not None:
            return found
    return None


def _fixed_days(words: list[str], today: date) -> date | None:
    offset = _DAYS_FROM_TODAY.get(" ".join(words))
    return None if offset is None else today + timedelta(days=offset)


def _weekday(words: list[str], today: date) -> date | None:
    """Friday, next Friday, this Friday, Friday after next, Friday next week, last Friday."""
    *before, last = words if words else [""]
    if last in WEEKDAYS and before in ([], ["next"], ["coming"], ["this", "coming"], ["on"]):
        return _first_after(today, WEEKDAYS[last])
    if last in WEEKDAYS and before == ["this"]:
        return week_monday(today) + timedelta(days=WEEKDAYS[last])
    if last in WEEKDAYS and before == ["last"]:
        return _first_after(today, WEEKDAYS[last]) - timedelta(days=7)
    if len(words) >= 3 and words[-2:] == ["after", "next"] and words[-3] in WEEKDAYS:
        return _first_after(today, WEEKDAYS[words[-3]]) + timedelta(days=7)
    next_week = week_monday(today) + timedelta(days=7)
    if len(words) == 3 and words[1:] == ["next", "week"] and words[0] in WEEKDAYS:
        return next_week + timedelta(days=WEEKDAYS[words[0]])
    if len(words) == 3 and words[:2] == ["next", "week"] and words[2] in WEEKDAYS:
        return next_week + timedelta(days=WEEKDAYS[words[2]])
    return None


def _first_after(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _count_of_units(words: list[str], today: date) -> date | Problem | None:
    """in 3 weeks, in a month, 10 days from now, two weeks later, in a couple of weeks.

    A bare "a week" is no date: "push it back a week" counts from the old close date, which
    the grammar does not know (dialogs/grammar/relative_rules.py reads it as a shift).
    """
    if words[:1] in (["in"], ["within"]):
        words = words[1:]
    else:
        for ending in _FROM_NOW:
            if tuple(words[-len(ending) :]) == ending and len(words) > len(ending):
                words = words[: -len(ending)]
                break
        else:
            return None
    duration = read_duration(words)
    return None if duration is None else shifted(today, *duration)


def read_duration(words: list[str]) -> tuple[int, str] | None:
    """ "3 weeks", "a month", "a couple of days" -> (count, relativedelta unit)."""
    if words[:2] == ["a", "couple"] or words[:1] == ["couple"]:
        words = ["2", *words[words.index("couple") + 1 :]]
    if words[1:2] == ["of"]:
        words = [words[0], *words[2:]]
    if len(words) != 2 or words[1] not in UNITS:
        return None
    count = NUMBER_WORDS.get(words[0]) if not words[0].isdecimal() else int(words[0][:6])
    return None if count is None else (count, UNITS[words[1]])


def _period(words: list[str], today: date) -> date | Problem | None:
    """end of month, end of next quarter, next week, this year, start of next month, Q1."""
    if words[:1] == ["the"]:
        words = words[1:]
    phrase = _ABBREVIATED.get(" ".join(words), " ".join(words)).split()
    edge = "end"
    if phrase[:2] in (["end", "of"], ["start", "of"], ["beginning", "of"]):
        edge, phrase = ("end" if phrase[0] == "end" else "start"), phrase[2:]
    elif phrase[:1] not in (["next"], ["this"], ["q1"], ["q2"], ["q3"], ["q4"]):
        return None
    if phrase[:1] == ["the"]:
        phrase = phrase[1:]
    return _period_edge(phrase, edge, today)


def _period_edge(phrase: list[str], edge: str, today: date) -> date | Problem | None:
    if phrase[:1] and phrase[0] in ("q1", "q2", "q3", "q4"):
        return _quarter(int(phrase[0][1]), phrase[1:], edge, today)
    if phrase[:1] and phrase[0] in MONTHS:
        return _named_month(MONTHS[phrase[0]], phrase[1:], edge, today)
    which = {(): 0, ("this",): 0, ("current",): 0, ("next",): 1, ("following",): 1}
    step = which.get(tuple(phrase[:-1]))
    if step is None or not phrase or phrase[-1] not in _PERIODS:
        return None
    return _edge_of(phrase[-1], step, edge, today)


def _edge_of(period: str, step: int, edge: str, today: date) -> date:
    if period == "week":
        monday = week_monday(today) + timedelta(days=7 * step)
        return monday if edge == "start" else week_friday(monday)
    if period == "month":
        year, month = divmod(today.year * 12 + today.month - 1 + step, 12)
        return date(year, month + 1, 1) if edge == "start" else month_end(year, month + 1)
    if period == "quarter":
        year, index = divmod(today.year * 4 + quarter_of(today) - 1 + step, 4)
        return quarter_start(year, index + 1) if edge == "start" else quarter_end(year, index + 1)
    year = today.year + step
    return date(year, 1, 1) if edge == "start" else date(year, 12, 31)


def _quarter(quarter: int, rest: list[str], edge: str, today: date) -> date | Problem | None:
    if rest and not (len(rest) == 1 and rest[0].isdecimal() and len(rest[0]) == 4):
        return None
    pick = quarter_start if edge == "start" else quarter_end
    if rest:
        first = make_date(int(rest[0]), 1, 1)
        return first if isinstance(first, Problem) else pick(first.year, quarter)
    this_year = pick(today.year, quarter)
    return this_year if this_year >= today else pick(today.year + 1, quarter)


def _named_month(month: int, rest: list[str], edge: str, today: date) -> date | Problem | None:
    if rest and not (len(rest) == 1 and rest[0].isdecimal() and len(rest[0]) == 4):
        return None
    year = int(rest[0]) if rest else infer_year(month, 1 if edge == "start" else 28, today)
    first = make_date(year, month, 1)
    if isinstance(first, Problem) or edge == "start":
        return first
    return month_end(first.year, first.month)


def _mid_month(words: list[str], today: date) -> date | Problem | None:
    """mid December, mid-Jan 2027."""
    if words[:1] == ["mid"]:
        words = words[1:]
    elif words and words[0].startswith("mid-"):
        words = [words[0][4:], *words[1:]]
    else:
        return None
    if not words or words[0] not in MONTHS or len(words) > 2:
        return None
    month = MONTHS[words[0]]
    year = (
        int(words[1]) if len(words) == 2 and words[1].isdecimal() else infer_year(month, 15, today)
    )
    return make_date(year, month, 15)


_READERS: tuple[Reader, ...] = (_fixed_days, _weekday, _count_of_units, _period, _mid_month)

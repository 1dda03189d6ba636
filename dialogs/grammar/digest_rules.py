"""Issue 17 §4, the opt-in digest: "send me a digest every weekday at 9", "daily digest at 8:30",
"digest on Mondays at 9am", "stop the digest".

Every template names the digest ("digest" or "digests"), so no referral's name is ever read as
one: "show Daily Digest Ltd" starts with "show", and a bare "Daily Digest Ltd" leaves "Ltd",
which is no schedule. The schedule (`{when}`) is days and a time, in either order: days are
"every day"/"daily", "weekdays" (Monday to Friday), weekday names ("Mondays and Thursdays",
"Monday to Friday"); a time is "9", "8:30", "8.30", "9am", "5:15 pm", "17:00", "noon" (a bare
hour is 24-hour: "at 5" is 05:00, and the answer says so). Without days the digest comes on
weekdays ("weekly": Mondays); without a time at 9:00. "send me a digest" alone is not read: it
may mean "now", so it is asked about.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from dialogs.grammar import messages
from dialogs.grammar.calendar_words import WEEKDAYS
from dialogs.grammar.commands import Choice, Command, ParseFailure, SetDigest, StopDigest
from dialogs.grammar.engine.patterns import Bindings, Pattern, SlotParser, Span
from dialogs.grammar.engine.problems import Problem
from dialogs.grammar.templates import rules

EVERY_DAY = frozenset(range(7))
WORKDAYS = frozenset(range(5))
MONDAYS = frozenset({0})
DEFAULT_HOUR = 9
MAX_WHEN_TOKENS = 14

_ASK = "[(i want|i'd like|i would like|can i get|can i have|can i get a)]"
_SEND = f"{_ASK} [(send|give|get|email|post|message|deliver|drop)] [(me|us)] [(a|an|the|my)]"
_START = (
    "(turn on|switch on|start|enable|set up|setup|schedule|subscribe me to|sign me up for|"
    "subscribe to) [(a|an|the|my)]"
)
_DIGEST = "(digest|digests)"
_THANKS = "[(please|pls|thanks|thank you|thx)]"
_DAILY_WORDS = "daily|everyday|day's"
_WEEKLY_WORDS = "weekly|week's"
_WORKDAY_WORDS = "weekday|workday|business day|working day"
_DAILY, _WEEKLY, _WORKDAY = (f"({w})" for w in (_DAILY_WORDS, _WEEKLY_WORDS, _WORKDAY_WORDS))
_ANY_KIND = f"[({_DAILY_WORDS}|{_WEEKLY_WORDS}|{_WORKDAY_WORDS}|morning)]"

PLAIN_SET = (f"{_SEND} [(morning|regular|summary)] {_DIGEST} {{when}} {_THANKS}",)
PLAIN_START = (f"{_START} {_DIGEST} [{{when}}] {_THANKS}",)
SEND_NOW = (f"{_SEND} {_DIGEST} {_THANKS}",)  # "send me a digest": now, or from now on? ask
STOP = (
    "(stop|cancel|end|disable|turn off|switch off|pause|unsubscribe from|unsubscribe me from|"
    f"unsubscribe|remove|delete|drop|kill) [(the|my|a|all|all my)] {_ANY_KIND} {_DIGEST} "
    "[(emails|messages|for now)] [(please|thanks)]",
    "(no more|don't send me|dont send me|do not send me|don't send|stop sending me|stop sending|"
    f"i don't want|i dont want) [(the|my|any|a|more)] {_ANY_KIND} {_DIGEST} "
    "[(anymore|any more)] [(please|thanks)]",
    f"[(the|my)] {_DIGEST} off [please]",
    f"(turn|switch) [(the|my)] {_DIGEST} off [please]",
)


def _adjective_templates(adjective: str) -> tuple[str, ...]:
    return (
        f"{_SEND} {adjective} {_DIGEST} [{{when}}] {_THANKS}",
        f"{_START} {adjective} {_DIGEST} [{{when}}] {_THANKS}",
    )


@dataclass(frozen=True)
class When:
    """What `{when}` read: days and/or a time (None: not said)."""

    days: frozenset[int] | None = None
    hour: int | None = None
    minute: int = 0


def _set(default_days: frozenset[int]) -> Callable[[Bindings], Command | None]:
    def build(bindings: Bindings) -> Command | None:
        when = bindings.maybe("when", When) or When()
        hour = DEFAULT_HOUR if when.hour is None else when.hour
        return SetDigest(when.days or default_days, hour, when.minute)

    return build


def _ask_when(_: Bindings) -> Command | None:
    return ParseFailure(
        messages.DIGEST_WHEN,
        messages.DIGEST_EXAMPLE,
        (Choice("Every weekday at 9", messages.DIGEST_EXAMPLE),),
    )


# --- {when}: days and a time, in either order ---------------------------------------------

_TIME = re.compile(r"(\d{1,2})(?:[:.h](\d{2}))?(am|pm|a\.m|p\.m|a\.m\.|p\.m\.|h|hrs)?")
_MERIDIEMS = {"am": "am", "a.m": "am", "a.m.": "am", "pm": "pm", "p.m": "pm", "p.m.": "pm"}
_PART_OF_DAY = {("in", "the", "morning"): "am", ("in", "the", "afternoon"): "pm",
                ("in", "the", "evening"): "pm"}  # fmt: skip
_CLOCK_WORDS = frozenset({"o'clock", "oclock", "h", "hrs", "sharp"})
_AT = frozenset({"at", "@", "around", "by", "for"})
_EVERY = frozenset({"every", "each", "on", "on every", "on each", "from"})
_ALL_DAYS = frozenset({"day", "days", "daily", "morning", "mornings", "everyday"})
_WORK_DAYS = frozenset({"weekday", "weekdays", "workday", "workdays", "work day", "work days",
                        "working day", "working days", "business day", "business days",
                        "week day", "week days"})  # fmt: skip
_WEEK = frozenset({"week", "weekly"})
_JOINS = frozenset({",", "and", "&", "or", "plus"})
_RANGES = frozenset({"to", "through", "thru", "till", "until", "-"})
_NOON = {"noon": 12, "midday": 12, "lunchtime": 12}


def read_when(span: Span) -> When | Problem | None:
    """Days and/or a time and nothing else (punctuation aside); None when the span is not one."""
    words: list[str] = []
    for token in span.tokens:
        if token.folded in {".", "!", "?"}:
            continue
        first, dash, last = token.folded.partition("-")
        if dash and _day(first) is not None and _day(last) is not None:
            words += [first, "-", last]  # "mon-fri" is one token
        else:
            words.append(token.folded)
    return _When(words).read()


class _When:
    def __init__(self, words: list[str]) -> None:
        self._words = words
        self._at = 0

    def read(self) -> When | Problem | None:
        days: frozenset[int] | None = None
        clock: tuple[int, int] | Problem | None = None
        while self._at < len(self._words):
            if self._take(","):
                continue
            if clock is None:
                clock = self._time()
                if clock is not None:
                    continue
            if days is None:
                days = self._days()
                if days is not None:
                    continue
            return None
        if isinstance(clock, Problem):
            return clock
        if days is None and clock is None:
            return None
        hour, minute = clock if clock is not None else (None, 0)
        return When(days, hour, minute)

    # time -----------------------------------------------------------------------------------

    def _time(self) -> tuple[int, int] | Problem | None:
        """A bare number is a time only after "at" or with minutes, am/pm or "o'clock"
        ("digest 12" is no schedule)."""
        start = self._at
        cued = self._take_any(_AT)
        word = self._peek()
        if word in _NOON:
            self._at += 1
            return _NOON[word], 0
        found = _TIME.fullmatch(word or "")
        if found is None:
            self._at = start
            return None
        self._at += 1
        meridiem = _MERIDIEMS.get(found.group(3) or "")
        following = self._peek()
        if meridiem is None and following in _MERIDIEMS:
            meridiem = _MERIDIEMS[following]
            self._at += 1
        elif following in _CLOCK_WORDS:
            self._at += 1
            cued = True
        for phrase, part in _PART_OF_DAY.items():
            if tuple(self._words[self._at : self._at + 3]) == phrase:
                meridiem, self._at = meridiem or part, self._at + 3
        if not (cued or meridiem or found.group(2) or found.group(3)):
            self._at = start
            return None
        return _clock(int(found.group(1)), int(found.group(2) or 0), meridiem)

    # days -----------------------------------------------------------------------------------

    def _days(self) -> frozenset[int] | None:
        start = self._at
        self._take_any(_EVERY)
        found = self._day_words()
        if found is None:
            self._at = start
        return found

    def _day_words(self) -> frozenset[int] | None:
        two = " ".join(self._words[self._at : self._at + 2])
        if two in _WORK_DAYS:
            self._at += 2
            return WORKDAYS
        word = self._peek() or ""
        if word in _WORK_DAYS:
            self._at += 1
            return WORKDAYS
        if word in _ALL_DAYS:
            self._at += 1
            return EVERY_DAY
        if word in _WEEK:
            self._at += 1
            return MONDAYS
        return self._named_days()

    def _named_days(self) -> frozenset[int] | None:
        first = self._weekday()
        if first is None:
            return None
        days = {first}
        while True:
            start = self._at
            if self._take_any(_RANGES):
                last = self._weekday()
                if last is None:
                    self._at = start
                    break
                days |= _range(first, last)
                continue
            self._take_any(_JOINS)
            self._take_any(_JOINS)  # ", and"
            self._take("on")
            more = self._weekday()
            if more is None:
                self._at = start
                break
            days.add(more)
            first = more
        return frozenset(days)

    def _weekday(self) -> int | None:
        word = self._peek()
        day = None if word is None else _day(word)
        if day is not None:
            self._at += 1
        return day

    # cursor ---------------------------------------------------------------------------------

    def _peek(self) -> str | None:
        return self._words[self._at] if self._at < len(self._words) else None

    def _take(self, word: str) -> bool:
        if self._peek() == word:
            self._at += 1
            return True
        return False

    def _take_any(self, words: frozenset[str]) -> bool:
        two = " ".join(self._words[self._at : self._at + 2])
        if two in words:
            self._at += 2
            return True
        word = self._peek()
        return word is not None and word in words and self._take(word)


def _day(word: str) -> int | None:
    if word in WEEKDAYS:
        return WEEKDAYS[word]
    if word.endswith("s") and word[:-1] in WEEKDAYS:  # "mondays", "fris"
        return WEEKDAYS[word[:-1]]
    return None


def _range(first: int, last: int) -> set[int]:
    """ "Monday to Friday"; a range across the weekend ("Friday to Monday") wraps."""
    span = (last - first) % 7
    return {(first + step) % 7 for step in range(span + 1)}


def _clock(hour: int, minute: int, meridiem: str | None) -> tuple[int, int] | Problem:
    if meridiem is not None:
        if not 1 <= hour <= 12:
            return Problem(messages.DIGEST_TIME)
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return Problem(messages.DIGEST_TIME)
    return hour, minute


DIGEST_SLOTS: Mapping[str, SlotParser] = MappingProxyType(
    {"when": SlotParser(read_when, max_tokens=MAX_WHEN_TOKENS)}
)

DIGEST_RULES: tuple[tuple[Pattern, Callable[[Bindings], Command | None]], ...] = (
    *rules(STOP, lambda _: StopDigest()),
    *rules(_adjective_templates(_DAILY), _set(EVERY_DAY)),
    *rules(_adjective_templates(_WEEKLY), _set(MONDAYS)),
    *rules(_adjective_templates(_WORKDAY), _set(WORKDAYS)),
    *rules(PLAIN_SET, _set(WORKDAYS)),
    *rules(PLAIN_START, _set(WORKDAYS)),
    *rules(SEND_NOW, _ask_when),
)

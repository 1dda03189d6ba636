"""Lists as composable filters (issue 16, section 2): "open deals over 250k closing next quarter,
biggest first", "top 5 deals by value", "what's overdue", "Oscar's deals", "how many open deals".

A left-to-right reader rather than templates: the filters come in any order and combination, which
a template per combination could not cover. Every word must be read as part of a filter, a list
word or filler, so a message naming a referral ("show Contoso deal") or a change falls through to
the other rules. Names come only after a word that introduces one ("for", "assigned to",
"customer") or before a possessive ("Oscar's", "Wong & Partners'"), so a word of a company's name
is never read as a filter word.

Decisions (docs/sellers.md): a week starts on Monday; "my" is the seller's view (as the presets
read it), "mine" / "assigned to me" filters on the seller's name on the team; "soon" and a bare
"expiring" mean within 7 days; "by DATE" includes the day, "before DATE" does not; a month or
quarter without a year is its next occurrence (or the current one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TypeVar

from babel import Locale  # type: ignore[import-untyped]  # botbuilder-dialogs' own dependency

from bot.domain.intent import Money
from bot.domain.list_query import (
    DateField,
    ListQuery,
    ListStatus,
    Measure,
    Order,
    Period,
    PeriodUnit,
    ValueRange,
)
from bot.domain.referral import SalesStage
from dialogs.grammar.amounts import parse_amount
from dialogs.grammar.calendar_words import MONTHS, infer_year, quarter_start
from dialogs.grammar.dates import parse_close_date
from dialogs.grammar.engine.problems import Problem
from dialogs.grammar.engine.tokens import Token
from dialogs.grammar.vocabulary import word_set

SOON_DAYS = 7
MAX_NAME_WORDS = 6
_V = TypeVar("_V")


def _phrases(text: str) -> tuple[tuple[str, ...], ...]:
    """ "how many|number of" -> (("how", "many"), ("number", "of")), longest first."""
    return tuple(sorted((tuple(part.split()) for part in text.split("|")), key=len, reverse=True))


def _valued(value: _V, text: str) -> tuple[tuple[tuple[str, ...], _V], ...]:
    return tuple((phrase, value) for phrase in _phrases(text))


def _longest_first(*rows: tuple[tuple[str, ...], _V]) -> tuple[tuple[tuple[str, ...], _V], ...]:
    """A longer phrase wins over its prefix ("soonest to expire" over "soonest")."""
    return tuple(sorted(rows, key=lambda row: len(row[0]), reverse=True))


_NOUNS = frozenset(
    {"deals", "referrals", "opportunities", "opps", "ones", "engagements", "pipeline", "leads"}
    | {"anything", "everything", "something"}
)
_SINGULAR = frozenset({"deal", "referral", "opportunity", "opp", "one", "engagement", "lead"})
_STATUS_WORDS: Mapping[str, frozenset[ListStatus]] = {
    **dict.fromkeys(
        ("open", "active", "current", "live", "ongoing", "in-progress", "pending"),
        frozenset({ListStatus.OPEN}),
    ),
    **dict.fromkeys(("won", "winning", "closed-won", "booked"), frozenset({ListStatus.WON})),
    **dict.fromkeys(("lost", "closed-lost"), frozenset({ListStatus.LOST})),
    **dict.fromkeys(("declined", "rejected", "refused"), frozenset({ListStatus.DECLINED})),
    **dict.fromkeys(("expired", "lapsed"), frozenset({ListStatus.EXPIRED})),
    **dict.fromkeys(("accepted",), frozenset({ListStatus.ACCEPTED})),
    **dict.fromkeys(
        ("new", "incoming", "unanswered", "inbound", "fresh"), frozenset({ListStatus.NEW_LEAD})
    ),
    "closed": frozenset({ListStatus.WON, ListStatus.LOST, ListStatus.DECLINED, ListStatus.EXPIRED}),
}
_CLOSED = _STATUS_WORDS["closed"]
# Words a list request may start with ("show me", "what are", "how many"): skipped there only.
_OPENERS = word_set(
    "show list get give display view see find pull up bring me what what's whats what're "
    "which are is there any all the of tell can you could i want to let please my our"
)
# Filler anywhere: joins and politeness ("and", "or", "that are", "do i have", "right now").
_FILLER = word_set(
    "the all of me my our a any and or that which are is were i do we have got there "
    "currently right now please , ? ! . just only"
)
_COUNT_OPENERS = _phrases("how many of|how many|total number of|number of|count of|count|# of")
_TOTAL_WORDS = _phrases(
    "total value of|total value|total amount of|total amount|total of|total|sum of|"
    "sum|how much|value of|worth of|worth|value|in total|combined|add up to"
)
_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_NUMBERS = {word: number for number, word in enumerate(_NUMBER_WORDS.split(" "))}
_UNITS: Mapping[str, PeriodUnit] = {
    "day": PeriodUnit.DAY,
    "week": PeriodUnit.WEEK,
    "wk": PeriodUnit.WEEK,
    "month": PeriodUnit.MONTH,
    "mo": PeriodUnit.MONTH,
    "quarter": PeriodUnit.QUARTER,
    "qtr": PeriodUnit.QUARTER,
    "q": PeriodUnit.QUARTER,
    "year": PeriodUnit.YEAR,
    "yr": PeriodUnit.YEAR,
}
_OFFSETS: tuple[tuple[tuple[str, ...], int], ...] = _longest_first(
    *_valued(0, "this|the current|current"),
    *_valued(1, "the next|next|the coming|coming|upcoming"),
    *_valued(-1, "the last|last|previous|the previous|past|prior"),
)
_PERIOD_PREPOSITIONS = word_set("in during for within over on from")
_DAYS: Mapping[str, int] = {"today": 0, "tomorrow": 1, "yesterday": -1}
_CLOSING_WORDS = _phrases(
    "expected to close|set to close|due to close|to close|closing|closes|close|"
    "closed|due|landing|ending|expected"
)
_EXPIRING_WORDS = _phrases(
    "about to expire|due to expire|set to expire|going to expire|to expire|expiring|"
    "expire|expires|running out"
)
_ORDERS: tuple[tuple[tuple[str, ...], Order], ...] = _longest_first(
    *_valued(
        Order.EXPIRING_SOONEST,
        "soonest to expire|closest to expiring|expiring soonest|expiring first|"
        "by expiry|by expiration|by expiration date|by expiry date",
    ),
    *_valued(
        Order.RECENTLY_UPDATED,
        "most recently updated|recently updated|last updated|latest first|newest first|"
        "most recent first|most recent|by last update|by update|by recent activity",
    ),
    *_valued(
        Order.CLOSING_SOONEST,
        "closing soonest|closing first|soonest first|soonest closing|closest to closing|"
        "by close date|by closing date|by due date|by close|soonest",
    ),
    *_valued(
        Order.BIGGEST,
        "biggest first|largest first|highest first|highest value|most valuable|"
        "by deal value|by value|by size|by amount|by revenue|by deal size|biggest|"
        "largest|highest|top|descending",
    ),
    *_valued(
        Order.SMALLEST,
        "smallest first|lowest first|lowest value|least valuable|smallest|lowest|ascending",
    ),
)
_ORDER_LEADS = _phrases("sorted by|ordered by|sort by|order by|ranked by|sorted|ordered")
_MORE: tuple[tuple[tuple[str, ...], bool], ...] = _longest_first(
    *_valued(
        False, "more than|greater than|bigger than|larger than|higher than|over|above|exceeding|>"
    ),
    *_valued(True, ">=|at least|minimum|min"),
)
_LESS: tuple[tuple[tuple[str, ...], bool], ...] = _longest_first(
    *_valued(False, "less than|smaller than|lower than|under|below|<"),
    *_valued(True, "<=|at most|up to|maximum|max"),
)
_VALUE_LEADS = frozenset({"worth", "valued", "value", "sized", "size", "of", "with", "a"})
_OR_MORE = _phrases("or more|and up|and above|or higher|or above")
_OR_LESS = _phrases("or less|and below|or lower|or under")
_BEFORE = _phrases("prior to|earlier than|before")
_BY = _phrases("no later than|by|until|till|through|up to")
_AFTER = _phrases("later than|after")
_SINCE = _phrases("on or after|since|from|starting")
_OVERDUE = _phrases(
    "past their close date|past the close date|past close date|past due|overdue|late|slipped"
)
_MINE = _phrases(
    "assigned to me|owned by me|that i'm on|i'm on|i am on|i'm working on|i work on|"
    "i own|mine|my own"
)
_MEMBER_LEADS = _phrases(
    "assigned to|owned by|worked on by|handled by|managed by|run by|for team member|"
    "with team member|team member|with member"
)
_CUSTOMER_LEADS = _phrases(
    "for customer|for the customer|with customer|for client|for account|customer|client|account"
)
_PARTY_LEADS = _phrases("for|with|at")
_STAGES: Mapping[str, str] = {
    **dict.fromkeys(("qualify", "qualifying", "qualification", "qualified"), SalesStage.QUALIFY),
    **dict.fromkeys(("develop", "developing", "development"), SalesStage.DEVELOP),
    **dict.fromkeys(("propose", "proposing", "proposal", "proposed"), SalesStage.PROPOSE),
    **dict.fromkeys(("close", "closing"), SalesStage.CLOSE),
}
_STAGE_WORDS = frozenset({"stage", "phase", "sales stage"})
_CONTRACTIONS = frozenset({"what's", "it's", "that's", "let's", "there's", "who's", "how's"})
_COUNTRY_ALIASES: Mapping[str, str] = {
    "us": "US", "usa": "US", "u.s.": "US", "u.s.a.": "US", "america": "US",
    "united states of america": "US", "the us": "US", "the usa": "US", "the states": "US",
    "uk": "GB", "u.k.": "GB", "the uk": "GB", "britain": "GB", "great britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "holland": "NL", "the netherlands": "NL",
    "uae": "AE", "the uae": "AE", "korea": "KR", "south korea": "KR", "czechia": "CZ",
}  # fmt: skip
# Words that end a name: the start of another filter.
_STOPS = word_set(
    "over under above below between more less greater bigger larger higher lower smaller "
    "at closing close closes closed due this next last in before after since by until "
    "sorted ordered biggest largest smallest top expiring expire expires that which worth "
    "valued with for from and or open won lost declined expired accepted new overdue , ? "
    "! . who where deals referrals opportunities leads pipeline stage"
)


def _countries() -> Mapping[str, str]:
    """English country names (babel's CLDR data) and common short forms -> ISO 3166 alpha-2."""
    names = {
        name.casefold(): code
        for code, name in Locale("en").territories.items()
        if len(code) == 2 and code.isalpha()
    }
    return {**names, **_COUNTRY_ALIASES}


COUNTRIES = _countries()
COUNTRY_NAMES: Mapping[str, str] = {
    code: name for code, name in Locale("en").territories.items() if len(code) == 2
}
# A message without one of these is not a list: most messages skip the reader at this check.
_SIGNALS = _NOUNS | word_set("how overdue top mine total sum expiring expire count number late")
_RANKS = word_set("biggest largest smallest highest lowest soonest")


@dataclass
class _Found:
    """What the reader has gathered so far (turned into a ListQuery at the end)."""

    statuses: set[ListStatus] = field(default_factory=set)
    lead_noun: bool = False
    noun: bool = False
    singular: bool = False
    period: Period | None = None
    overdue: bool = False
    value: ValueRange | None = None
    customer: str | None = None
    member: str | None = None
    party: str | None = None
    mine: bool = False
    stage: str | None = None
    country: str | None = None
    order: Order | None = None
    top: int | None = None
    measure: Measure = Measure.LIST
    expiring: bool = False


def read_list(tokens: tuple[Token, ...], text: str, today: date) -> ListQuery | None:
    """The list `tokens` ask for, or None when some word is not part of one."""
    words = {token.folded for token in tokens}
    if _SIGNALS.isdisjoint(words) and (_SINGULAR.isdisjoint(words) or _RANKS.isdisjoint(words)):
        return None
    reader = _Reader(tokens, text, today)
    return reader.read()


class _Reader:
    def __init__(self, tokens: tuple[Token, ...], text: str, today: date) -> None:
        self._tokens = tokens
        self._words = tuple(token.folded for token in tokens)
        self._text = text
        self._today = today
        self._found = _Found()
        self._steps: tuple[Callable[[int], int | None], ...] = (
            self._value,
            self._measure,
            self._top,
            self._order,
            self._possessive,
            self._status_or_noun,
            self._overdue,
            self._expiring,
            self._stage,
            self._country,
            self._mine,
            self._member,
            self._customer,
            self._closing,
            self._party,
            self._filler,
        )

    def read(self) -> ListQuery | None:
        at = self._opening(0)
        while at < len(self._words):
            for step in self._steps:
                moved = step(at)
                if moved is not None and moved > at:
                    at = moved
                    break
            else:
                return None
        return self._query()

    def _query(self) -> ListQuery | None:
        found = self._found
        listed = found.noun or found.overdue or found.expiring or found.mine
        listed = listed or found.measure is not Measure.LIST or found.top is not None
        listed = listed or (found.singular and found.order is not None)
        if not listed or (found.singular and not found.noun and found.order is None):
            return None
        statuses = set(found.statuses)
        if found.lead_noun and not statuses:
            statuses = {ListStatus.NEW_LEAD}
        if found.overdue:
            statuses.discard(ListStatus.OPEN)
        top = found.top
        if found.singular and not found.noun and top is None and found.measure is Measure.LIST:
            top = 1
        order = found.order
        if order is None and top is not None:
            order = Order.BIGGEST
        return ListQuery(
            statuses=frozenset(statuses),
            period=found.period,
            overdue=found.overdue,
            value=found.value,
            customer=found.customer,
            member=found.member,
            party=found.party,
            mine=found.mine,
            stage=found.stage,
            country=found.country,
            order=order,
            top=top,
            measure=found.measure,
        )

    # --- helpers -------------------------------------------------------------------------------

    def _phrase(self, at: int, phrases: tuple[tuple[str, ...], ...]) -> int | None:
        """The end of the first of `phrases` found at `at`."""
        words = self._words
        for phrase in phrases:
            if words[at : at + len(phrase)] == phrase:
                return at + len(phrase)
        return None

    def _opening(self, at: int) -> int:
        words = self._words
        while at < len(words) and words[at] in _OPENERS and words[at : at + 2] != ("my", "own"):
            at += 1
        return at

    def _span(self, start: int, end: int) -> str:
        return self._text[self._tokens[start].start : self._tokens[end - 1].end]

    # --- steps: each returns where it stopped, or None --------------------------------------

    def _filler(self, at: int) -> int | None:
        return at + 1 if self._words[at] in _FILLER or self._tokens[at].is_punctuation else None

    def _measure(self, at: int) -> int | None:
        end = self._phrase(at, _COUNT_OPENERS)
        if end is not None:
            self._found.measure = Measure.COUNT
            return end
        end = self._phrase(at, _TOTAL_WORDS)
        if end is not None and self._found.measure is not Measure.COUNT:
            self._found.measure = Measure.TOTAL
            return end
        return end

    def _top(self, at: int) -> int | None:
        words = self._words
        if words[at] in ("top", "first") and at + 1 < len(words):
            number = _number(words[at + 1])
            if number is not None:
                self._found.top = number
                if words[at] == "top" and self._found.order is None:
                    self._found.order = Order.BIGGEST
                return at + 2
        number = _number(words[at])
        if number is not None and at + 1 < len(words):
            end = self._phrase(at + 1, tuple(phrase for phrase, _ in _ORDERS))
            if end is not None:
                self._found.top = number
                return self._order(at + 1)
        return None

    def _order(self, at: int) -> int | None:
        start = self._phrase(at, _ORDER_LEADS) or at
        if start > at and self._words[start - 1] == "by":
            start -= 1  # "sorted by value" reads as "by value"
        for phrase, order in _ORDERS:
            if self._words[start : start + len(phrase)] == phrase:
                self._found.order = order
                end = start + len(phrase)
                if end < len(self._words) and self._words[end] == "first":
                    end += 1
                return end
        return None

    def _status_or_noun(self, at: int) -> int | None:
        word = self._words[at]
        if word in _NOUNS:
            self._found.noun = True
            if word == "leads":
                self._found.lead_noun = True
            if word == "pipeline":
                self._found.statuses.add(ListStatus.OPEN)
            return at + 1
        if word in _SINGULAR:
            self._found.singular = True
            if word == "lead":
                self._found.lead_noun = True
            return at + 1
        statuses = _STATUS_WORDS.get(word)
        if statuses is None:
            return None
        self._found.statuses |= statuses
        return at + 1

    def _overdue(self, at: int) -> int | None:
        end = self._phrase(at, _OVERDUE)
        if end is not None:
            self._found.overdue = True
        return end

    def _expiring(self, at: int) -> int | None:
        end = self._phrase(at, _EXPIRING_WORDS)
        if end is None:
            return None
        self._found.expiring = True
        words = self._words
        if end < len(words) and words[end] in ("soon", "shortly"):
            self._found.period = _next_days(SOON_DAYS, DateField.EXPIRATION)
            return end + 1
        period = self._period(end, DateField.EXPIRATION)
        if period is not None:
            self._found.period, end = period
        else:
            self._found.period = _next_days(SOON_DAYS, DateField.EXPIRATION)
        return end

    def _closing(self, at: int) -> int | None:
        end = self._phrase(at, _CLOSING_WORDS)
        start = at if end is None else end
        period = self._period(start, DateField.CLOSE)
        if period is None:
            return None
        if self._words[at] == "closed" and not self._found.statuses:
            self._found.statuses |= _CLOSED
        self._found.period, end = period
        return end

    def _period(self, at: int, field_: DateField) -> tuple[Period, int] | None:
        words = self._words
        if at >= len(words):
            return None
        start = at + 1 if words[at] in _PERIOD_PREPOSITIONS else at
        if start < len(words) and words[start] == "the" and start + 1 < len(words):
            start += (
                1 if words[start + 1] not in ("next", "last", "coming", "current", "past") else 0
            )
        relative = self._relative(start, field_)
        if relative is not None:
            return relative
        absolute = self._absolute(at, field_)
        if absolute is not None:
            return absolute
        return self._named(start, field_)

    def _relative(self, at: int, field_: DateField) -> tuple[Period, int] | None:
        words = self._words
        if at < len(words) and words[at] in _DAYS:
            return Period(field_, PeriodUnit.DAY, _DAYS[words[at]]), at + 1
        for phrase, offset in _OFFSETS:
            end = at + len(phrase)
            if words[at:end] != phrase or end >= len(words):
                continue
            unit = _UNITS.get(words[end].rstrip("s")) if words[end] != "days" else PeriodUnit.DAY
            if unit is not None and words[end] not in ("days", "weeks", "months"):
                return Period(field_, unit, offset), end + 1
            count = _number(words[end])
            if offset != 0 and count is not None and end + 1 < len(words):
                days = _days_in(count, words[end + 1], self._today)
                if days is not None:
                    start = 0 if offset > 0 else -days
                    return Period(field_, PeriodUnit.DAY, start, days), end + 2
        count = _number(words[at]) if at < len(words) else None
        if count is not None and at + 1 < len(words):
            days = _days_in(count, words[at + 1], self._today)
            if days is not None:
                return Period(field_, PeriodUnit.DAY, 0, days), at + 2
        return None

    def _absolute(self, at: int, field_: DateField) -> tuple[Period, int] | None:
        words = self._words
        if words[at] in ("between", "from"):
            first = self._date(at + 1, stop="and" if words[at] == "between" else "to")
            if first is not None:
                day, end = first
                if end < len(words) and words[end] in ("and", "to", "-", "until", "till"):
                    second = self._date(end + 1)
                    if second is not None and second[0] >= day:
                        return Period(field_, after=day, before=second[0] + _DAY), second[1]
        for phrases, shift, is_end in (
            (_BEFORE, 0, True),
            (_BY, 1, True),
            (_AFTER, 1, False),
            (_SINCE, 0, False),
        ):
            lead_end = self._phrase(at, phrases)
            if lead_end is None:
                continue
            found = self._date(lead_end)
            if found is None:
                return None
            day = found[0] + timedelta(days=shift)
            period = Period(field_, before=day) if is_end else Period(field_, after=day)
            return period, found[1]
        return None

    def _named(self, at: int, field_: DateField) -> tuple[Period, int] | None:
        """ "March", "March 2027", "Q3", "Q1 2027", "2027"."""
        words = self._words
        if at >= len(words):
            return None
        word = words[at]
        year = _year(words[at + 1]) if at + 1 < len(words) else None
        if word in MONTHS:
            month = MONTHS[word]
            chosen = year or _month_year(month, self._today)
            start = date(chosen, month, 1)
            after = date(chosen + month // 12, month % 12 + 1, 1)
            return Period(field_, after=start, before=after), at + (2 if year else 1)
        quarter = _quarter(word)
        if quarter is not None:
            chosen = year or _quarter_year(quarter, self._today)
            start = quarter_start(chosen, quarter)
            end_year, end_quarter = (chosen + 1, 1) if quarter == 4 else (chosen, quarter + 1)
            return (
                Period(field_, after=start, before=quarter_start(end_year, end_quarter)),
                at + (2 if year else 1),
            )
        alone = _year(word)
        if alone is not None:
            return Period(field_, after=date(alone, 1, 1), before=date(alone + 1, 1, 1)), at + 1
        return None

    def _date(self, at: int, stop: str | None = None) -> tuple[date, int] | None:
        """The longest run of up to 4 words from `at` that reads as a date."""
        words = self._words
        for size in range(min(4, len(words) - at), 0, -1):
            if stop is not None and stop in words[at : at + size]:
                continue
            if any(word in _STOPS - {"next", "last", "this"} for word in words[at : at + size]):
                continue
            found = parse_close_date(self._span(at, at + size), self._today)
            if not isinstance(found, Problem):
                return found, at + size
        return None

    def _value(self, at: int) -> int | None:
        words = self._words
        start = at
        while start < len(words) and words[start] in _VALUE_LEADS:
            start += 1
        if start < len(words) and words[start] == "between":
            low = self._amount(start + 1, stop="and")
            if low is not None and low[1] < len(words) and words[low[1]] in ("and", "to", "-"):
                high = self._amount(low[1] + 1)
                if high is not None:
                    if _currencies_differ(low[0], high[0]):
                        return None
                    currency = low[0].currency or high[0].currency
                    self._found.value = ValueRange(
                        low[0].amount, high[0].amount, currency, inclusive=True
                    )
                    return high[1]
            return None
        for table, is_low in ((_MORE, True), (_LESS, False)):
            for phrase, inclusive in table:
                end = start + len(phrase)
                if words[start:end] != phrase:
                    continue
                found = self._amount(end)
                if found is None:
                    return None
                money, stop = found
                self._set_value(money, is_low, inclusive)
                return stop
        found = self._amount(start)
        if found is None:
            return None
        money, stop = found
        for tails, is_low in ((_OR_MORE, True), (_OR_LESS, False)):
            tail_end = self._phrase(stop, tails)
            if tail_end is not None:
                self._set_value(money, is_low, inclusive=True)
                return tail_end
        return None

    def _set_value(self, money: Money, is_low: bool, inclusive: bool) -> None:
        current = self._found.value or ValueRange(currency=money.currency)
        if is_low:
            current = replace(current, low=money.amount, inclusive=inclusive)
        else:
            current = replace(current, high=money.amount, inclusive=inclusive)
        self._found.value = replace(current, currency=money.currency or current.currency)

    def _amount(self, at: int, stop: str | None = None) -> tuple[Money, int] | None:
        words = self._words
        for size in range(min(3, len(words) - at), 0, -1):
            chunk = words[at : at + size]
            if stop is not None and stop in chunk:
                continue
            if not any(ch.isdecimal() for ch in chunk[0] + (chunk[1] if size > 1 else "")):
                continue
            if any(word in _STOPS for word in chunk[1:]):
                continue
            found = parse_amount(self._span(at, at + size))
            if isinstance(found, Money):
                return found, at + size
        return None

    def _stage(self, at: int) -> int | None:
        words = self._words
        start = at + 1 if words[at] in ("in", "at") else at
        if start < len(words) and words[start] == "the":
            start += 1
        if start < len(words) and words[start] in ("stage", "phase"):
            start += 1
            if start < len(words) and words[start] in (":", "=", "is"):
                start += 1
            stage = _STAGES.get(words[start]) if start < len(words) else None
            if stage is None:
                return None
            self._found.stage = stage
            return start + 1
        stage = _STAGES.get(words[start]) if start < len(words) else None
        if stage is None:
            return None
        has_word = start + 1 < len(words) and words[start + 1] in _STAGE_WORDS
        if not has_word and (start == at or words[start] in ("close", "closing")):
            return None
        self._found.stage = stage
        return start + (2 if has_word else 1)

    def _country(self, at: int) -> int | None:
        words = self._words
        if words[at] not in ("in", "from"):
            return None
        start = at + 1
        for prefix in (("customers", "in"), ("based", "in"), ("located", "in")):
            if words[start : start + len(prefix)] == prefix:
                start += len(prefix)
        starts = (start, start + 1) if words[start : start + 1] == ("the",) else (start,)
        for first in starts:
            for size in range(min(5, len(words) - first), 0, -1):
                name = " ".join(words[first : first + size])
                code = COUNTRIES.get(name)
                if code is None or (name == "us" and self._tokens[first].text != "US"):
                    continue  # "deals in us" is not a country
                self._found.country = code
                return first + size
        return None

    def _mine(self, at: int) -> int | None:
        end = self._phrase(at, _MINE)
        if end is not None:
            self._found.mine = True
        return end

    def _member(self, at: int) -> int | None:
        end = self._phrase(at, _MEMBER_LEADS)
        if end is None:
            return None
        name = self._name(end)
        if name is None:
            return None
        self._found.member, stop = name
        return stop

    def _customer(self, at: int) -> int | None:
        end = self._phrase(at, _CUSTOMER_LEADS)
        if end is None:
            return None
        name = self._name(end)
        if name is None:
            return None
        self._found.customer, stop = name
        return stop

    def _party(self, at: int) -> int | None:
        end = self._phrase(at, _PARTY_LEADS)
        if end is None:
            return None
        name = self._name(end)
        if name is None:
            return None
        self._found.party, stop = name
        return stop

    def _possessive(self, at: int) -> int | None:
        """ "Oscar's deals", "Wong & Partners' open deals": a name ending in 's or s'. Tried
        before statuses, so "Lost Coast Brewing's deals" is a name when its first word is
        capitalized as typed ("overdue Oscar's deals" stays overdue)."""
        words = self._words
        if words[at] in _STOPS and not self._tokens[at].text[:1].isupper():
            return None
        for end in range(at, min(at + MAX_NAME_WORDS, len(words))):
            word = words[end]
            if end > at and word in _STOPS:
                return None
            if word in _CONTRACTIONS:
                return None
            after = end + 1
            if word.endswith("'s") and len(word) > 2:
                name = self._span(at, end + 1)[:-2]
            elif after < len(words) and words[after] == "'" and word.endswith("s"):
                name, after = self._span(at, end + 1), after + 1
            else:
                continue
            if after >= len(words) or not self._list_word(after):
                return None
            self._found.party = name.strip()
            return after
        return None

    def _list_word(self, at: int) -> bool:
        word = self._words[at]
        return (
            word in _NOUNS
            or word in _SINGULAR
            or word in _STATUS_WORDS
            or word in ("biggest", "largest", "smallest", "top", "overdue", "total")
        )

    def _name(self, at: int) -> tuple[str, int] | None:
        """A customer's or person's name: the first word is free, later ones stop at a filter."""
        words = self._words
        if at >= len(words) or (self._tokens[at].is_punctuation and words[at] != "&"):
            return None
        if words[at] in ("me", "my", "i"):
            return None
        end = at + 1
        while end < len(words) and end - at < MAX_NAME_WORDS and words[end] not in _STOPS:
            end += 1
        name = self._span(at, end).strip()
        if name.endswith(("'s", "’s")):
            name = name[:-2]
        return (name, end) if name else None


_DAY = timedelta(days=1)


def _number(word: str) -> int | None:
    if word.isdecimal() and len(word) <= 3:
        return int(word)
    return _NUMBERS.get(word)


def _days_in(count: int, unit: str, today: date) -> int | None:
    unit = unit.rstrip("s")
    if unit == "day":
        return count
    if unit in ("week", "wk"):
        return 7 * count
    if unit in ("month", "mo"):
        index = today.year * 12 + today.month - 1 + count
        year, month = divmod(index, 12)
        day = min(today.day, 28)
        return (date(year, month + 1, day) - today.replace(day=day)).days
    return None


def _next_days(days: int, field_: DateField) -> Period:
    return Period(field_, PeriodUnit.DAY, 0, days)


def _year(word: str) -> int | None:
    if len(word) == 4 and word.isdecimal() and 2000 <= int(word) <= 2100:
        return int(word)
    if len(word) == 6 and word.startswith("fy") and word[2:].isdecimal():
        return int(word[2:])
    return None


def _quarter(word: str) -> int | None:
    if len(word) == 2 and word[0] == "q" and word[1] in "1234":
        return int(word[1])
    return None


def _month_year(month: int, today: date) -> int:
    """The current month counts as this year's; a past month means next year's."""
    return today.year if month >= today.month else infer_year(month, 1, today)


def _quarter_year(quarter: int, today: date) -> int:
    current = (today.month - 1) // 3 + 1
    return today.year if quarter >= current else today.year + 1


def _currencies_differ(low: Money, high: Money) -> bool:
    """ "between USD 100k and EUR 200k" compares nothing: refused rather than guessed."""
    return bool(low.currency and high.currency and low.currency != high.currency)

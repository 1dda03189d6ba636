"""What the bot says about a composed list: its title, "nothing matches", a count or a total.

Titles are composed from the query ("Open deals over USD 250,000 closing next quarter, biggest
first"); the presets keep their own titles (dialogs/replies.py). Names the seller typed go through
`inert_message` in sentences; the card makes its title inert itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.cards.text import inert_message
from bot.domain.formatting import format_date, format_money
from bot.domain.list_query import (
    DateField,
    ListQuery,
    ListStatus,
    ListTally,
    Order,
    Period,
    PeriodUnit,
    ValueRange,
)
from dialogs import replies
from dialogs.grammar.list_rules import COUNTRY_NAMES

NAME_LIMIT = 60
TITLE_LIMIT = 200
_ADJECTIVES = (
    (ListStatus.OPEN, "open"),
    (ListStatus.ACCEPTED, "accepted"),
    (ListStatus.WON, "won"),
    (ListStatus.LOST, "lost"),
    (ListStatus.DECLINED, "declined"),
    (ListStatus.EXPIRED, "expired"),
)
_CLOSED = frozenset({ListStatus.WON, ListStatus.LOST, ListStatus.DECLINED, ListStatus.EXPIRED})
_ORDER_WORDS = {
    Order.BIGGEST: "biggest first",
    Order.SMALLEST: "smallest first",
    Order.CLOSING_SOONEST: "closing soonest first",
    Order.EXPIRING_SOONEST: "soonest to expire first",
    Order.RECENTLY_UPDATED: "most recently updated first",
    Order.OLDEST_CREATED: "oldest first",
}
_UNIT_WORDS = {
    PeriodUnit.DAY: "day",
    PeriodUnit.WEEK: "week",
    PeriodUnit.MONTH: "month",
    PeriodUnit.QUARTER: "quarter",
    PeriodUnit.YEAR: "year",
}
_DAY_WORDS = {0: "today", 1: "tomorrow", -1: "yesterday"}


def title(query: ListQuery) -> str:
    if query.preset is not None:
        return replies.LIST_TITLES[query.preset]
    phrase = noun_phrase(query, plural=True, name=_as_typed)
    owner = _owner(query, name=_as_typed)
    text = f"{owner} {phrase}" if owner else phrase
    if query.top is not None:
        text = f"Top {query.top} {text}"
    text = text[:1].upper() + text[1:]
    if query.order is not None:
        text = f"{text}, {_ORDER_WORDS[query.order]}"
    return text


def empty(query: ListQuery, coverage_note: str | None) -> str:
    if query.preset is not None:
        text = replies.EMPTY_LISTS[query.preset]
    else:
        text = f"No referrals match “{_name(title(query), limit=TITLE_LIMIT)}” right now."
    return text if coverage_note is None else f"{text} {coverage_note}"


def count_sentence(query: ListQuery, tally: ListTally) -> str:
    phrase = noun_phrase(query, plural=tally.count != 1)
    return f"{_subject(query, tally.count)} {tally.count} {phrase}."


def total_sentence(query: ListQuery, tally: ListTally) -> str:
    """One sentence: a sum per currency, never converted, and what had no value."""
    phrase = noun_phrase(query, plural=tally.count != 1)
    owner = _owner(query)
    whose = f"{owner} " if owner else ""
    if tally.count == 0:
        return f"There are no {whose}{noun_phrase(query, plural=True)}, so the total is 0."
    sums = _joined(format_money(amount, currency) for currency, amount in tally.totals)
    head = f"The {tally.count} {whose}{phrase} "
    if not tally.totals:
        return f"{head}have no deal value yet."
    verb = "adds" if tally.count == 1 else "add"
    text = f"{head}{verb} up to {sums}"
    notes = []
    if len(tally.totals) > 1:
        notes.append(f"{len(tally.totals)} currencies, not converted")
    if tally.unvalued:
        have = "has" if tally.unvalued == 1 else "have"
        notes.append(f"{tally.unvalued} {have} no value")
    return f"{text} ({'; '.join(notes)})." if notes else f"{text}."


def currency_note(query: ListQuery, currencies: Iterable[str | None]) -> str | None:
    """Said under a list whose values were compared or sorted across several currencies."""
    compares = query.value is not None and query.value.currency is None
    sorts = query.order in (Order.BIGGEST, Order.SMALLEST)
    seen = sorted({currency for currency in currencies if currency})
    if not (compares or sorts) or len(seen) < 2:
        return None
    how = "compared and sorted" if compares and sorts else "compared" if compares else "sorted"
    return (
        f"These deals are in {_joined(seen)}: values were {how} within each deal's own "
        "currency, not converted."
    )


def noun_phrase(query: ListQuery, *, plural: bool, name: Callable[[str], str] | None = None) -> str:
    """ "open deals over USD 250,000 closing next quarter" (no owner, order or top)."""
    name = name or _name
    adjectives = [word for status, word in _ADJECTIVES if status in query.statuses]
    if query.overdue:
        adjectives.insert(0, "overdue")
    lead = query.statuses == {ListStatus.NEW_LEAD}
    if ListStatus.NEW_LEAD in query.statuses and not lead:
        adjectives.append("new")
    noun = ("new lead" if lead else "deal") + ("s" if plural else "")
    if query.statuses >= _CLOSED and ListStatus.OPEN not in query.statuses:
        adjectives = [w for w in adjectives if w not in ("won", "lost", "declined", "expired")]
        adjectives.append("closed")
    words = [_or(adjectives), noun] if adjectives else [noun]
    if query.customer:
        words.append(f"for {name(query.customer)}")
    if query.member and not query.mine:
        words.append(f"with {name(query.member)} on the team")
    if query.value is not None:
        words.append(_value(query.value))
    if query.period is not None:
        words.append(
            _period(query.period, closed=bool(query.statuses) and query.statuses <= _CLOSED)
        )
    if query.stage:
        words.append(f"in the {query.stage} stage")
    if query.country:
        words.append(f"in {COUNTRY_NAMES.get(query.country, query.country)}")
    return " ".join(words)


def _owner(query: ListQuery, name: Callable[[str], str] | None = None) -> str | None:
    if query.mine:
        return "your"
    if query.party:
        return f"{(name or _name)(query.party)}'s"
    return None


def _subject(query: ListQuery, count: int) -> str:
    if query.mine:
        return "You have"
    if query.party:
        return f"{_name(query.party)} has"
    return "There is" if count == 1 else "There are"


def _name(text: str, limit: int = NAME_LIMIT) -> str:
    """A name the seller typed, for a message (markdown): shown literally."""
    return inert_message(text, limit=limit)


def _as_typed(text: str) -> str:
    """For the card's title, which the card makes inert itself."""
    return text


def _value(value: ValueRange) -> str:
    def money(amount: object) -> str:
        return format_money(amount, value.currency)  # type: ignore[arg-type]

    if value.low is not None and value.high is not None:
        return f"between {money(value.low)} and {money(value.high)}"
    if value.low is not None:
        return f"of at least {money(value.low)}" if value.inclusive else f"over {money(value.low)}"
    if value.high is not None:
        return (
            f"of at most {money(value.high)}" if value.inclusive else f"under {money(value.high)}"
        )
    return "with any value"


def _period(period: Period, *, closed: bool) -> str:
    verb = "expiring" if period.field is DateField.EXPIRATION else "closed" if closed else "closing"
    if period.unit is None:
        if period.after is not None and period.before is not None:
            last = period.before.fromordinal(period.before.toordinal() - 1)
            return f"{verb} between {format_date(period.after)} and {format_date(last)}"
        if period.after is not None:
            return f"{verb} on or after {format_date(period.after)}"
        if period.before is not None:
            return f"{verb} before {format_date(period.before)}"
        return verb
    if period.unit is PeriodUnit.DAY and period.span > 1:
        if period.offset < 0:
            return f"{verb} in the last {-period.offset} days"
        return f"{verb} in the next {period.span} days"
    if period.unit is PeriodUnit.DAY and period.offset in _DAY_WORDS:
        return f"{verb} {_DAY_WORDS[period.offset]}"
    unit = _UNIT_WORDS[period.unit]
    which = {0: "this", 1: "next", -1: "last"}.get(period.offset)
    if which is None:
        return f"{verb} in {period.offset:+d} {unit}s"
    return f"{verb} {which} {unit}"


def _or(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    if words[0] == "overdue":
        return f"overdue {_or(words[1:])}"
    return f"{', '.join(words[:-1])} or {words[-1]}"


def _joined(items: Iterable[str]) -> str:
    parts = list(items)
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"

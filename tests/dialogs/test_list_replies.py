"""Titles and one-sentence answers composed from a list query (dialogs/list_replies.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.domain.list_kinds import ListKind
from bot.domain.list_query import (
    DateField,
    ListQuery,
    ListStatus,
    ListTally,
    Order,
    Period,
    PeriodUnit,
    ValueRange,
    preset,
)
from dialogs import list_replies, replies

OPEN = frozenset({ListStatus.OPEN})
NEXT_Q = Period(DateField.CLOSE, PeriodUnit.QUARTER, 1)


@pytest.mark.parametrize(
    ("query", "title"),
    [
        (
            ListQuery(
                OPEN,
                value=ValueRange(low=Decimal(250_000), currency="USD"),
                period=NEXT_Q,
                order=Order.BIGGEST,
            ),
            "Open deals over USD 250,000 closing next quarter, biggest first",
        ),
        (ListQuery(top=5, order=Order.BIGGEST), "Top 5 deals, biggest first"),
        (ListQuery(overdue=True), "Overdue deals"),
        (ListQuery(party="Oscar"), "Oscar's deals"),
        (ListQuery(mine=True, member="Megan Bowen"), "Your deals"),
        (ListQuery(frozenset({ListStatus.WON}), period=Period(DateField.CLOSE, PeriodUnit.YEAR)),
         "Won deals closed this year"),
        (ListQuery(frozenset({ListStatus.NEW_LEAD}),
                   period=Period(DateField.EXPIRATION, PeriodUnit.WEEK)),
         "New leads expiring this week"),
        (ListQuery(frozenset({ListStatus.NEW_LEAD}),
                   period=Period(DateField.EXPIRATION, PeriodUnit.DAY, 0, 10)),
         "New leads expiring in the next 10 days"),
        (ListQuery(country="DE"), "Deals in Germany"),
        (ListQuery(stage="Propose"), "Deals in the Propose stage"),
        (ListQuery(customer="Wong & Partners"), "Deals for Wong & Partners"),
        (ListQuery(member="Oscar"), "Deals with Oscar on the team"),
        (ListQuery(frozenset({ListStatus.WON, ListStatus.LOST})), "Won or lost deals"),
        (ListQuery(value=ValueRange(Decimal(100_000), Decimal(250_000), "EUR", inclusive=True)),
         "Deals between EUR 100,000 and EUR 250,000"),
        (ListQuery(value=ValueRange(high=Decimal(50_000), inclusive=True)),
         "Deals of at most 50,000"),
        (ListQuery(period=Period(DateField.CLOSE, after=date(2027, 1, 1), before=date(2027, 4, 1))),
         "Deals closing between Fri 1 Jan 2027 and Wed 31 Mar 2027"),
        (ListQuery(period=Period(DateField.CLOSE, before=date(2026, 12, 31))),
         "Deals closing before Thu 31 Dec 2026"),
        (preset(ListKind.CLOSING_THIS_MONTH), replies.LIST_TITLES[ListKind.CLOSING_THIS_MONTH]),
    ],
)  # fmt: skip
def test_a_title_is_composed_from_the_query(query: ListQuery, title: str) -> None:
    assert list_replies.title(query) == title


@pytest.mark.parametrize(
    ("query", "tally", "sentence"),
    [
        (ListQuery(OPEN), ListTally(12), "There are 12 open deals."),
        (ListQuery(OPEN), ListTally(1), "There is 1 open deal."),
        (ListQuery(party="Oscar"), ListTally(3), "Oscar has 3 deals."),
        (ListQuery(OPEN, mine=True), ListTally(0), "You have 0 open deals."),
        (ListQuery(overdue=True), ListTally(2), "There are 2 overdue deals."),
    ],
)
def test_a_count_is_one_sentence(query: ListQuery, tally: ListTally, sentence: str) -> None:
    assert list_replies.count_sentence(query, tally) == sentence


@pytest.mark.parametrize(
    ("tally", "sentence"),
    [
        (
            ListTally(3, (("USD", Decimal(1_300_000)),)),
            "The 3 open deals closing next quarter add up to USD 1,300,000.",
        ),
        (
            ListTally(4, (("EUR", Decimal(420_000)), ("USD", Decimal(900_000))), unvalued=2),
            "The 4 open deals closing next quarter add up to EUR 420,000 and USD 900,000 "
            "(2 currencies, not converted; 2 have no value).",
        ),
        (ListTally(0), "There are no open deals closing next quarter, so the total is 0."),
        (ListTally(2, (), unvalued=2),
         "The 2 open deals closing next quarter have no deal value yet."),
    ],
)  # fmt: skip
def test_a_total_is_per_currency(tally: ListTally, sentence: str) -> None:
    assert list_replies.total_sentence(ListQuery(OPEN, period=NEXT_Q), tally) == sentence


def test_a_name_in_a_sentence_is_inert() -> None:
    sentence = list_replies.count_sentence(
        ListQuery(party="[x](https://evil.example)"), ListTally(1)
    )
    assert "](" not in sentence or "\\]" in sentence
    assert "https://evil" not in sentence


def test_mixed_currencies_are_named_only_when_values_were_compared_or_sorted() -> None:
    compared = ListQuery(value=ValueRange(low=Decimal(1)))
    assert list_replies.currency_note(compared, ["USD", "EUR", None]) is not None
    assert list_replies.currency_note(compared, ["USD", "USD"]) is None
    assert list_replies.currency_note(ListQuery(OPEN), ["USD", "EUR"]) is None
    fixed = ListQuery(value=ValueRange(low=Decimal(1), currency="USD"))
    assert list_replies.currency_note(fixed, ["USD", "EUR"]) is None

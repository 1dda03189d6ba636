"""Composed lists (issue 16, section 2): how ten different sellers ask for each kind of list.

Each row is a message and the ListQuery it must read as; the presets keep their own rows in
test_parse_read.py. Names are real-world shaped ("Wong & Partners", "O'Brien Logistics").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from bot.domain.list_kinds import ListKind
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
from dialogs.grammar.commands import ListReferrals, ShowReferral, UpdateReferral
from dialogs.grammar.parser import parse_command

TODAY = date(2026, 11, 25)  # a Wednesday in Q4
OPEN = frozenset({ListStatus.OPEN})
WON = frozenset({ListStatus.WON})
LOST = frozenset({ListStatus.LOST})
LEADS = frozenset({ListStatus.NEW_LEAD})
CLOSED = frozenset({ListStatus.WON, ListStatus.LOST, ListStatus.DECLINED, ListStatus.EXPIRED})


def q(**fields: Any) -> ListQuery:
    return ListQuery(**fields)


def closing(unit: PeriodUnit, offset: int = 0) -> Period:
    return Period(DateField.CLOSE, unit, offset)


def expiring(unit: PeriodUnit, offset: int = 0, span: int = 1) -> Period:
    return Period(DateField.EXPIRATION, unit, offset, span)


def over(amount: int, currency: str | None = None) -> ValueRange:
    return ValueRange(low=Decimal(amount), currency=currency)


def under(amount: int, currency: str | None = None) -> ValueRange:
    return ValueRange(high=Decimal(amount), currency=currency)


NEXT_Q = closing(PeriodUnit.QUARTER, 1)
THIS_Q = closing(PeriodUnit.QUARTER)
THIS_Y = closing(PeriodUnit.YEAR)
THIS_W = closing(PeriodUnit.WEEK)
NEXT_M = closing(PeriodUnit.MONTH, 1)
LAST_Q = closing(PeriodUnit.QUARTER, -1)
SOON = expiring(PeriodUnit.DAY, 0, 7)

ROWS: list[tuple[str, ListQuery | ListReferrals | None]] = [
    # --- the issue's own example, and nine more ways to say it
    (
        "open deals over 250k closing next quarter, biggest first",
        q(statuses=OPEN, value=over(250_000), period=NEXT_Q, order=Order.BIGGEST),
    ),
    (
        "show me open deals over $250k closing next quarter biggest first",
        q(statuses=OPEN, value=over(250_000, "USD"), period=NEXT_Q, order=Order.BIGGEST),
    ),
    (
        "open deals above 250,000 closing next qtr sorted by value",
        q(statuses=OPEN, value=over(250_000), period=NEXT_Q, order=Order.BIGGEST),
    ),
    (
        "which open opportunities over 250k close next quarter? largest first",
        q(statuses=OPEN, value=over(250_000), period=NEXT_Q, order=Order.BIGGEST),
    ),
    (
        "list active deals worth more than 250k due next quarter, by value",
        q(statuses=OPEN, value=over(250_000), period=NEXT_Q, order=Order.BIGGEST),
    ),
    (
        "open deals closing next quarter over 250k biggest first",
        q(statuses=OPEN, value=over(250_000), period=NEXT_Q, order=Order.BIGGEST),
    ),
    (
        "biggest open deals closing next quarter over 250k",
        q(statuses=OPEN, value=over(250_000), period=NEXT_Q, order=Order.BIGGEST),
    ),
    (
        "open referrals > 250k landing next quarter, highest first",
        q(statuses=OPEN, value=over(250_000), period=NEXT_Q, order=Order.BIGGEST),
    ),
    (
        "pull up open deals valued over USD 250,000 expected to close next quarter",
        q(statuses=OPEN, value=over(250_000, "USD"), period=NEXT_Q),
    ),
    (
        "open opps greater than 250k in the next quarter ordered by deal value",
        q(statuses=OPEN, value=over(250_000), period=NEXT_Q, order=Order.BIGGEST),
    ),
    # --- top N
    ("top 5 deals by value", q(top=5, order=Order.BIGGEST)),
    ("top 5 deals", q(top=5, order=Order.BIGGEST)),
    ("show my top 5 deals", q(top=5, order=Order.BIGGEST)),
    ("top five opportunities", q(top=5, order=Order.BIGGEST)),
    ("5 biggest deals", q(top=5, order=Order.BIGGEST)),
    ("the 10 largest open deals", q(statuses=OPEN, top=10, order=Order.BIGGEST)),
    ("top 3 open deals this quarter", q(statuses=OPEN, top=3, period=THIS_Q, order=Order.BIGGEST)),
    ("3 smallest deals", q(top=3, order=Order.SMALLEST)),
    ("what are my top 10 deals?", q(top=10, order=Order.BIGGEST)),
    ("top 5 won deals this year", q(statuses=WON, top=5, period=THIS_Y, order=Order.BIGGEST)),
    ("my biggest deal", q(top=1, order=Order.BIGGEST)),
    ("what's my biggest open deal", q(statuses=OPEN, top=1, order=Order.BIGGEST)),
    ("smallest open deal", q(statuses=OPEN, top=1, order=Order.SMALLEST)),
    ("first 3 deals closing soonest", q(top=3, order=Order.CLOSING_SOONEST)),
    # --- overdue
    ("what's overdue", q(overdue=True)),
    ("what's overdue?", q(overdue=True)),
    ("overdue deals", q(overdue=True)),
    ("show overdue deals", q(overdue=True)),
    ("any overdue referrals?", q(overdue=True)),
    ("are there any overdue deals", q(overdue=True)),
    ("is there anything overdue", q(overdue=True)),
    ("deals past their close date", q(overdue=True)),
    ("open deals past due", q(overdue=True)),
    ("which deals are late", q(overdue=True)),
    ("overdue deals over 100k", q(overdue=True, value=over(100_000))),
    ("my overdue opportunities biggest first", q(overdue=True, order=Order.BIGGEST)),
    # --- expiring leads
    ("leads expiring this week", q(statuses=LEADS, period=expiring(PeriodUnit.WEEK))),
    ("new leads expiring this week", q(statuses=LEADS, period=expiring(PeriodUnit.WEEK))),
    ("which leads expire this week?", q(statuses=LEADS, period=expiring(PeriodUnit.WEEK))),
    ("leads that expire next week", q(statuses=LEADS, period=expiring(PeriodUnit.WEEK, 1))),
    ("leads expiring soon", q(statuses=LEADS, period=SOON)),
    ("leads about to expire", q(statuses=LEADS, period=SOON)),
    (
        "leads expiring within 10 days",
        q(statuses=LEADS, period=expiring(PeriodUnit.DAY, 0, 10)),
    ),
    (
        "leads expiring in the next 3 days",
        q(statuses=LEADS, period=expiring(PeriodUnit.DAY, 0, 3)),
    ),
    (
        "incoming leads expiring in 2 weeks",
        q(statuses=LEADS, period=expiring(PeriodUnit.DAY, 0, 14)),
    ),
    ("deals expiring today", q(period=expiring(PeriodUnit.DAY))),
    ("leads soonest to expire", q(statuses=LEADS, order=Order.EXPIRING_SOONEST)),
    ("leads expiring soonest", q(statuses=LEADS, order=Order.EXPIRING_SOONEST)),
    ("new leads by expiry date", q(statuses=LEADS, order=Order.EXPIRING_SOONEST)),
    ("unanswered leads expiring this month", q(statuses=LEADS, period=expiring(PeriodUnit.MONTH))),
    # --- possessive and members
    ("Oscar's deals", q(party="Oscar")),
    ("show Oscar's deals", q(party="Oscar")),
    ("Oscar's open deals", q(party="Oscar", statuses=OPEN)),
    ("what are Megan's deals?", q(party="Megan")),
    ("Priya Natarajan's open opportunities", q(party="Priya Natarajan", statuses=OPEN)),
    ("Oscar's won deals this year", q(party="Oscar", statuses=WON, period=THIS_Y)),
    ("Oscar's biggest deals", q(party="Oscar", order=Order.BIGGEST)),
    ("Wong & Partners' open deals", q(party="Wong & Partners", statuses=OPEN)),
    ("O'Brien Logistics's deals", q(party="O'Brien Logistics")),
    ("Müller & Söhne's pipeline", q(party="Müller & Söhne", statuses=OPEN)),
    ("deals assigned to Oscar", q(member="Oscar")),
    ("open deals owned by Megan Bowen", q(member="Megan Bowen", statuses=OPEN)),
    ("deals handled by priya@contoso.com", q(member="priya@contoso.com")),
    ("deals for team member Oscar closing this quarter", q(member="Oscar", period=THIS_Q)),
    ("open deals with team member Alex", q(member="Alex", statuses=OPEN)),
    # --- mine
    ("deals assigned to me", q(mine=True)),
    ("open deals assigned to me", q(mine=True, statuses=OPEN)),
    ("deals I'm on", q(mine=True)),
    ("which deals am I on", None),  # not understood yet: "am I on"
    ("deals I own closing this month", q(mine=True, period=closing(PeriodUnit.MONTH))),
    ("show mine", q(mine=True)),
    ("open deals that are mine", q(mine=True, statuses=OPEN)),
    ("my own deals", q(mine=True)),
    # --- "my" is the seller's view: statuses and periods
    ("my won deals this year", q(statuses=WON, period=THIS_Y)),
    ("won deals this year", q(statuses=WON, period=THIS_Y)),
    ("what did we win this year", None),  # a verb form: not understood yet
    ("deals won this year", q(statuses=WON, period=THIS_Y)),
    ("lost deals last quarter", q(statuses=LOST, period=LAST_Q)),
    ("show lost deals from last quarter", q(statuses=LOST, period=LAST_Q)),
    ("deals we lost last quarter", q(statuses=LOST, period=LAST_Q)),
    ("declined referrals", q(statuses=frozenset({ListStatus.DECLINED}))),
    ("rejected leads", q(statuses=frozenset({ListStatus.DECLINED}))),
    ("expired leads", q(statuses=frozenset({ListStatus.EXPIRED}))),
    ("accepted deals", q(statuses=frozenset({ListStatus.ACCEPTED}))),
    ("closed deals this year", q(statuses=CLOSED, period=THIS_Y)),
    ("closed deals", q(statuses=CLOSED)),
    ("won or lost deals this quarter", q(statuses=WON | LOST, period=THIS_Q)),
    ("won and lost deals last month", q(statuses=WON | LOST, period=closing(PeriodUnit.MONTH, -1))),
    ("open deals closing this week", q(statuses=OPEN, period=THIS_W)),
    ("deals closing next month", q(period=NEXT_M)),
    ("deals closing next week", q(period=closing(PeriodUnit.WEEK, 1))),
    ("deals due next month", q(period=NEXT_M)),
    ("open deals this year", q(statuses=OPEN, period=THIS_Y)),
    ("deals closing this year", q(period=THIS_Y)),
    ("deals closing last year", q(period=closing(PeriodUnit.YEAR, -1))),
    ("deals closing today", q(period=closing(PeriodUnit.DAY))),
    ("deals closing tomorrow", q(period=closing(PeriodUnit.DAY, 1))),
    ("deals closing in the next 30 days", q(period=Period(DateField.CLOSE, PeriodUnit.DAY, 0, 30))),
    ("deals closing within 2 weeks", q(period=Period(DateField.CLOSE, PeriodUnit.DAY, 0, 14))),
    ("deals closing in the coming quarter", q(period=NEXT_Q)),
    ("deals closing in the current quarter", ListReferrals(ListKind.CLOSING_THIS_QUARTER)),
    ("open deals closing this month", ListReferrals(ListKind.CLOSING_THIS_MONTH)),
    ("open deals in the previous month", q(statuses=OPEN, period=closing(PeriodUnit.MONTH, -1))),
    # --- absolute dates
    (
        "deals closing before 31 December",
        q(period=Period(DateField.CLOSE, before=date(2026, 12, 31))),
    ),
    ("deals closing by 31 Dec", q(period=Period(DateField.CLOSE, before=date(2027, 1, 1)))),
    (
        "open deals closing after 2027-01-15",
        q(statuses=OPEN, period=Period(DateField.CLOSE, after=date(2027, 1, 16))),
    ),
    (
        "deals closing between 1 Jan 2027 and 31 Mar 2027",
        q(period=Period(DateField.CLOSE, after=date(2027, 1, 1), before=date(2027, 4, 1))),
    ),
    (
        "deals closing from 2027-02-01 to 2027-02-28",
        q(period=Period(DateField.CLOSE, after=date(2027, 2, 1), before=date(2027, 3, 1))),
    ),
    (
        "deals closing since 1 November 2026",
        q(period=Period(DateField.CLOSE, after=date(2026, 11, 1))),
    ),
    (
        "deals closing in March",
        q(period=Period(DateField.CLOSE, after=date(2027, 3, 1), before=date(2027, 4, 1))),
    ),
    (
        "deals closing in December",
        q(period=Period(DateField.CLOSE, after=date(2026, 12, 1), before=date(2027, 1, 1))),
    ),
    (
        "deals closing in November",
        q(period=Period(DateField.CLOSE, after=date(2026, 11, 1), before=date(2026, 12, 1))),
    ),
    (
        "deals closing in Q1",
        q(period=Period(DateField.CLOSE, after=date(2027, 1, 1), before=date(2027, 4, 1))),
    ),
    (
        "open deals closing in Q4",
        q(
            statuses=OPEN,
            period=Period(DateField.CLOSE, after=date(2026, 10, 1), before=date(2027, 1, 1)),
        ),
    ),
    (
        "deals closing in Q2 2027",
        q(period=Period(DateField.CLOSE, after=date(2027, 4, 1), before=date(2027, 7, 1))),
    ),
    (
        "won deals in 2025",
        q(
            statuses=WON,
            period=Period(DateField.CLOSE, after=date(2025, 1, 1), before=date(2026, 1, 1)),
        ),
    ),
    # --- value
    ("deals over 100k", q(value=over(100_000))),
    ("deals above €100k", q(value=over(100_000, "EUR"))),
    ("deals over 100,000 EUR", q(value=over(100_000, "EUR"))),
    ("deals worth more than 1.2M", q(value=over(1_200_000))),
    ("deals under 50k", q(value=under(50_000))),
    ("deals below £20k", q(value=under(20_000, "GBP"))),
    ("open deals less than 10k", q(statuses=OPEN, value=under(10_000))),
    ("deals smaller than 5000", q(value=under(5_000))),
    ("deals of at least 500k", q(value=ValueRange(low=Decimal(500_000), inclusive=True))),
    ("deals worth at most 20k", q(value=ValueRange(high=Decimal(20_000), inclusive=True))),
    ("deals worth 250k or more", q(value=ValueRange(low=Decimal(250_000), inclusive=True))),
    ("deals 50k or less", q(value=ValueRange(high=Decimal(50_000), inclusive=True))),
    (
        "open deals between 100k and 250k EUR",
        q(
            statuses=OPEN,
            value=ValueRange(Decimal(100_000), Decimal(250_000), "EUR", inclusive=True),
        ),
    ),
    (
        "deals between $50k and $75k",
        q(value=ValueRange(Decimal(50_000), Decimal(75_000), "USD", inclusive=True)),
    ),
    ("deals between USD 50k and EUR 75k", None),  # two currencies: refused, not guessed
    ("deals > 1m", q(value=over(1_000_000))),
    ("deals with a value over CHF 80'000", q(value=over(80_000, "CHF"))),
    ("deals valued above 2.5 million", q(value=over(2_500_000))),
    # --- stage and country
    ("deals in the propose stage", q(stage="Propose")),
    ("deals in propose", q(stage="Propose")),
    ("open deals at the qualify stage", q(statuses=OPEN, stage="Qualify")),
    ("deals in stage develop", q(stage="Develop")),
    ("deals in the close stage", q(stage="Close")),
    ("deals in proposal stage over 100k", q(stage="Propose", value=over(100_000))),
    ("deals in Germany", q(country="DE")),
    ("open deals in Switzerland", q(statuses=OPEN, country="CH")),
    ("deals in the UK", q(country="GB")),
    ("deals in the United Kingdom", q(country="GB")),
    ("deals in the US closing this quarter", q(country="US", period=THIS_Q)),
    ("deals in the United States", q(country="US")),
    ("deals from France", q(country="FR")),
    ("deals in the Netherlands over €50k", q(country="NL", value=over(50_000, "EUR"))),
    ("won deals in Japan this year", q(statuses=WON, country="JP", period=THIS_Y)),
    ("deals in Austria biggest first", q(country="AT", order=Order.BIGGEST)),
    # --- customers
    ("deals for Lots Road Auctions", q(party="Lots Road Auctions")),
    ("open deals for Ember Cobalt Ltd", q(party="Ember Cobalt Ltd", statuses=OPEN)),
    (
        "deals for customer Wong & Partners closing this month",
        q(customer="Wong & Partners", period=closing(PeriodUnit.MONTH)),
    ),
    ("deals with Müller & Söhne", q(party="Müller & Söhne")),
    ("won deals for O'Brien Logistics", q(party="O'Brien Logistics", statuses=WON)),
    ("deals for customer Contoso over 100k", q(customer="Contoso", value=over(100_000))),
    ("open referrals for client Fabrikam", q(customer="Fabrikam", statuses=OPEN)),
    ("deals at Northwind Traders", q(party="Northwind Traders")),
    # a name's first word may be one of ours: it is the name's
    ("deals for Open Road Logistics", q(party="Open Road Logistics")),
    ("won deals for Lost Coast Brewing", q(party="Lost Coast Brewing", statuses=WON)),
    ("open deals for New Horizons", q(party="New Horizons", statuses=OPEN)),
    ("deals for Top Notch Media over 10k", q(party="Top Notch Media", value=over(10_000))),
    ("Lost Coast Brewing's open deals", q(party="Lost Coast Brewing", statuses=OPEN)),
    ("overdue Oscar's deals", q(overdue=True, party="Oscar")),
    ("Oscar's overdue deals", q(overdue=True, party="Oscar")),
    ("won Oscar's deals", q(statuses=WON, party="Oscar")),
    ("deals for customer Closing Time Bar", q(customer="Closing Time Bar")),
    ("deals for Northwind Closing Services", None),  # "Closing" after a name's first word
    (
        "deals with Ember Cobalt Ltd in the propose stage",
        q(party="Ember Cobalt Ltd", stage="Propose"),
    ),
    # --- order alone
    ("deals by close date", q(order=Order.CLOSING_SOONEST)),
    ("open deals closing soonest", q(statuses=OPEN, order=Order.CLOSING_SOONEST)),
    ("recently updated deals", q(order=Order.RECENTLY_UPDATED)),
    ("most recently updated open deals", q(statuses=OPEN, order=Order.RECENTLY_UPDATED)),
    ("open deals sorted by value", q(statuses=OPEN, order=Order.BIGGEST)),
    ("open deals smallest first", q(statuses=OPEN, order=Order.SMALLEST)),
    ("won deals by size", q(statuses=WON, order=Order.BIGGEST)),
    ("deals ordered by close date", q(order=Order.CLOSING_SOONEST)),
    # --- counts
    ("how many open deals do I have", q(statuses=OPEN, measure=Measure.COUNT)),
    ("how many open deals do I have?", q(statuses=OPEN, measure=Measure.COUNT)),
    ("how many deals are open", q(statuses=OPEN, measure=Measure.COUNT)),
    ("how many leads do we have", q(statuses=LEADS, measure=Measure.COUNT)),
    ("how many deals did we win this year", None),  # a verb form: not understood yet
    ("how many won deals this year", q(statuses=WON, period=THIS_Y, measure=Measure.COUNT)),
    ("number of open deals", q(statuses=OPEN, measure=Measure.COUNT)),
    ("count of overdue deals", q(overdue=True, measure=Measure.COUNT)),
    ("count my open deals", q(statuses=OPEN, measure=Measure.COUNT)),
    ("how many deals are overdue", q(overdue=True, measure=Measure.COUNT)),
    (
        "how many deals close next quarter",
        q(period=NEXT_Q, measure=Measure.COUNT),
    ),
    ("how many of Oscar's deals are open", q(party="Oscar", statuses=OPEN, measure=Measure.COUNT)),
    ("how many deals in Germany", q(country="DE", measure=Measure.COUNT)),
    # --- totals
    ("pipeline total this quarter", q(statuses=OPEN, period=THIS_Q, measure=Measure.TOTAL)),
    ("what's my pipeline worth", q(statuses=OPEN, measure=Measure.TOTAL)),
    ("what is my pipeline worth?", q(statuses=OPEN, measure=Measure.TOTAL)),
    ("total pipeline this quarter", q(statuses=OPEN, period=THIS_Q, measure=Measure.TOTAL)),
    ("total value of open deals", q(statuses=OPEN, measure=Measure.TOTAL)),
    ("total value of won deals this year", q(statuses=WON, period=THIS_Y, measure=Measure.TOTAL)),
    (
        "sum of open deals closing next quarter",
        q(statuses=OPEN, period=NEXT_Q, measure=Measure.TOTAL),
    ),
    ("how much is my pipeline worth", q(statuses=OPEN, measure=Measure.TOTAL)),
    ("total of deals over 100k", q(value=over(100_000), measure=Measure.TOTAL)),
    ("won deals this year in total", q(statuses=WON, period=THIS_Y, measure=Measure.TOTAL)),
    ("Oscar's pipeline total", q(party="Oscar", statuses=OPEN, measure=Measure.TOTAL)),
    ("pipeline value next quarter", q(statuses=OPEN, period=NEXT_Q, measure=Measure.TOTAL)),
]


@pytest.mark.parametrize(("text", "expected"), ROWS, ids=[row[0] for row in ROWS])
def test_a_composed_list(text: str, expected: ListQuery | ListReferrals | None) -> None:
    """None: not understood as a list yet (listed in the report); a ListReferrals: a preset."""
    command = parse_command(text, today=TODAY)
    if expected is None:
        assert not isinstance(command, ListReferrals), command
        return
    wanted = expected if isinstance(expected, ListReferrals) else ListReferrals(query=expected)
    assert command == wanted


# Messages that name a referral or a change must not turn into lists.
NOT_LISTS = [
    "show Contoso deal",
    "show the Northwind lead",
    "mark 123 won",
    "mark Lots Road Auctions won",
    "show Ember Cobalt Ltd",
    "close 123 as lost",
    "accept the Northwind lead",
    "set the deal value of 123 to 150k",
    "push the close date of 123 to next Friday",
    "we lost Fabrikam, budget frozen",
    "123 closes in 3 weeks",
    "note on 123: top priority deal",
    "is 4711 still open?",
    "decline the Wong & Partners lead",
    "show O'Brien Logistics",
    "rename 123 to Top Deals 2027",
    "show deal 123",
    "what's the value of 123",
]


@pytest.mark.parametrize("text", NOT_LISTS)
def test_a_message_about_one_referral_is_not_a_composed_list(text: str) -> None:
    command = parse_command(text, today=TODAY)
    assert not (isinstance(command, ListReferrals) and command.query is not None), command
    assert isinstance(command, ShowReferral | UpdateReferral) or command is not None

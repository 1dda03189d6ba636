"""Issue 16, section 4: one change for several referrals named by id, as sellers would type it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.domain.intent import ChangeIntent, Outcome, Shift, ShiftUnit
from dialogs.grammar.commands import ListReferrals, UpdateReferral, UpdateReferrals
from tests.dialogs.grammar.support import by_id, by_name, money, parse

WON, LOST, DECLINED = Outcome.WON, Outcome.LOST, Outcome.DECLINED
WEEKS = ShiftUnit.WEEKS


def bulk(ids: str, **fields: Any) -> UpdateReferrals:
    return UpdateReferrals(tuple(by_id(i) for i in ids.split()), ChangeIntent(**fields))


BULK = [
    ("mark 555 and 556 lost", bulk("555 556", outcome=LOST)),
    ("close 123, 124 and 125 as won", bulk("123 124 125", outcome=WON)),
    ("mark 123, 124, and 125 won", bulk("123 124 125", outcome=WON)),
    ("we lost 555 and 556", bulk("555 556", outcome=LOST)),
    ("mark #123 & #124 lost", bulk("123 124", outcome=LOST)),
    ("mark referrals 123 and 124 lost", bulk("123 124", outcome=LOST)),
    ("mark the deals 4711 and 4712 as won", bulk("4711 4712", outcome=WON)),
    ("please mark 555 and 556 as lost, thanks", bulk("555 556", outcome=LOST)),
    ("mark 123 and 124 as lost, budget cut", bulk("123 124", outcome=LOST, reason="budget cut")),
    (
        "mark 123 and 124 lost because of budget and timing",
        bulk("123 124", outcome=LOST, reason="budget and timing"),
    ),
    ("decline 777 and 778: not our area", bulk("777 778", outcome=DECLINED, reason="not our area")),
    ("push 123 and 124 to next friday", bulk("123 124", close_date=date(2026, 11, 27))),
    (
        "push the close date of 123 and 4711 by two weeks",
        bulk("123 4711", close_date_shift=Shift(2, ShiftUnit.WEEKS)),
    ),
    ("set the value of 123 and 124 to 50k", bulk("123 124", deal_value=money("50000"))),
    ("mark 1, 2, 3, 4 and 5 won", bulk("1 2 3 4 5", outcome=WON)),
    ("mark 555, 556 and 555 lost", bulk("555 556", outcome=LOST)),  # each referral once
]


@pytest.mark.parametrize(("text", "expected"), BULK, ids=[row[0] for row in BULK])
def test_several_ids_read_as_one_change_for_each(text: str, expected: UpdateReferrals) -> None:
    assert parse(text) == expected


# Lists that are not several referrals: an amount, a date, a second value, two changes.
NOT_BULK = [
    "set the value of 123 to 5,000",
    "move 123 to March 3, 2027",
    "set the value of 123 to 500 and 600",
    "mark 123 won and 124 lost",
    "mark Wong & Partners lost",
    "mark Lots Road Auctions and Ember Cobalt Ltd won",
    "show 123 and 124",
    "is 123 and 124 won?",
    "did we win 555 and 556?",
    "have we lost 555, 556 and 557 yet?",
]


@pytest.mark.parametrize("text", NOT_BULK)
def test_numbers_that_are_not_a_list_of_referrals_are_left_alone(text: str) -> None:
    assert not isinstance(parse(text), UpdateReferrals)


def test_a_single_change_reads_as_before() -> None:
    assert parse("move 123 to March 3, 2027") == UpdateReferral(
        by_id("123"), ChangeIntent(close_date=date(2027, 3, 3))
    )
    assert parse("mark Wong & Partners lost") == UpdateReferral(
        by_name("Wong & Partners"), ChangeIntent(outcome=LOST)
    )


# A list as the target: the words after "every"/"all" that read as a list, then the change.
LIST_TARGETS = [
    ("push every deal closing this week to next Friday", {"close_date": date(2026, 11, 27)}),
    ("push every deal closing this week to next Friday please", {"close_date": date(2026, 11, 27)}),
    ("move all deals closing this week to next friday", {"close_date": date(2026, 11, 27)}),
    ("push each deal closing this month by two weeks", {"close_date_shift": Shift(2, WEEKS)}),
    ("push all my deals closing this week by two weeks", {"close_date_shift": Shift(2, WEEKS)}),
    ("close all of my deals closing this week as won", {"outcome": WON}),
    ("mark all my overdue deals lost", {"outcome": LOST}),
    (
        "mark every deal closing this week lost, budget cut",
        {"outcome": LOST, "reason": "budget cut"},
    ),
    ("set the value of every deal closing this week to 50k", {"deal_value": money("50000")}),
]


@pytest.mark.parametrize(("text", "fields"), LIST_TARGETS, ids=[row[0] for row in LIST_TARGETS])
def test_a_list_as_the_target_reads_as_one_change_for_its_referrals(
    text: str, fields: dict[str, Any]
) -> None:
    command = parse(text)
    assert isinstance(command, UpdateReferrals)
    assert command.refs == ()
    assert command.query is not None
    assert command.intent == ChangeIntent(**fields)


def test_the_list_is_the_one_the_same_words_show() -> None:
    command = parse("push every deal closing this week to next Friday")
    listing = parse("deals closing this week")
    assert isinstance(command, UpdateReferrals)
    assert isinstance(listing, ListReferrals)
    assert command.query == listing.wanted()


# Lists that are only lists, and questions: never a change.
NOT_LIST_TARGETS = [
    "all my deals closing this week",
    "show all my deals closing this week",
    "list all my deals closing this week",
    "give me all deals closing this week",
    "show all my overdue deals",
    "did we push every deal closing this week?",
    "mark all 3 lost",
]


@pytest.mark.parametrize("text", NOT_LIST_TARGETS)
def test_lists_and_questions_with_all_or_every_change_nothing(text: str) -> None:
    assert not isinstance(parse(text), UpdateReferrals | UpdateReferral)


# Company names that start with a quantifier are never read as a list of referrals (the grammar
# refuses "all"/"every" as a name's first word before a verb, as it did before).
NAMES = ["mark All Saints Ltd won", "close Every Day Foods as lost", "we lost Each Other Studios"]


@pytest.mark.parametrize("text", NAMES)
def test_a_name_starting_with_all_or_every_is_never_a_list(text: str) -> None:
    assert not isinstance(parse(text), UpdateReferrals)


def test_a_name_after_the_verb_stays_a_name() -> None:
    assert parse("we lost Each Other Studios") == UpdateReferral(
        by_name("Each Other Studios"), ChangeIntent(outcome=LOST)
    )

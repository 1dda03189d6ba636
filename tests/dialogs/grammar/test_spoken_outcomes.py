"""Issue 16, section 5: outcomes said in passing, questions that are never changes, and field
clauses that are never swallowed as a reason or a note."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.intent import NoteEdit, Outcome
from bot.domain.referral import SalesStage
from dialogs.grammar.commands import ParseFailure, UpdateReferral
from tests.dialogs.grammar.support import LAST, by_crm, by_id, by_name, money, parse, update

WON, LOST = Outcome.WON, Outcome.LOST

# How ten sellers tell the bot a deal is won or gone, none of them with "mark".
SAID = [
    ("it's a win", update(LAST, outcome=WON)),
    ("It's a win!", update(LAST, outcome=WON)),
    ("we got it", update(LAST, outcome=WON)),
    ("We got it!!", update(LAST, outcome=WON)),
    ("we finally got it", update(LAST, outcome=WON)),
    ("we got the deal", update(LAST, outcome=WON)),
    ("we got 4711", update(by_id("4711"), outcome=WON)),
    ("we landed it", update(LAST, outcome=WON)),
    ("we've just landed 555", update(by_id("555"), outcome=WON)),
    ("I bagged it", update(LAST, outcome=WON)),
    ("we secured the deal", update(LAST, outcome=WON)),
    ("we won it", update(LAST, outcome=WON)),
    ("deal done", update(LAST, outcome=WON)),
    ("Deal done 🎉", update(LAST, outcome=WON)),
    ("done deal", update(LAST, outcome=WON)),
    ("it's a done deal", update(LAST, outcome=WON)),
    ("123 is a done deal", update(by_id("123"), outcome=WON)),
    ("signed", update(LAST, outcome=WON)),
    ("signed!", update(LAST, outcome=WON)),
    ("contract signed", update(LAST, outcome=WON)),
    ("PO signed", update(LAST, outcome=WON)),
    ("they signed", update(LAST, outcome=WON)),
    ("they just signed the contract", update(LAST, outcome=WON)),
    ("the customer signed", update(LAST, outcome=WON)),
    ("Contoso signed", update(by_name("Contoso"), outcome=WON)),
    ("Northwind Traders signed", update(by_name("Northwind Traders"), outcome=WON)),
    ("O'Brien Logistics has signed", update(by_name("O'Brien Logistics"), outcome=WON)),
    ("4711 just signed", update(by_id("4711"), outcome=WON)),
    ("CRM-0042 signed", update(by_crm("CRM-0042"), outcome=WON)),
    ("no go", update(LAST, outcome=LOST)),
    ("No-go.", update(LAST, outcome=LOST)),
    ("it's a no go", update(LAST, outcome=LOST)),
    ("that's a no-go", update(LAST, outcome=LOST)),
    ("123 is a no go", update(by_id("123"), outcome=LOST)),
    ("Ember Cobalt Ltd is a no go", update(by_name("Ember Cobalt Ltd"), outcome=LOST)),
    ("we lost it", update(LAST, outcome=LOST)),
    ("it's dead", update(LAST, outcome=LOST)),
    ("it is dead", update(LAST, outcome=LOST)),
    ("the deal is dead", update(LAST, outcome=LOST)),
    ("deal's dead", update(LAST, outcome=LOST)),
    ("dead deal", update(LAST, outcome=LOST)),
    ("it's dead in the water", update(LAST, outcome=LOST)),
    ("4711 is dead", update(by_id("4711"), outcome=LOST)),
    ("Müller & Söhne is dead", update(by_name("Müller & Söhne"), outcome=LOST)),
    ("it fell through", update(LAST, outcome=LOST)),
    ("the deal fell through", update(LAST, outcome=LOST)),
    ("Fabrikam fell through", update(by_name("Fabrikam"), outcome=LOST)),
    ("it died", update(LAST, outcome=LOST)),
    ("555 was cancelled", update(by_id("555"), outcome=LOST)),
    ("they passed", update(LAST, outcome=LOST)),
    ("they passed on it", update(LAST, outcome=LOST)),
    ("the client walked away", update(LAST, outcome=LOST)),
    ("they walked away", update(LAST, outcome=LOST)),
    ("the client backed out", update(LAST, outcome=LOST)),
    ("they pulled out", update(LAST, outcome=LOST)),
    ("they went another way", update(LAST, outcome=LOST)),
    ("they said no", update(LAST, outcome=LOST)),
    ("they went with AWS", update(LAST, outcome=LOST, reason="Lost to AWS")),
    ("the customer chose Google", update(LAST, outcome=LOST, reason="Lost to Google")),
    ("they signed with a competitor", update(LAST, outcome=LOST, reason="Lost to a competitor")),
    ("lost to a competitor", update(LAST, outcome=LOST, reason="Lost to a competitor")),
    ("we lost it to Oracle", update(LAST, outcome=LOST, reason="Lost to Oracle")),
    ("please, it's a no go", update(LAST, outcome=LOST)),
    ("ok we got it thanks", update(LAST, outcome=WON)),
]


@pytest.mark.parametrize(("text", "expected"), SAID)
def test_outcomes_said_in_passing(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text", ["closed it", "we closed it", "we closed 4711", "closed the deal", "we just closed it"]
)
def test_closed_asks_won_or_lost(text: str) -> None:
    result = parse(text)
    assert isinstance(result, ParseFailure)
    assert "won or as lost" in result.message
    assert result.suggestion is not None
    assert not isinstance(parse(result.suggestion), ParseFailure)


# Questions, negations and everyday sentences near these phrasings: never a change.
NEVER_A_CHANGE = [
    "did we win 123?", "did we get it?", "did we get it", "did they sign?", "did they pass?",
    "is it dead?", "is it a no go?", "is 4711 dead", "was it a win?", "has Contoso signed?",
    "has it fallen through?", "is the deal done?", "deal done?", "signed?", "it's dead?",
    "we got it?", "they passed?", "is Ember Cobalt Ltd signed?", "have they signed",
"does 123 look dead?", "we didn't get it", "we did not get 4711",
    "didn't get it", "they didn't sign", "not signed", "we got the budget approved",
    "we got a call from Contoso", "got it", "are they signing?", "will they sign?",
    "could it be dead?", "should we pass?", "what if they passed?",
]  # fmt: skip


@pytest.mark.parametrize("text", NEVER_A_CHANGE)
def test_questions_and_negations_are_never_a_change(text: str) -> None:
    assert not isinstance(parse(text), UpdateReferral)


TODAY = date(2026, 11, 25)
FRIDAY = date(2026, 11, 27)
# A clause that names a field is a change of its own, never part of the reason or note.
NOT_SWALLOWED = [
    ("won, final value 118k", update(LAST, outcome=WON, deal_value=money("118000"))),
    ("won, value 118k", update(LAST, outcome=WON, deal_value=money("118000"))),
    ("won. final deal value 118k", update(LAST, outcome=WON, deal_value=money("118000"))),
    ("lost, close date today", update(LAST, outcome=LOST, close_date=TODAY)),
    (
        "lost to a competitor, close date today",
        update(LAST, outcome=LOST, reason="Lost to a competitor", close_date=TODAY),
    ),
    (
        "mark 123 won because budget approved, value 50k",
        update(by_id("123"), outcome=WON, reason="budget approved", deal_value=money("50000")),
    ),
    ("mark 123 won, value 50k", update(by_id("123"), outcome=WON, deal_value=money("50000"))),
    (
        "mark 123 won, value fifty k",
        update(by_id("123"), outcome=WON, deal_value=money("50000")),
    ),
    (
        "mark 4711 as won; close date today",
        update(by_id("4711"), outcome=WON, close_date=TODAY),
    ),
    (
        "we won 555, total value 2.5 million",
        update(by_id("555"), outcome=WON, deal_value=money("2500000")),
    ),
    (
        "mark Contoso lost - no budget; close date today",
        update(by_name("Contoso"), outcome=LOST, reason="no budget", close_date=TODAY),
    ),
    (
        "mark Ember Cobalt Ltd won, value half a million",
        update(by_name("Ember Cobalt Ltd"), outcome=WON, deal_value=money("500000")),
    ),
    (
        "close 123 as won, final amount 75k",
        update(by_id("123"), outcome=WON, deal_value=money("75000")),
    ),
    ("it's a win, value 90k", update(LAST, outcome=WON, deal_value=money("90000"))),
    ("signed, value 40k", update(LAST, outcome=WON, deal_value=money("40000"))),
    ("deal done, final value 118k", update(LAST, outcome=WON, deal_value=money("118000"))),
    ("no go, close date today", update(LAST, outcome=LOST, close_date=TODAY)),
    (
        "they went with AWS, close date today",
        update(LAST, outcome=LOST, reason="Lost to AWS", close_date=TODAY),
    ),
    (
        "note on 123: demo booked, close date friday",
        update(by_id("123"), note=NoteEdit("demo booked"), close_date=FRIDAY),
    ),
    (
        "note on 4711: pricing agreed, value 80k",
        update(by_id("4711"), note=NoteEdit("pricing agreed"), deal_value=money("80000")),
    ),
    (
        "mark 123 won because budget approved, stage negotiate",
        update(by_id("123"), outcome=WON, reason="budget approved", sales_stage=SalesStage.CLOSE),
    ),
]
# Reasons and notes that merely mention a field stay whole.
KEPT_WHOLE = [
    (
        "note on 123: customer asked about the close date",
        update(by_id("123"), note=NoteEdit("customer asked about the close date")),
    ),
    (
        "we lost 123 because price, value was too high",
        update(by_id("123"), outcome=LOST, reason="price, value was too high"),
    ),
    (
        "mark 123 lost: the value was too high for them",
        update(by_id("123"), outcome=LOST, reason="the value was too high for them"),
    ),
    (
        "note on 4711: value depends on the stage of their budget",
        update(by_id("4711"), note=NoteEdit("value depends on the stage of their budget")),
    ),
]


@pytest.mark.parametrize(("text", "expected"), NOT_SWALLOWED + KEPT_WHOLE)
def test_a_field_clause_is_never_swallowed(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected

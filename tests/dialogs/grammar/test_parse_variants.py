"""More natural phrasings, and messages that must never become a change."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.intent import MemberSpec, NoteEdit, Outcome
from bot.domain.list_kinds import ListKind
from bot.domain.referral import SalesStage
from dialogs.grammar.commands import (
    AskAboutReferral,
    Asked,
    Command,
    Help,
    ListReferrals,
    ReferralRef,
    ShowReferral,
    Topic,
    UpdateReferral,
)
from tests.dialogs.grammar.support import LAST, by_id, by_name, money, parse, update


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mark 4711 as won please 🙏", update(by_id("4711"), outcome=Outcome.WON)),
        ("@Referrals mark 4711 won", update(by_id("4711"), outcome=Outcome.WON)),
        ("<at>Referrals</at>: mark 4711 won", update(by_id("4711"), outcome=Outcome.WON)),
        (
            "can you set the close date for 4711 to the end of next month?",
            update(by_id("4711"), close_date=date(2026, 12, 31)),
        ),
        ("set 123's value to 150k", update(by_id("123"), deal_value=money("150000"))),
        ("123's close date is next friday", update(by_id("123"), close_date=date(2026, 11, 27))),
        (
            "the deal value for Contoso Azure should be 150k",
            update(by_name("Contoso Azure"), deal_value=money("150000")),
        ),
        (
            "Contoso Azure - value 150k, close date end of Q1",
            update(
                by_name("Contoso Azure"), deal_value=money("150000"), close_date=date(2027, 3, 31)
            ),
        ),
        (
            "we're not taking the Northwind lead, not our area",
            update(by_name("Northwind"), outcome=Outcome.DECLINED, reason="not our area"),
        ),
        (
            "we passed on the Northwind lead because of capacity",
            update(by_name("Northwind"), outcome=Outcome.DECLINED, reason="capacity"),
        ),
        (
            "lost 4711 to a competitor",
            update(by_id("4711"), outcome=Outcome.LOST, reason="Lost to a competitor"),
        ),
        ("123 lost to AWS", update(by_id("123"), outcome=Outcome.LOST, reason="Lost to AWS")),
        (
            "we lost Fabrikam to a competitor",
            update(by_name("Fabrikam"), outcome=Outcome.LOST, reason="Lost to a competitor"),
        ),
        ("123 - won", update(by_id("123"), outcome=Outcome.WON)),
        ("123: won", update(by_id("123"), outcome=Outcome.WON)),
        ("won: 123", update(by_id("123"), outcome=Outcome.WON)),
        ("close won 123", update(by_id("123"), outcome=Outcome.WON)),
        ("mark won", update(LAST, outcome=Outcome.WON)),
        ("set close date to 4 Dec for 123", update(by_id("123"), close_date=date(2026, 12, 4))),
        ("change deal value to 20k for 123", update(by_id("123"), deal_value=money("20000"))),
        ("set stage Developed for 123", update(by_id("123"), sales_stage=SalesStage.DEVELOP)),
        ("mark 123 as propose stage", update(by_id("123"), sales_stage=SalesStage.PROPOSE)),
        ("123 stage: Proposed", update(by_id("123"), sales_stage=SalesStage.PROPOSE)),
        ('Add note "Called the CFO" to 123', update(by_id("123"), note=NoteEdit("Called the CFO"))),
        (
            'add "Called the CFO" to the notes of 123',
            update(by_id("123"), note=NoteEdit("Called the CFO")),
        ),
        ("123 - note: spoke to CFO", update(by_id("123"), note=NoteEdit("spoke to CFO"))),
        ("set value of 123 to 1.5 mil", update(by_id("123"), deal_value=money("1500000"))),
        ("123 = 150k", update(by_id("123"), deal_value=money("150000"))),
        (
            "set value of 123 to 150.000,50 €",
            update(by_id("123"), deal_value=money("150000.50", "EUR")),
        ),
        (
            "set the deal value of 123 to 150K$",
            update(by_id("123"), deal_value=money("150000", "USD")),
        ),
        (
            "remove Jane Doe jane.doe@contoso.com from 123",
            update(by_id("123"), remove_members=("jane.doe@contoso.com",)),
        ),
        (
            "add Dr. Jane Doe to 123",
            update(by_id("123"), add_members=(MemberSpec(first_name="Jane", last_name="Doe"),)),
        ),
        (
            "update Contoso Azure: value 150k",
            update(by_name("Contoso Azure"), deal_value=money("150000")),
        ),
        ("what's the close date of 123", AskAboutReferral(by_id("123"), Topic.CLOSE_DATE)),
        ("show me what's closing this quarter", ListReferrals(ListKind.CLOSING_THIS_QUARTER)),
        ("anything closing this month?", ListReferrals(ListKind.CLOSING_THIS_MONTH)),
        ("is there anything closing this month", ListReferrals(ListKind.CLOSING_THIS_MONTH)),
        ("what does decline do", Help("outcomes")),
        ("how's 123", ShowReferral(by_id("123"))),
        ("show me it", ShowReferral(LAST)),
    ],
)
def test_more_natural_phrasings(text: str, expected: Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("is 123 won?", AskAboutReferral(by_id("123"), Topic.STATUS, Asked.WON)),
        ("is it won?", AskAboutReferral(LAST, Topic.STATUS, Asked.WON)),
        ("has 123 closed?", AskAboutReferral(by_id("123"), Topic.STATUS, Asked.CLOSED)),
        ("was Contoso lost?", AskAboutReferral(by_name("Contoso"), Topic.STATUS, Asked.LOST)),
        ("is 123 looking good?", ShowReferral(by_id("123"))),
    ],
)
def test_questions_about_a_referral_answer_or_show_it(text: str, expected: Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "don't mark 123 won",
        "do not accept 123",
        "Contoso not won",
        "we did not win 123",
        "should I mark 123 won?",
        "mark 123 and 456 won",
        "show 123 and 456",
        "never mark 123 lost",
        "123 isn't lost",
    ],
)
def test_negations_and_doubts_never_become_a_change(text: str) -> None:
    assert not isinstance(parse(text), UpdateReferral)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mark Contoso won", by_name("Contoso")),
        ("mark Marks & Spencer won", by_name("Marks & Spencer")),
        ("mark Closer Inc won", by_name("Closer Inc")),
        ("mark Tailspin Toys won", by_name("Tailspin Toys")),
        ("mark Adventure Works won", by_name("Adventure Works")),
        ("mark Proseware won", by_name("Proseware")),
        ("mark Margie's Travel won", by_name("Margie's Travel")),
    ],
)
def test_customer_names_are_not_mistaken_for_typos(text: str, expected: ReferralRef) -> None:
    assert parse(text) == update(expected, outcome=Outcome.WON)


def test_a_name_starting_like_a_command_word_before_an_id_is_read_as_the_correction() -> None:
    assert parse("makr 123 won") == update(by_id("123"), outcome=Outcome.WON)

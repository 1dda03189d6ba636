from __future__ import annotations

import pytest

from bot.domain.intent import Outcome
from dialogs.grammar.commands import ParseFailure, UpdateReferral
from tests.dialogs.grammar.support import LAST, by_crm, by_id, by_name, parse, update

WON, LOST, DECLINED, ACCEPTED = Outcome.WON, Outcome.LOST, Outcome.DECLINED, Outcome.ACCEPTED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mark 123 won", update(by_id("123"), outcome=WON)),
        ("Mark 123 Won", update(by_id("123"), outcome=WON)),
        ("MARK 123 WON", update(by_id("123"), outcome=WON)),
        ("mark 123 as won", update(by_id("123"), outcome=WON)),
        ("mark #123 won", update(by_id("123"), outcome=WON)),
        ("mark referral 123 as won", update(by_id("123"), outcome=WON)),
        ("mark 123 as closed won", update(by_id("123"), outcome=WON)),
        ("mark 123 closed-won", update(by_id("123"), outcome=WON)),
        ("set 123 to won", update(by_id("123"), outcome=WON)),
        ("flag 123 as won", update(by_id("123"), outcome=WON)),
        ("mark as won 123", update(by_id("123"), outcome=WON)),
        ("123 won", update(by_id("123"), outcome=WON)),
        ("123 is won", update(by_id("123"), outcome=WON)),
        ("123 was a win", update(by_id("123"), outcome=WON)),
        ("we won 123", update(by_id("123"), outcome=WON)),
        ("We won 123!", update(by_id("123"), outcome=WON)),
        ("we've won 123", update(by_id("123"), outcome=WON)),
        ("we just won 123", update(by_id("123"), outcome=WON)),
        ("we finally won Contoso", update(by_name("Contoso"), outcome=WON)),
        ("won 123 🎉", update(by_id("123"), outcome=WON)),
        ("🎉🎉 won 123 🎉", update(by_id("123"), outcome=WON)),
        ("won 123!!!", update(by_id("123"), outcome=WON)),
        ("win 123", update(by_id("123"), outcome=WON)),
        ("close 123 as won", update(by_id("123"), outcome=WON)),
        ("close 123 won", update(by_id("123"), outcome=WON)),
        ("close out 123 as won", update(by_id("123"), outcome=WON)),
        ("close it as won", update(LAST, outcome=WON)),
        ("close as won", update(LAST, outcome=WON)),
        ("mark it won", update(LAST, outcome=WON)),
        ("mark that one won", update(LAST, outcome=WON)),
        ("mark this deal won", update(LAST, outcome=WON)),
        ("we won it", update(LAST, outcome=WON)),
        ("we won", update(LAST, outcome=WON)),
        ("mark CRM-0001 won", update(by_crm("CRM-0001"), outcome=WON)),
        ("mark Contoso Azure won", update(by_name("Contoso Azure"), outcome=WON)),
        ("mark the Contoso deal as won", update(by_name("Contoso"), outcome=WON)),
        ("close as lost 123", update(by_id("123"), outcome=LOST)),
        ("close as lost: 123", update(by_id("123"), outcome=LOST)),
        ("mark Fabrikam lost", update(by_name("Fabrikam"), outcome=LOST)),
        ("mark 123 lost", update(by_id("123"), outcome=LOST)),
        ("123 lost", update(by_id("123"), outcome=LOST)),
        ("lost 123", update(by_id("123"), outcome=LOST)),
        ("close 123 as lost", update(by_id("123"), outcome=LOST)),
        ("mark 123 closed lost", update(by_id("123"), outcome=LOST)),
        ("we lost 123", update(by_id("123"), outcome=LOST)),
        (
            "we lost Fabrikam, budget frozen",
            update(by_name("Fabrikam"), outcome=LOST, reason="budget frozen"),
        ),
        (
            "We lost Fabrikam – budget frozen.",
            update(by_name("Fabrikam"), outcome=LOST, reason="budget frozen"),
        ),
        (
            "lost 123 - went with a competitor",
            update(by_id("123"), outcome=LOST, reason="went with a competitor"),
        ),
        (
            "mark 123 lost because of pricing",
            update(by_id("123"), outcome=LOST, reason="pricing"),
        ),
        (
            "mark 123 lost: customer chose AWS",
            update(by_id("123"), outcome=LOST, reason="customer chose AWS"),
        ),
        (
            "123 lost, reason: no budget",
            update(by_id("123"), outcome=LOST, reason="no budget"),
        ),
        (
            "close 123 as lost - no budget",
            update(by_id("123"), outcome=LOST, reason="no budget"),
        ),
        (
            "decline the Northwind lead: not our area",
            update(by_name("Northwind"), outcome=DECLINED, reason="not our area"),
        ),
        ("decline 123", update(by_id("123"), outcome=DECLINED)),
        ("Decline the Northwind lead", update(by_name("Northwind"), outcome=DECLINED)),
        ("reject 123", update(by_id("123"), outcome=DECLINED)),
        ("pass on 123", update(by_id("123"), outcome=DECLINED)),
        ("pass on the Northwind lead", update(by_name("Northwind"), outcome=DECLINED)),
        ("turn down 123", update(by_id("123"), outcome=DECLINED)),
        ("mark 123 declined", update(by_id("123"), outcome=DECLINED)),
        ("123 rejected", update(by_id("123"), outcome=DECLINED)),
        (
            "reject 123 because we have no capacity",
            update(by_id("123"), outcome=DECLINED, reason="we have no capacity"),
        ),
        ("accept the Northwind lead", update(by_name("Northwind"), outcome=ACCEPTED)),
        ("accept 123", update(by_id("123"), outcome=ACCEPTED)),
        ("take 123", update(by_id("123"), outcome=ACCEPTED)),
        ("take on 123", update(by_id("123"), outcome=ACCEPTED)),
        ("accept it", update(LAST, outcome=ACCEPTED)),
        ("accept this lead", update(LAST, outcome=ACCEPTED)),
        ("123 accepted", update(by_id("123"), outcome=ACCEPTED)),
        ("mark 123 accepted", update(by_id("123"), outcome=ACCEPTED)),
        ("please accept 123", update(by_id("123"), outcome=ACCEPTED)),
        ("can you mark 123 won please", update(by_id("123"), outcome=WON)),
        ("hi, mark 123 won", update(by_id("123"), outcome=WON)),
        ("ok mark 123 won thanks", update(by_id("123"), outcome=WON)),
        (
            "mark c3d2a1b0-1111-2222-3333-444455556666 won",
            update(by_id("c3d2a1b0-1111-2222-3333-444455556666"), outcome=WON),
        ),
    ],
)
def test_outcomes_in_the_words_sellers_use(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize("text", ["close 123", "close it", "close out Contoso"])
def test_close_without_won_or_lost_asks_instead_of_guessing(text: str) -> None:
    result = parse(text)
    assert isinstance(result, ParseFailure)
    assert "won or as lost" in result.message
    assert result.suggestion is not None
    assert result.suggestion.endswith("as won")

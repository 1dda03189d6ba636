from __future__ import annotations

from datetime import date

import pytest

from dialogs.grammar.commands import ParseFailure, UpdateReferral
from tests.dialogs.grammar.support import parse


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("shwo 123", "show 123"),
        ("shwo Contoso", "show Contoso"),
        ("hlep", "help"),
        ("cancle", "cancel"),
        ("my open referals", "my open referrals"),
        ("new laeds", "new leads"),
    ],
)
def test_unknown_words_get_a_did_you_mean(text: str, suggestion: str) -> None:
    result = parse(text)
    assert isinstance(result, ParseFailure)
    assert result.suggestion == suggestion
    assert "didn't understand" in result.message


# A mistyped change of a referral named by id is read as corrected (issue 16, section 5): the
# confirm card is the safety net, so no "did you mean" turn first.
@pytest.mark.parametrize(
    ("text", "corrected"),
    [
        ("mark 123 wonn", "mark 123 won"),
        ("mark 123 lsot", "mark 123 lost"),
        ("makr 123 won", "mark 123 won"),
        ("set vaule of 123 to 5k", "set value of 123 to 5k"),
        ("set the deal vlaue of 123 to 5k", "set the deal value of 123 to 5k"),
        ("push 123 to nxet friday", "push 123 to next friday"),
        ("move 123 to Fridya", "move 123 to friday"),
        ("set stage of 123 to propsoe", "set stage of 123 to propose"),
        ("123 stage qualifed", "123 stage qualified"),
        ("declien 123", "decline 123"),
        ("acept 123", "accept 123"),
        ("renmae 123 to X", "rename 123 to X"),
        ("MARK 123 WONN", "MARK 123 won"),
        ("mark 123 wonn!!", "mark 123 won"),
    ],
)
def test_a_mistyped_change_is_read_as_corrected(text: str, corrected: str) -> None:
    expected = parse(corrected)
    assert isinstance(expected, UpdateReferral)
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text", ["blorp", "Contoso", "thanks", "the weather is nice today", "123 456 789", "jane@x.com"]
)
def test_messages_with_nothing_to_correct_get_no_suggestion(text: str) -> None:
    result = parse(text)
    assert isinstance(result, ParseFailure)
    assert result.suggestion is None
    assert "help" in result.message


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "🎉", "...", "<at>Referrals</at>", "\u200b"])
def test_an_empty_message_asks_to_say_help(text: str) -> None:
    result = parse(text)
    assert isinstance(result, ParseFailure)
    assert "help" in result.message
    assert result.suggestion is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("set value of 123 to -5k", "can't be negative"),
        ("set value of 123 to 0", "more than zero"),
        ("deal value 123 = 2000bn", "over a trillion"),
        ("set value of 123 to $5 EUR", "two currencies"),
        ("set value of 123 to 0.001", "two decimals"),
        ("move 123 to Feb 30", "no 30 February"),
        ("move 123 to 2026-13-01", "no month 13"),
        ("push the close date of 123 to 2026-02-29", "isn't a leap year"),
        ("move 123 to 12/04/2026", "could be 12 April or 4 December"),
        ("123 closes in 5000 weeks", "too far ahead"),
    ],
)
def test_values_that_look_right_but_cannot_be_used_say_why(text: str, reason: str) -> None:
    result = parse(text)
    assert isinstance(result, ParseFailure)
    assert reason in result.message


def test_a_very_long_message_is_refused_politely() -> None:
    result = parse("mark 123 won " * 1000)
    assert isinstance(result, ParseFailure)
    assert "too long" in result.message


def test_the_failure_echoes_a_shortened_message() -> None:
    result = parse("blorp " * 50)
    assert isinstance(result, ParseFailure)
    assert len(result.message) < 160


def test_a_past_date_is_understood_and_left_to_the_planner() -> None:
    result = parse("move 123 to 2026-01-10")
    assert not isinstance(result, ParseFailure)


def test_relative_dates_count_from_the_given_today() -> None:
    assert parse("move 123 to tomorrow", today=date(2027, 6, 30)) != parse("move 123 to tomorrow")

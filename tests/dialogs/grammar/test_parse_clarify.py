"""Messages understood well enough to ask back instead of guessing, and D's help examples."""

from __future__ import annotations

import pytest

from bot.domain.intent import Outcome
from dialogs.grammar.commands import ParseFailure, UpdateReferral
from dialogs.replies import HELP_EXAMPLES
from tests.dialogs.grammar.support import LAST, by_id, parse, update


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("move it by a week", "push it out by 1 week"),
        ("move 123 by a month", "push 123 out by 1 month"),
        ("shift the close date of 123 by 2 weeks", "push 123 out by 2 weeks"),
        ("change the close date by 3 days", "push it out by 3 days"),
        ("move 123 by 2 weeks", "push 123 out by 2 weeks"),
        ("adjust the close date by a couple of weeks", "push it out by 2 weeks"),
    ],
)
def test_moving_a_close_date_by_an_amount_without_a_direction_asks_later_or_earlier(
    text: str, suggestion: str
) -> None:
    """ "push it back a week" is read (test_parse_relative.py); "move it by a week" is not
    guessed: later or earlier?"""
    result = parse(text)
    assert isinstance(result, ParseFailure)
    assert "later or earlier" in result.message
    assert result.suggestion == suggestion
    understood = parse(suggestion)
    assert isinstance(understood, UpdateReferral)
    assert understood.intent.close_date_shift is not None
    assert understood.intent.close_date_shift.count > 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("set status of 123 to won", update(by_id("123"), outcome=Outcome.WON)),
        ("123 status won", update(by_id("123"), outcome=Outcome.WON)),
        ("set 123 status to lost", update(by_id("123"), outcome=Outcome.LOST)),
        (
            "set the status to lost, no budget",
            update(LAST, outcome=Outcome.LOST, reason="no budget"),
        ),
    ],
)
def test_status_words(text: str, expected: UpdateReferral) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    ["deals closing next month", "show closed referrals", "close date +2 weeks", "in 3 weeks"],
)
def test_a_list_word_alone_is_not_taken_for_the_last_referral(text: str) -> None:
    assert not isinstance(parse(text), UpdateReferral)


@pytest.mark.parametrize("example", [example for _, example in HELP_EXAMPLES])
def test_every_example_the_help_card_shows_is_understood(example: str) -> None:
    assert not isinstance(parse(example.split(" (")[0]), ParseFailure)

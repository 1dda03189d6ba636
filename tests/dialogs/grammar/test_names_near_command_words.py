"""A customer's name that starts with a word close to one of ours is read as the name, never
"corrected" into the command word ("show Ember Cobalt Ltd" was once answered as if it said
"member"); genuine typos of the command words are still offered a correction."""

from __future__ import annotations

import pytest

from bot.domain.intent import Outcome
from dialogs.grammar.commands import ParseFailure, ShowReferral, UpdateReferral
from tests.dialogs.grammar.support import parse

# Real-world company names whose first word is one letter away from a word of the grammar.
NAMES = [
    "Ember Cobalt Ltd",  # member
    "Ember Cobalt Logistics 0051",
    "Marl Holdings",  # mark
    "Shaw Industries",  # show
    "Vale Mining",  # value
    "Lots Road Auctions",  # lost
    "Wong & Partners",  # won
    "Nate Energy",  # note
    "Stag Brewery",  # stage
    "Dale Farm Foods",  # date
]


@pytest.mark.parametrize("name", NAMES)
def test_show_keeps_the_name(name: str) -> None:
    command = parse(f"show {name}")
    assert isinstance(command, ShowReferral), command
    assert command.ref.text == name


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("verb", "outcome"), [("won", "won"), ("lost", "lost")])
def test_marking_keeps_the_name(name: str, verb: str, outcome: str) -> None:
    command = parse(f"mark {name} {verb}")
    assert isinstance(command, UpdateReferral), command
    assert command.ref.text == name
    assert command.intent.outcome == Outcome(outcome)


@pytest.mark.parametrize("name", NAMES)
def test_setting_a_field_keeps_the_name(name: str) -> None:
    command = parse(f"set the value of {name} to 10k")
    assert isinstance(command, UpdateReferral), command
    assert command.ref.text == name
    assert command.intent.deal_value is not None


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("makr Ember Cobalt Ltd won", "mark Ember Cobalt Ltd won"),
        ("shwo Ember Cobalt Ltd", "show Ember Cobalt Ltd"),
        ("set the vlaue of Ember Cobalt to 10k", "set the value of Ember Cobalt to 10k"),
    ],
)
def test_a_typo_in_the_command_word_is_still_offered_its_correction(
    text: str, suggestion: str
) -> None:
    command = parse(text)
    assert isinstance(command, ParseFailure), command
    assert command.suggestion == suggestion

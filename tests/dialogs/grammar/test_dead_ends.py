"""Issue 16 §6, no dead ends: every refusal says what would work, and what it offers reads."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.intent import Outcome
from bot.domain.referral import SalesStage
from dialogs import replies
from dialogs.grammar import messages
from dialogs.grammar.commands import ParseFailure, ShowReferral, UpdateReferral
from tests.dialogs.grammar.support import parse

NAMES = ("Ember Cobalt Ltd", "Lots Road Auctions", "Wong & Partners", "Müller & Söhne",
         "O'Brien Logistics")  # fmt: skip
BARE = "Sorry, I didn't understand"


def refused(text: str) -> ParseFailure:
    result = parse(text)
    assert isinstance(result, ParseFailure), result
    return result


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("close 123", "123"),
        ("mark 123", "123"),
        ("mark 4711 finished", "4711"),
        ("flag 555", "555"),
        ("mark Lots Road Auctions", "Lots Road Auctions"),
        ("close out O'Brien Logistics", "O'Brien Logistics"),
        ("please mark Ember Cobalt Ltd", "Ember Cobalt Ltd"),
    ],
)
def test_a_missing_outcome_offers_won_and_lost(text: str, ref: str) -> None:
    failure = refused(text)
    assert "won or as lost" in failure.message
    assert [choice.label for choice in failure.choices] == ["Won", "Lost"]
    for choice, outcome in zip(failure.choices, (Outcome.WON, Outcome.LOST), strict=True):
        clicked = parse(choice.message)
        assert isinstance(clicked, UpdateReferral)
        assert clicked.ref.text == ref
        assert clicked.intent.outcome is outcome


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("set stage of 123 to banana", "123"),
        ("move 4711 to stage negotiation-ish", "4711"),
        ("stage 555 whatever", "555"),
        ("set the stage of Wong & Partners to phase nine", "Wong & Partners"),
        ("change phase of Lots Road Auctions to tbd", "Lots Road Auctions"),
        ("set the stage to contracting", ""),
    ],
)
def test_an_unknown_stage_offers_the_four_stages(text: str, ref: str) -> None:
    failure = refused(text)
    assert "sales stage" in failure.message
    assert [choice.label for choice in failure.choices] == [stage.value for stage in SalesStage]
    for choice, stage in zip(failure.choices, SalesStage, strict=True):
        clicked = parse(choice.message)
        assert isinstance(clicked, UpdateReferral)
        assert clicked.ref.text == ref
        assert clicked.intent.sales_stage is stage


@pytest.mark.parametrize(
    ("text", "field", "ref"),
    [
        ("set value of 123 to lots", "deal value", "123"),
        ("the amount for 4711 is a lot", "deal value", "4711"),
        ("set value of Lots Road Auctions to heaps", "deal value", "Lots Road Auctions"),
        ("value Wong & Partners", "deal value", "Wong & Partners"),
        ("push close date of 123 to someday", "close date", "123"),
        ("change the close date of 555", "close date", "555"),
        ("reschedule Ember Cobalt Ltd to sometime soon", "close date", "Ember Cobalt Ltd"),
    ],
)
def test_an_unclear_amount_or_date_gives_two_examples_that_read(
    text: str, field: str, ref: str
) -> None:
    failure = refused(text)
    assert f"new {field}" in failure.message
    assert failure.choices == ()  # made-up values are never a button
    examples = failure.message.split("“")[1:]
    assert len(examples) == 2
    for example in examples:
        clicked = parse(example.split("”")[0])
        assert isinstance(clicked, UpdateReferral)
        assert clicked.ref.text == ref
        wanted = clicked.intent.deal_value if field == "deal value" else clicked.intent.close_date
        assert wanted is not None


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("update 123", "123"),
        ("edit Ember Cobalt Ltd", "Ember Cobalt Ltd"),
        ("change Lots Road Auctions", "Lots Road Auctions"),
        ("could you update Müller & Söhne", "Müller & Söhne"),
    ],
)
def test_a_named_referral_without_a_change_says_so_with_a_show_button(text: str, ref: str) -> None:
    failure = refused(text)
    assert ref in failure.message
    assert [choice.label for choice in failure.choices] == ["Show it"]
    clicked = parse(failure.choices[0].message)
    assert isinstance(clicked, ShowReferral)
    assert clicked.ref.text == ref


@pytest.mark.parametrize(
    "text", ["xyz blah", "good morning team", "lorem ipsum dolor", "the weather is nice today"]
)
def test_the_bare_not_understood_offers_three_read_only_commands(text: str) -> None:
    failure = refused(text)
    assert failure.message == messages.not_understood(text)
    assert [choice.message for choice in failure.choices] == [
        "my open referrals",
        "new leads",
        "help",
    ]
    assert all(not isinstance(parse(choice.message), ParseFailure) for choice in failure.choices)


@pytest.mark.parametrize("text", ["please make me a sandwich", "close", "delete"])
def test_a_known_verb_without_a_referral_gets_examples_not_the_bare_refusal(text: str) -> None:
    failure = refused(text)
    assert not failure.message.startswith(BARE)
    assert "mark 123 won" in failure.message
    assert len(failure.choices) == 3


VERB_OR_FIELD = st.sampled_from(
    ["update", "change", "edit", "mark", "set", "close", "stage", "value", "amount",
     "close date", "set the stage of", "set the value of", "move", "push", "modify"]
)  # fmt: skip
NAME = st.sampled_from(NAMES) | st.sampled_from(["123", "4711", "#555"])
TAIL = st.sampled_from(["", "to banana", "asap", "to lots", "something", "to whatever"])


@given(VERB_OR_FIELD, NAME, TAIL)
def test_text_naming_a_verb_or_field_and_a_referral_never_gets_the_bare_refusal(
    verb: str, name: str, tail: str
) -> None:
    """Issue 16's property: no refusal is the bare "didn't understand" when the text names a
    referral or a field; and what a refusal offers as a button always reads."""
    result = parse(f"{verb} {name} {tail}".strip())
    if isinstance(result, ParseFailure):
        said = replies.parse_failure(result)
        assert not said.startswith(BARE) or "Did you mean" in said, result
        for choice in result.choices:
            assert not isinstance(parse(choice.message), ParseFailure), choice

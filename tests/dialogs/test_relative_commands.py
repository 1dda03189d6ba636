"""Relative changes end to end: the seller's words -> a confirm card with absolute old -> new."""

from __future__ import annotations

import pytest

from tests.dialogs.harness import DialogHarness, card_text

# (what the seller says, referral id, JSON Patch paths, the card's old and new values)
TRANSCRIPTS = [
    ("slip 4711 by two weeks", "4711", ["/details/closingDateTime"],
     ["Wed 20 Jan 2027", "Wed 3 Feb 2027"]),
    ("pull the Fabrikam deal in by 3 days", "555", ["/details/closingDateTime"],
     ["Sat 28 Nov 2026", "Wed 25 Nov 2026"]),
    ("push Contoso Azure out a month", "123", ["/details/closingDateTime"],
     ["Tue 15 Dec 2026", "Fri 15 Jan 2027"]),
    ("raise 555 by 20k", "555", ["/details/dealValue"], ["USD 150,000", "USD 170,000"]),
    ("cut 4711 by 15%", "4711", ["/details/dealValue"], ["CHF 480,000", "CHF 408,000"]),
    ("move 4711 to the next stage", "4711", ["/salesStage"], ["Propose (60%)", "Close (80%)"]),
    ("advance 4712", "4712", ["/salesStage"], ["Qualify (20%)", "Develop (40%)"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "referral_id", "paths", "shown"), TRANSCRIPTS)
async def test_a_relative_change_ends_in_a_confirm_card_with_absolute_values(
    text: str, referral_id: str, paths: list[str], shown: list[str]
) -> None:
    bot = DialogHarness()

    card = (await bot.say(text)).card

    visible = card_text(card)
    for value in shown:
        assert value in visible
    change = await bot.stored(card)
    assert change.referral_id == referral_id
    assert [op["path"] for op in change.operations] == paths
    assert change.intent.is_relative  # re-planned from the seller's words after a 412
    assert bot.referrals.called("apply") == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("move 4712 to the previous stage", "is already at the first sales stage"),
        ("move 4712 back a stage", "is already at the first sales stage"),
        ("slip the Northwind lead by a week", "has no close date yet"),
        ("raise the Northwind lead by 10%", "has no deal value yet"),
        ("cut 555 by 100%", "has to stay above zero"),
        ("raise 4711 by €5k", "is in CHF, not EUR"),
    ],
)
async def test_a_relative_change_that_cannot_apply_says_why(text: str, words: str) -> None:
    bot = DialogHarness()

    replies = await bot.say(text)

    assert words in replies.text

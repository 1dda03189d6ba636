"""Cancel ends everything at any step; help shows the help card and asks the question again."""

from __future__ import annotations

import pytest

from dialogs import replies
from tests.dialogs.harness import DialogHarness, card_text

# (the message that starts a dialog, the question it waits on)
WAITING_STEPS = [
    pytest.param("mark Contoso won", None, id="pick-list"),
    pytest.param("show Contoso", None, id="pick-list-for-show"),
    pytest.param("mark it won", replies.WHICH_REFERRAL, id="which-referral"),
    pytest.param("add Sara Davis to 123", replies.ask_email("Sara Davis"), id="member-email"),
    pytest.param(
        "add sara.davis@contoso.com to 123",
        replies.ask_full_name("sara.davis@contoso.com"),
        id="member-name",
    ),
    pytest.param(
        "add Sara sara.davis@contoso.com to 123", replies.ask_last_name("Sara"), id="last-name"
    ),
]
CANCEL_WORDS = ["cancel", "stop", "never mind"]


@pytest.mark.parametrize("word", CANCEL_WORDS)
@pytest.mark.parametrize(("start", "question"), WAITING_STEPS)
async def test_cancel_at_a_waiting_step_ends_everything_and_changes_nothing(
    start: str, question: str | None, word: str
) -> None:
    bot = DialogHarness()
    asked = await bot.say(start)
    assert asked.texts == ([question] if question else [])
    assert question or asked.cards

    cancelled = await bot.say(word)

    assert cancelled.texts == [replies.CANCELLED]
    assert cancelled.cards == []
    assert len(bot.pending) == 0
    assert bot.referrals.called("apply") == []


@pytest.mark.parametrize(("start", "question"), WAITING_STEPS)
async def test_after_cancel_the_next_message_starts_a_new_conversation(
    start: str, question: str | None
) -> None:
    bot = DialogHarness()
    await bot.say(start)
    await bot.say("cancel")

    card = (await bot.say("show 4711")).card

    assert "Contoso Pharma data platform" in card_text(card)


@pytest.mark.parametrize(("start", "question"), WAITING_STEPS)
async def test_help_at_a_waiting_step_shows_help_and_asks_again(
    start: str, question: str | None
) -> None:
    bot = DialogHarness()
    first = await bot.say(start)

    helped = await bot.say("help")

    assert "mark 123 won" in card_text(helped.cards[0])
    if question is None:  # the pick-list card comes again
        assert helped.cards[1] == first.card
    else:
        assert helped.texts == [question]


async def test_after_help_the_pending_question_still_takes_the_answer() -> None:
    bot = DialogHarness()
    await bot.say("add Sara Davis to 123")
    await bot.say("help")

    card = (await bot.say("sara.davis@contoso.com")).card

    assert (await bot.stored(card)).referral_id == "123"


async def test_after_help_the_pick_list_still_takes_a_number() -> None:
    bot = DialogHarness()
    await bot.say("mark Contoso won")
    await bot.say("help")

    card = (await bot.say("1")).card

    assert (await bot.stored(card)).referral_id in {"123", "4711", "4712"}


@pytest.mark.parametrize(("start", "question"), WAITING_STEPS)
async def test_a_new_change_at_a_waiting_step_drops_the_question_and_is_done(
    start: str, question: str | None
) -> None:
    bot = DialogHarness()
    await bot.say(start)

    card = (await bot.say("mark 555 won")).card

    assert (await bot.stored(card)).referral_id == "555"


@pytest.mark.parametrize(("start", "question"), WAITING_STEPS)
async def test_a_list_at_a_waiting_step_drops_the_question_and_is_shown(
    start: str, question: str | None
) -> None:
    bot = DialogHarness()
    await bot.say(start)

    card = (await bot.say("new leads")).card

    assert "Northwind analytics" in card_text(card)
    assert (await bot.say("1")).texts == [replies.not_found_id("1")]  # the question is gone

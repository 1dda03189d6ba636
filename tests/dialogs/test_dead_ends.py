"""Issue 16 §6 transcripts: every kind of button under a refusal, clicked (an imBack click is
the button's text sent as the seller's message), reaches the next step."""

from __future__ import annotations

from typing import Any

from tests.dialogs.harness import DialogHarness, Replies, card_text


def buttons(replies: Replies) -> dict[str, str]:
    """Button title -> the message its click sends."""
    return {
        action["title"]: action["data"]["msteams"]["value"]
        for action in replies.card.get("actions", ())
    }


def is_confirm(card: dict[str, Any]) -> bool:
    return any("pendingId" in action.get("data", {}) for action in card.get("actions", ()))


async def click(bot: DialogHarness, replies: Replies, title: str) -> Replies:
    return await bot.say(buttons(replies)[title])


async def test_won_or_lost_buttons_lead_to_the_confirm_card() -> None:
    bot = DialogHarness()
    asked = await bot.say("close 123")
    assert "won or as lost" in asked.text
    assert buttons(asked) == {"Won": "mark 123 won", "Lost": "mark 123 lost"}

    confirm = await click(bot, asked, "Lost")

    assert is_confirm(confirm.card)
    assert "Lost" in card_text(confirm.card)
    assert (await bot.stored(confirm.card)).referral_id == "123"


async def test_a_name_without_an_outcome_gets_the_buttons_too() -> None:
    bot = DialogHarness()
    asked = await bot.say("mark Fabrikam security review")

    confirm = await click(bot, asked, "Won")

    assert is_confirm(confirm.card)
    assert (await bot.stored(confirm.card)).referral_id == "555"


async def test_stage_buttons_lead_to_the_confirm_card() -> None:
    bot = DialogHarness()
    asked = await bot.say("set stage of 123 to banana")
    assert list(buttons(asked)) == ["Qualify", "Develop", "Propose", "Close"]

    confirm = await click(bot, asked, "Propose")

    assert is_confirm(confirm.card)
    assert "Propose" in card_text(confirm.card)


async def test_an_unclear_value_gives_two_examples_and_the_first_works() -> None:
    bot = DialogHarness()
    asked = await bot.say("set value of 4711 to lots")
    assert asked.cards == []  # examples, not buttons: the values are made up
    first = asked.shown[0].split("“")[1].split("”")[0]
    assert first == "set the deal value of 4711 to 150k"

    confirm = await bot.say(first)

    assert is_confirm(confirm.card)


async def test_close_names_are_buttons_that_send_the_message_again_with_the_name() -> None:
    bot = DialogHarness()
    missed = await bot.say("mark Fabrikan won")
    assert "couldn't find" in missed.text
    assert buttons(missed)["Fabrikam Inc"] == "mark Fabrikam Inc won"

    confirm = await click(bot, missed, "Fabrikam Inc")

    assert is_confirm(confirm.card)
    assert (await bot.stored(confirm.card)).referral_id == "555"


async def test_a_named_referral_without_a_change_offers_show_it() -> None:
    bot = DialogHarness()
    asked = await bot.say("update 4711")
    assert "mark 4711 won" in asked.shown[0]

    shown = await click(bot, asked, "Show it")

    assert "Contoso Pharma data platform" in card_text(shown.card)


async def test_the_bare_not_understood_offers_three_commands_that_read() -> None:
    bot = DialogHarness()
    asked = await bot.say("lorem ipsum dolor")
    assert "didn't understand" in asked.text
    assert list(buttons(asked).values()) == ["my open referrals", "new leads", "help"]

    for title in buttons(asked):
        answered = await click(bot, asked, title)
        assert "didn't understand" not in answered.text
        assert answered.cards  # a list or the help card


async def test_a_final_referral_says_why_it_cannot_change() -> None:
    bot = DialogHarness()

    refused = await bot.say("mark 900 lost")

    assert "final in Partner Center" in refused.text
    assert "can't be changed" in refused.text

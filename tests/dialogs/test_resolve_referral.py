"""Which referral: several matches → pick-list, no match → suggestions, "it" with no history."""

from __future__ import annotations

from typing import Any

import pytest

from dialogs import replies
from dialogs.resolve_referral_dialog import pick_from
from tests.dialogs.harness import DialogHarness, card_text


def pick_values(card: dict[str, Any]) -> list[str]:
    """What each pick-list button sends back as the seller's message."""
    values: list[str] = []
    for element in card["body"]:
        for action in element.get("actions", ()):
            values.append(action["data"]["msteams"]["value"])
    return values


async def test_several_matches_show_a_pick_list_card() -> None:
    bot = DialogHarness()

    card = (await bot.say("mark Contoso won")).card

    assert sorted(pick_values(card)) == ["123", "4711", "4712"]
    assert "Contoso Pharma data platform" in card_text(card)
    assert await bot.pending.get("x") is None  # nothing proposed yet


async def test_a_pick_list_button_sends_the_id_and_the_change_is_proposed() -> None:
    bot = DialogHarness()
    card = (await bot.say("mark Contoso won")).card
    chosen = next(value for value in pick_values(card) if value == "4712")

    confirm = (await bot.say(chosen)).card

    assert (await bot.stored(confirm)).referral_id == "4712"


@pytest.mark.parametrize("answer", ["1", "2", "3", " 3 ", "#2"])
async def test_a_typed_number_picks_that_row(answer: str) -> None:
    bot = DialogHarness()
    offered = pick_values((await bot.say("mark Contoso won")).card)

    confirm = (await bot.say(answer)).card

    expected = offered[int(answer.strip().lstrip("#")) - 1]
    assert (await bot.stored(confirm)).referral_id == expected


async def test_a_typed_id_picks_that_referral() -> None:
    bot = DialogHarness()
    await bot.say("show Contoso")

    card = (await bot.say("4711")).card

    assert "Contoso Pharma data platform" in card_text(card)


async def test_a_wrong_answer_reprompts_once_then_gives_up_politely() -> None:
    bot = DialogHarness()
    await bot.say("mark Contoso won")

    first = await bot.say("the blue one")
    second = await bot.say("no idea")
    after = await bot.say("show 123")

    assert first.texts == [replies.PICK_RETRY]
    assert second.texts == [replies.PICK_GAVE_UP]
    assert "Contoso Azure migration" in card_text(after.card)
    assert bot.referrals.called("apply") == []


async def test_a_number_outside_the_list_is_not_a_pick() -> None:
    bot = DialogHarness()
    await bot.say("mark Contoso won")

    assert (await bot.say("7")).texts == [replies.PICK_RETRY]


async def test_the_pick_becomes_it_for_the_next_message() -> None:
    bot = DialogHarness()
    await bot.say("show Contoso")
    await bot.say("4712")

    card = (await bot.say("mark it won")).card

    assert (await bot.stored(card)).referral_id == "4712"


async def test_an_unknown_id_says_it_cant_be_found() -> None:
    bot = DialogHarness()

    replies_ = await bot.say("mark 999 won")

    assert replies_.texts == [replies.not_found_id("999")]
    assert replies_.cards == []


async def test_an_unknown_name_suggests_close_names() -> None:
    bot = DialogHarness()

    text = (await bot.say("show Fabrikan")).text

    assert "couldn't find" in text
    assert "Fabrikam Inc" in text


async def test_an_unknown_name_without_close_names_suggests_the_id() -> None:
    bot = DialogHarness()

    assert (await bot.say("show Zzyzx")).texts == [replies.not_found_text("Zzyzx")]


async def test_it_without_history_asks_which_referral_then_uses_the_answer() -> None:
    bot = DialogHarness()

    question = await bot.say("mark it won")
    card = (await bot.say("555")).card

    assert question.texts == [replies.WHICH_REFERRAL]
    assert (await bot.stored(card)).referral_id == "555"


async def test_it_without_history_accepts_a_name_as_the_answer() -> None:
    bot = DialogHarness()
    await bot.say("mark it won")

    card = (await bot.say("Fabrikam")).card

    assert (await bot.stored(card)).referral_id == "555"


async def test_answering_it_to_which_referral_gives_up() -> None:
    bot = DialogHarness()
    await bot.say("mark it won")

    assert (await bot.say("it")).texts == [replies.STILL_WHICH_REFERRAL]


async def test_two_sellers_in_one_chat_have_their_own_it() -> None:
    from tests.dialogs.harness import ALEX_USER, MEGAN_USER
    from tests.support.activities import channel_thread

    bot = DialogHarness()
    thread = channel_thread()
    await bot.say("show 123", user=MEGAN_USER, conversation=thread)
    await bot.say("show 555", user=ALEX_USER, conversation=thread)

    megan = (await bot.say("mark it won", user=MEGAN_USER, conversation=thread)).card
    alex = (await bot.say("mark it won", user=ALEX_USER, conversation=thread)).card

    assert (await bot.stored(megan)).referral_id == "123"
    assert (await bot.stored(alex)).referral_id == "555"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("123", "123"), ("2", "4711"), ("#4711", "4711"), ("ABC", "abc"), ("4", None), ("0", None)],
)
def test_pick_from_reads_ids_and_row_numbers(answer: str, expected: str | None) -> None:
    assert pick_from(["123", "4711", "abc"], answer) == expected

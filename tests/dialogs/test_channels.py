"""Several sellers in one channel: each has their own dialog, memory and pending changes."""

from __future__ import annotations

from dialogs import replies
from tests.dialogs.harness import ALEX_USER, MEGAN_USER, DialogHarness, card_text
from tests.support.activities import channel_thread


async def test_another_seller_cannot_answer_my_pick_list() -> None:
    bot = DialogHarness()
    thread = channel_thread()
    await bot.say("mark Contoso won", user=MEGAN_USER, conversation=thread)

    alex = await bot.say("2", user=ALEX_USER, conversation=thread)
    megan = await bot.say("2", user=MEGAN_USER, conversation=thread)

    assert alex.texts == [replies.not_found_id("2")]  # a fresh "show 2" for Alex
    change = await bot.stored(megan.card)
    assert change.proposer_id == MEGAN_USER.aad_object_id


async def test_another_sellers_cancel_does_not_cancel_my_dialog() -> None:
    bot = DialogHarness()
    thread = channel_thread()
    await bot.say("add Sara Davis to 123", user=MEGAN_USER, conversation=thread)

    alex = await bot.say("cancel", user=ALEX_USER, conversation=thread)
    megan = await bot.say("sara.davis@contoso.com", user=MEGAN_USER, conversation=thread)

    assert alex.texts == [replies.NOTHING_TO_CANCEL]
    assert (await bot.stored(megan.card)).referral_id == "123"


async def test_my_answer_is_not_taken_as_another_sellers_email() -> None:
    bot = DialogHarness()
    thread = channel_thread()
    await bot.say("add Sara Davis to 123", user=MEGAN_USER, conversation=thread)

    alex = await bot.say("sara.davis@contoso.com", user=ALEX_USER, conversation=thread)

    assert len(bot.pending) == 0
    assert alex.cards == [] or "Sara" not in card_text(alex.cards[0])


async def test_the_same_seller_in_two_conversations_has_two_dialogs() -> None:
    bot = DialogHarness()
    await bot.say("mark Contoso won", user=MEGAN_USER)  # personal chat, waiting for a pick

    in_channel = await bot.say("show 555", user=MEGAN_USER, conversation=channel_thread())
    picked = await bot.say("1", user=MEGAN_USER)

    assert "Fabrikam security review" in card_text(in_channel.card)
    assert (await bot.stored(picked.card)).referral_id in {"123", "4711", "4712"}


async def test_each_seller_pages_their_own_list() -> None:
    bot = DialogHarness()
    thread = channel_thread()
    await bot.say("new leads", user=MEGAN_USER, conversation=thread)

    alex = await bot.say("more", user=ALEX_USER, conversation=thread)

    assert alex.texts == [replies.NO_LIST_YET]


async def test_answers_that_still_carry_the_mention_are_understood() -> None:
    bot = DialogHarness()
    thread = channel_thread()
    await bot.say("<at>Referral Bot</at> add Sara Davis to 123", conversation=thread)

    card = (await bot.say("<at>Referral Bot</at> sara.davis@contoso.com", conversation=thread)).card

    assert (await bot.stored(card)).referral_id == "123"


async def test_a_pick_that_still_carries_the_mention_is_understood() -> None:
    bot = DialogHarness()
    thread = channel_thread()
    await bot.say("<at>Referral Bot</at> mark Contoso won", conversation=thread)

    card = (await bot.say("<at>Referral Bot</at> 4712", conversation=thread)).card

    assert (await bot.stored(card)).referral_id == "4712"


async def test_a_channel_proposal_posts_a_card_without_buttons_and_remembers_the_message() -> None:
    bot = DialogHarness()
    thread = channel_thread()

    card = (await bot.say("mark 123 won", user=MEGAN_USER, conversation=thread)).card

    assert "actions" not in card
    assert card["refresh"]["userIds"] == [MEGAN_USER.id]  # Teams' id, "29:…"
    change = await bot.stored(card)
    assert change.card == card  # kept for each viewer's refresh
    [(pending_id, reference, activity_id)] = bot.confirm_cards.calls
    assert pending_id == change.id
    assert activity_id  # the posted message, to update for everyone when it ends
    assert reference["conversation"]["id"] == thread.id
    assert reference["serviceUrl"]


async def test_a_personal_chat_proposal_keeps_its_buttons_and_remembers_nothing() -> None:
    bot = DialogHarness()

    card = (await bot.say("mark 123 won", user=MEGAN_USER)).card

    assert [action["verb"] for action in card["actions"]] == ["referral.confirm", "referral.cancel"]
    assert "refresh" not in card
    assert (await bot.stored(card)).card is None
    assert bot.confirm_cards.calls == []


async def test_a_channel_batch_is_posted_once_without_buttons() -> None:
    bot = DialogHarness()

    card = (await bot.say("mark 555 and 123 lost", conversation=channel_thread())).card

    batch = await bot.stored(card)
    assert batch.is_batch
    assert batch.card == card
    assert "actions" not in card
    assert [call[0] for call in bot.confirm_cards.calls] == [batch.id]

"""Show, lists with paging, help, "it", and messages the bot doesn't understand."""

from __future__ import annotations

import pytest

from bot.domain.list_kinds import ListKind
from dialogs import replies
from tests.dialogs.harness import PORTAL_URL, DialogHarness, card_text
from tests.dialogs.seed import many_open_documents, seed_documents
from tests.support.fakes import FakeReferralsService


@pytest.mark.parametrize(
    ("text", "deal"),
    [
        ("show 123", "Contoso Azure migration"),
        ("123", "Contoso Azure migration"),
        ("show Fabrikam", "Fabrikam security review"),
        ("show Contoso Azure", "Contoso Azure migration"),
        ("show CRM-0002", "Contoso Pharma data platform"),
    ],
)
async def test_show_answers_with_the_referral_card(text: str, deal: str) -> None:
    bot = DialogHarness()

    card = (await bot.say(text)).card

    assert deal in card_text(card)
    links = [a["url"] for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    assert links
    assert links[0].startswith(PORTAL_URL)


async def test_it_after_show_means_the_referral_just_shown() -> None:
    bot = DialogHarness()
    await bot.say("show 4711")

    card = (await bot.say("mark it won")).card

    assert (await bot.stored(card)).referral_id == "4711"


async def test_it_after_a_change_means_the_referral_just_changed() -> None:
    bot = DialogHarness()
    await bot.say("note on 555: call on Monday")

    card = (await bot.say("show it")).card

    assert "Fabrikam security review" in card_text(card)


async def test_it_follows_the_last_referral_not_the_first() -> None:
    bot = DialogHarness()
    await bot.say("show 123")
    await bot.say("show 555")

    card = (await bot.say("mark it won")).card

    assert (await bot.stored(card)).referral_id == "555"


@pytest.mark.parametrize(
    ("text", "shown", "hidden"),
    [
        ("my open referrals", ["Contoso Azure migration", "Northwind analytics"], ["Adatum"]),
        ("new leads", ["Northwind analytics"], ["Contoso Azure migration"]),
        ("deals closing this month", ["Fabrikam security review"], ["Contoso Azure migration"]),
        (
            "deals closing this quarter",
            ["Fabrikam security review", "Contoso Azure migration"],
            ["Contoso Pharma"],
        ),
    ],
)
async def test_a_list_shows_the_matching_referrals(
    text: str, shown: list[str], hidden: list[str]
) -> None:
    bot = DialogHarness()

    visible = card_text((await bot.say(text)).card)

    for name in shown:
        assert name in visible
    for name in hidden:
        assert name not in visible


async def test_lists_are_paged_ten_per_card_and_more_shows_the_next_page() -> None:
    bot = DialogHarness(referrals=FakeReferralsService(many_open_documents(25)))

    first = (await bot.say("my open referrals")).card
    second = (await bot.say("more")).card
    third = (await bot.say("more")).card
    after = await bot.say("more")

    assert card_text(first).count("Tailspin deal") == 10
    assert "Tailspin deal 00" in card_text(first)
    assert "Tailspin deal 10" in card_text(second)
    assert "Tailspin deal 09" not in card_text(second)
    assert card_text(third).count("Tailspin deal") == 5
    assert any(
        a.get("data", {}).get("msteams", {}).get("value") == "more" for a in second["actions"]
    )
    assert third.get("actions", []) == []
    assert after.texts == [replies.END_OF_LIST]


async def test_more_before_any_list_says_what_to_ask_for() -> None:
    bot = DialogHarness()

    assert (await bot.say("more")).texts == [replies.NO_LIST_YET]


async def test_a_new_list_restarts_paging() -> None:
    bot = DialogHarness(referrals=FakeReferralsService(many_open_documents(25)))
    await bot.say("my open referrals")
    await bot.say("more")

    first = (await bot.say("my open referrals")).card

    assert "Tailspin deal 00" in card_text(first)


async def test_an_empty_list_says_so_in_words() -> None:
    documents = [d for d in seed_documents() if d["status"] != "New"]
    bot = DialogHarness(referrals=FakeReferralsService(documents))

    assert (await bot.say("new leads")).texts == [replies.EMPTY_LISTS[ListKind.NEW_LEADS]]


async def test_help_shows_the_help_card_with_examples() -> None:
    bot = DialogHarness()

    visible = card_text((await bot.say("help")).card)

    assert "mark 123 won" in visible
    assert "my open referrals" in visible


async def test_cancel_with_nothing_in_progress_says_nothing_changed() -> None:
    bot = DialogHarness()

    assert (await bot.say("cancel")).texts == [replies.NOTHING_TO_CANCEL]


async def test_an_unknown_command_says_so_and_changes_nothing() -> None:
    bot = DialogHarness()

    replies_ = await bot.say("please make me a sandwich")

    assert len(replies_.texts) == 1
    # No confirm card: only buttons that read (issue 16 §6: what would work).
    assert [action["data"]["msteams"]["value"] for action in replies_.card["actions"]] == [
        "my open referrals",
        "new leads",
        "help",
    ]
    assert bot.referrals.calls == []


async def test_a_typo_gets_a_did_you_mean() -> None:
    bot = DialogHarness()

    # A mistyped change goes on to its confirm card (issue 16, section 5); a read still asks.
    text = (await bot.say("shwo 123")).text

    assert "Did you mean" in text
    assert "show 123" in text


async def test_an_empty_message_asks_for_help() -> None:
    bot = DialogHarness()

    assert (await bot.say("   ")).texts == [replies.NOT_UNDERSTOOD_EMPTY]

"""Transcripts of composed lists (issue 16, section 2): a filtered, ordered list with its title,
"more" through its pages, "mine", a count, and a total over several currencies.

Today is Wednesday 2026-11-25 (Q4) in Europe/Berlin; next quarter is Q1 2027.
"""

from __future__ import annotations

from typing import Any

from bot.domain.list_kinds import ListKind
from bot.domain.list_query import ListQuery, ListStatus
from dialogs import replies
from dialogs.seller_memory import ListPosition, SellerMemory
from tests.dialogs.harness import ALEX_USER, DialogHarness, card_text
from tests.dialogs.seed import ALEX, MEGAN, referral_document
from tests.support.fakes import FakeReferralsService

OSCAR = {"firstName": "Oscar", "lastName": "Lind", "email": "oscar.lind@contoso.com"}


def pipeline() -> list[dict[str, Any]]:
    return [
        referral_document("1", "Ember Cobalt rollout", "Ember Cobalt Ltd", value=400_000,
                          closing="2027-02-10T00:00:00Z", team=(OSCAR,)),
        referral_document("2", "Lots Road data platform", "Lots Road Auctions", value=300_000,
                          currency="EUR", closing="2027-03-01T00:00:00Z", team=(MEGAN,)),
        referral_document("3", "Wong & Partners security", "Wong & Partners", value=900_000,
                          closing="2027-01-20T00:00:00Z", team=(OSCAR, MEGAN)),
        referral_document("4", "Müller & Söhne migration", "Müller & Söhne", value=120_000,
                          currency="EUR", closing="2027-02-01T00:00:00Z", team=(ALEX,)),
        referral_document("5", "O'Brien Logistics Teams", "O'Brien Logistics", value=500_000,
                          closing="2026-12-05T00:00:00Z", team=(OSCAR,)),
        referral_document("6", "Contoso won deal", "Contoso Ltd", "Closed/Won", value=700_000,
                          closing="2027-01-15T00:00:00Z", team=(OSCAR,)),
        referral_document("7", "Fabrikam overdue", "Fabrikam Inc", value=50_000,
                          closing="2026-11-01T00:00:00Z", team=(ALEX,)),
        referral_document("8", "Northwind unvalued", "Northwind Traders", value=None,
                          closing="2027-01-05T00:00:00Z", team=(MEGAN,)),
    ]  # fmt: skip


def names_in(card: dict[str, Any]) -> list[str]:
    text = card_text(card)
    names = [document["name"] for document in pipeline()]
    return sorted((name for name in names if name in text), key=text.index)


async def test_the_issue_example_lists_filtered_ordered_and_titled() -> None:
    bot = DialogHarness(referrals=FakeReferralsService(pipeline()))

    answer = await bot.say("open deals over 250k closing next quarter, biggest first")

    assert names_in(answer.card) == [
        "Wong & Partners security",
        "Ember Cobalt rollout",
        "Lots Road data platform",
    ]
    assert "Open deals over 250,000 closing next quarter, biggest first" in card_text(answer.card)
    assert answer.texts == [
        "These deals are in EUR and USD: values were compared and sorted within each deal's own "
        "currency, not converted."
    ]


async def test_a_currency_in_the_filter_keeps_that_currency_only() -> None:
    bot = DialogHarness(referrals=FakeReferralsService(pipeline()))

    answer = await bot.say("open deals over $250k closing next quarter")

    assert names_in(answer.card) == ["Wong & Partners security", "Ember Cobalt rollout"]
    assert "Open deals over USD 250,000 closing next quarter" in card_text(answer.card)
    assert answer.texts == []


async def test_more_pages_through_a_composed_list_and_keeps_its_filters() -> None:
    documents = [
        referral_document(f"{n:02d}", f"Tailspin deal {n:02d}", "Tailspin Toys",
                          value=100_000 + n * 1_000, closing="2027-02-01T00:00:00Z")
        for n in range(25)
    ] + [referral_document("x", "Too small", "Tailspin Toys", value=5_000)]  # fmt: skip
    bot = DialogHarness(referrals=FakeReferralsService(documents))

    first = (await bot.say("deals over 50k closing next quarter, smallest first")).card
    second = (await bot.say("more")).card
    third = (await bot.say("more")).card
    after = await bot.say("more")

    assert card_text(first).count("Tailspin deal") == 10
    assert "Tailspin deal 00" in card_text(first)
    assert "Tailspin deal 10" in card_text(second)
    assert "Page 2" in card_text(second)
    assert "Deals over 50,000 closing next quarter, smallest first" in card_text(second)
    assert card_text(third).count("Tailspin deal") == 5
    assert "Too small" not in card_text(first) + card_text(second) + card_text(third)
    assert after.texts == [replies.END_OF_LIST]


async def test_a_possessive_lists_a_team_members_deals() -> None:
    bot = DialogHarness(referrals=FakeReferralsService(pipeline()))

    answer = await bot.say("Oscar's open deals")

    assert set(names_in(answer.card)) == {
        "Ember Cobalt rollout",
        "Wong & Partners security",
        "O'Brien Logistics Teams",
    }
    assert "Oscar's open deals" in card_text(answer.card)


async def test_mine_is_the_callers_name_on_the_team() -> None:
    bot = DialogHarness(referrals=FakeReferralsService(pipeline()))

    answer = await bot.say("deals assigned to me", user=ALEX_USER)

    assert set(names_in(answer.card)) == {"Müller & Söhne migration", "Fabrikam overdue"}
    assert "Your deals" in card_text(answer.card)


async def test_overdue_lists_open_deals_past_their_close_date() -> None:
    bot = DialogHarness(referrals=FakeReferralsService(pipeline()))

    answer = await bot.say("what's overdue?")

    assert names_in(answer.card) == ["Fabrikam overdue"]
    assert "Overdue deals" in card_text(answer.card)


async def test_a_count_is_one_sentence() -> None:
    bot = DialogHarness(referrals=FakeReferralsService(pipeline()))

    answer = await bot.say("how many open deals do I have?")

    assert answer.texts == ["There are 7 open deals."]
    assert answer.cards == []


async def test_a_total_with_mixed_currencies_is_summed_per_currency() -> None:
    bot = DialogHarness(referrals=FakeReferralsService(pipeline()))

    answer = await bot.say("pipeline total next quarter")

    assert answer.texts == [
        "The 5 open deals closing next quarter add up to EUR 420,000 and USD 1,300,000 "
        "(2 currencies, not converted; 1 has no value)."
    ]


async def test_an_empty_composed_list_names_what_was_asked() -> None:
    bot = DialogHarness(referrals=FakeReferralsService(pipeline()))

    answer = await bot.say("lost deals in Germany")

    assert answer.texts == ["No referrals match “Lost deals in Germany” right now."]


async def test_more_after_a_preset_continues_the_preset() -> None:
    """A preset is stored as before composed lists ({kind, page})."""
    bot = DialogHarness(referrals=FakeReferralsService(pipeline()))
    await bot.say("my open referrals")
    answer = await bot.say("more")

    assert answer.texts == [replies.END_OF_LIST]


async def test_a_stored_position_round_trips_both_forms() -> None:
    stored: dict[str, Any] = {}

    class Accessor:
        async def get(self, _context: Any, _factory: Any) -> dict[str, Any]:
            value: dict[str, Any] = stored.get("value", {})
            return value

        async def set(self, _context: Any, value: dict[str, Any]) -> None:
            stored["value"] = value

    memory = SellerMemory(Accessor())
    composed = ListQuery(frozenset({ListStatus.WON}), party="Wong & Partners", top=5)
    await memory.remember_list(None, ListPosition(composed, 2))
    assert (await memory.last_list(None)) == ListPosition(composed, 2)
    stored["value"] = {"lastList": {"kind": "new_leads", "page": 1}}  # the old form
    old = await memory.last_list(None)
    assert old == ListPosition(ListKind.NEW_LEADS, 1)
    stored["value"] = {"lastList": {"query": {"statuses": ["nonsense"]}, "page": 1}}
    assert await memory.last_list(None) is None

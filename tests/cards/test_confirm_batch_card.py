"""Issue 16 §4: the batch confirm card shows every referral's old -> new, whatever the values."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.cards import confirm_outcome
from bot.cards.confirm_batch import (
    MAX_REFERRALS,
    ItemResult,
    Skipped,
    batch_buttons,
    render_batch_confirm_card,
    render_batch_result_card,
)
from bot.cards.confirm_change import CONFIRM_VERB, proposer_view, render_confirm_card
from bot.cards.elements import TOO_BIG
from bot.domain.change import FieldChange
from tests.cards.samples import MEGAN, mark_won, seed_referrals, value_date_and_note
from tests.support.cards import assert_valid_card, visible_text


def test_ten_referrals_with_long_values_all_fit_on_one_card() -> None:
    long = "x" * 5000
    changes = []
    for referral in seed_referrals()[:MAX_REFERRALS]:
        planned = mark_won(referral)
        fields = tuple(FieldChange(f"Field {n}", long, long) for n in range(10))
        changes.append(replace(planned, fields=fields))
    skipped = [Skipped(f"referral {n}", long) for n in range(MAX_REFERRALS)]
    card = render_batch_confirm_card(changes, skipped, pending_id="b-1")
    assert_valid_card(card)
    text = visible_text(card)
    assert TOO_BIG not in text
    for change in changes:
        assert f"referral {change.referral_id}" in text


def test_the_buttons_carry_only_the_batch_id() -> None:
    card = render_batch_confirm_card([mark_won(), value_date_and_note()], [], pending_id="b-1")
    assert [action["data"] for action in card["actions"]] == [{"pendingId": "b-1"}] * 2
    assert card["actions"][0]["verb"] == CONFIRM_VERB
    assert card["actions"][0]["title"] == "Confirm all 2"
    assert "can't be undone" in visible_text(card)  # marking won is final


def test_a_result_card_carries_fresh_cards_while_they_fit_and_asks_again_after() -> None:
    fresh = render_confirm_card(value_date_and_note(), pending_id="p-1")
    results = [ItemResult(f"Referral {n}", "Not saved.", "warning", fresh) for n in range(10)]
    card = render_batch_result_card(results)
    assert_valid_card(card)
    text = visible_text(card)
    assert TOO_BIG not in text
    confirms = [
        action
        for element in card["body"]
        for item in element.get("items", [])
        if item.get("type") == "ActionSet"
        for action in item["actions"]
        if action.get("verb") == CONFIRM_VERB
    ]
    assert 1 <= len(confirms) < 10
    assert "Ask me again for this referral" in text


def test_a_group_batch_card_has_no_buttons_and_the_proposers_view_confirms_all() -> None:
    card = render_batch_confirm_card(
        [mark_won(), value_date_and_note()], [], pending_id="b-7", proposer=MEGAN
    )
    assert_valid_card(card)
    assert "actions" not in card
    assert card["refresh"]["action"]["data"] == {"pendingId": "b-7"}
    assert card["refresh"]["userIds"] == [MEGAN.teams_id]
    text = visible_text(card)
    assert "Megan Bowen proposes these 2 changes" in text
    assert "Waiting for Megan Bowen to confirm" in text
    view = proposer_view(card, batch_buttons("b-7", 2))
    assert_valid_card(view)
    assert [(a["title"], a["data"]) for a in view["actions"]] == [
        ("Confirm all 2", {"pendingId": "b-7"}),
        ("Cancel", {"pendingId": "b-7"}),
    ]


def test_everyone_sees_each_outcome_but_not_the_fresh_cards_of_the_proposer() -> None:
    fresh = render_confirm_card(value_date_and_note(), pending_id="p-1")
    results = [
        ItemResult("Referral 123", "Saved.", "good"),
        ItemResult("Referral 4711", "Not saved.", "warning", fresh),
    ]
    moment = datetime(2026, 3, 10, 10, 42, tzinfo=UTC)
    card = confirm_outcome.batch_by(results, by="Megan Bowen", moment=moment)
    assert_valid_card(card)
    text = visible_text(card)
    assert "Confirmed by Megan Bowen at 10:42" in text
    assert "Referral 4711" in text
    assert "Not saved." in text
    assert CONFIRM_VERB not in str(card)

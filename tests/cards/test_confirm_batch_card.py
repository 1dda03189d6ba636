"""Issue 16 §4: the batch confirm card shows every referral's old -> new, whatever the values."""

from __future__ import annotations

from dataclasses import replace

from bot.cards.confirm_batch import (
    MAX_REFERRALS,
    ItemResult,
    Skipped,
    render_batch_confirm_card,
    render_batch_result_card,
)
from bot.cards.confirm_change import CONFIRM_VERB, render_confirm_card
from bot.cards.elements import TOO_BIG
from bot.domain.change import FieldChange
from tests.cards.samples import mark_won, seed_referrals, value_date_and_note
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

from __future__ import annotations

from bot.cards.referral_list import MAX_ROWS, render_referral_list_card
from tests.cards import samples
from tests.support.cards import actions, assert_valid_card, visible_text


def test_rows_show_name_customer_status_value_close_date_and_id() -> None:
    card = render_referral_list_card(
        [samples.seed_referral("123")], title="Your open referrals", page=1, has_more=False
    )
    assert_valid_card(card)
    shown = visible_text(card)
    for text in (
        "Your open referrals",
        "Contoso Azure migration",
        "Contoso Ltd · Active (Accepted)",
        "USD 150,000",
        "Closes Mon 30 Mar 2026",
        "Id 123",
    ):
        assert text in shown
    assert "actions" not in card


def test_more_button_only_when_there_is_a_next_page() -> None:
    referrals = samples.seed_referrals()[:5]
    card = render_referral_list_card(referrals, title="New leads", page=2, has_more=True)
    assert_valid_card(card)
    assert actions(card) == [
        {
            "type": "Action.Submit",
            "title": "More",
            "data": {"msteams": {"type": "imBack", "value": "more"}},
        }
    ]
    assert "Page 2" in visible_text(card)


def test_empty_page_says_so() -> None:
    card = render_referral_list_card([], title="New leads", page=1, has_more=False)
    assert_valid_card(card)
    assert "Nothing here right now." in visible_text(card)


def test_a_page_too_long_for_one_card_is_capped_and_counted() -> None:
    referrals = samples.seed_referrals()
    card = render_referral_list_card(referrals, title="All", page=1, has_more=False)
    assert_valid_card(card)
    shown = visible_text(card)
    assert f"{len(referrals) - MAX_ROWS} more on this page aren't shown." in shown
    assert sum(f"Id {r.id}" in shown for r in referrals) == MAX_ROWS

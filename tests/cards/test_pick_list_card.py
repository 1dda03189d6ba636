from __future__ import annotations

from bot.cards.pick_list import MAX_CANDIDATES, render_pick_list_card
from tests.cards import samples
from tests.support.cards import actions, assert_valid_card, visible_text


def test_one_imback_button_per_candidate_sends_the_id() -> None:
    contoso = [r for r in samples.seed_referrals() if (r.name or "").startswith("Contoso")]
    card = render_pick_list_card(contoso, prompt="Which Contoso referral do you mean?")
    assert_valid_card(card)
    buttons = actions(card)
    assert [b["data"] for b in buttons] == [
        {"msteams": {"type": "imBack", "value": r.id}} for r in contoso
    ]
    assert all(b["type"] == "Action.Submit" for b in buttons)
    assert buttons[0]["title"] == "Contoso Azure migration — Contoso Ltd — Active (Accepted) — 123"
    assert "Which Contoso referral do you mean?" in visible_text(card)


def test_at_most_ten_buttons_and_the_rest_are_counted() -> None:
    everything = samples.seed_referrals()
    card = render_pick_list_card(everything, prompt="Which one?")
    assert_valid_card(card)
    assert len(actions(card)) == MAX_CANDIDATES
    assert f"{len(everything) - MAX_CANDIDATES} more match." in visible_text(card)

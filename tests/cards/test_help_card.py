from __future__ import annotations

from bot.cards.help import render_help_card
from tests.cards.samples import HELP_EXAMPLES
from tests.support.cards import actions, assert_valid_card, visible_text, walk


def test_examples_are_grouped_in_order() -> None:
    card = render_help_card(HELP_EXAMPLES)
    assert_valid_card(card)
    groups = [n["items"][0]["text"] for n in walk(card) if n.get("type") == "Container"]
    assert groups == [
        "Close a deal",
        "Incoming leads",
        "Deal details",
        "Team",
        "See your referrals",
        "Anytime",
    ]


def test_read_only_examples_are_buttons_and_changes_stay_text() -> None:
    card = render_help_card(HELP_EXAMPLES)
    buttons = {b["title"]: b["data"]["msteams"]["value"] for b in actions(card)}
    assert buttons == {
        "show 123": "show 123",
        "my open referrals": "my open referrals",
        "new leads": "new leads",
        "deals closing this month": "deals closing this month",
    }
    shown = visible_text(card)
    assert "“mark 123 won”" in shown
    assert "“add Jane Doe jane.doe@contoso.com to 4711”" in shown
    assert "“help”" in shown


def test_no_examples_still_explains_how_to_talk_to_the_bot() -> None:
    card = render_help_card(())
    assert_valid_card(card)
    assert "confirmation" in visible_text(card)

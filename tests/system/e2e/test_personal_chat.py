"""Personal chat as Megan Bowen in the Agents Playground: confirm and cancel a status change.

A broken card action is silent in the Playground (the card just stays), so every click asserts
the card was REPLACED in place: same number of cards, the clicked one now reads differently.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.playground import WAIT_MS, PlaygroundPage
from tests.system.e2e.emulator_controls import Emulator

pytestmark = pytest.mark.slow  # the Playground and headless Chromium

CONFIRM_TITLE = "Please confirm this change"


def _ask_to_mark_won(playground: PlaygroundPage) -> int:
    """Sends "mark 123 won"; returns the index of the confirmation card."""
    playground.open_chat("Personal Chat")
    before = playground.card_count()
    playground.say("mark 123 won")
    card = playground.new_card(before, CONFIRM_TITLE)
    expect(card).to_contain_text("Contoso Azure migration")
    expect(card).to_contain_text("Active (Accepted)")
    expect(card).to_contain_text("Won")
    playground.screenshot("confirm-card")
    return before


def test_confirm_replaces_the_card_and_patches_once(
    playground: PlaygroundPage, emulator: Emulator
) -> None:
    index = _ask_to_mark_won(playground)
    card = playground.cards().nth(index)
    playground.click_card_button(card, "Confirm")
    expect(card).not_to_contain_text(CONFIRM_TITLE, timeout=WAIT_MS)
    expect(card).to_contain_text("Saved")
    expect(card).to_contain_text("Won")
    playground.screenshot("result-card")
    assert playground.card_count() == index + 1  # replaced, not a new message
    patches = emulator.requests("PATCH")
    assert len(patches) == 1, patches
    assert patches[0]["path"].endswith("/referrals/123"), patches[0]
    assert patches[0]["status"] in (200, 204), patches[0]


def test_cancel_replaces_the_card_and_changes_nothing(
    playground: PlaygroundPage, emulator: Emulator
) -> None:
    index = _ask_to_mark_won(playground)
    card = playground.cards().nth(index)
    playground.click_card_button(card, "Cancel")
    expect(card).to_contain_text("cancelled", ignore_case=True, timeout=WAIT_MS)
    expect(card).not_to_contain_text(CONFIRM_TITLE)
    playground.screenshot("cancelled-card")
    assert playground.card_count() == index + 1
    assert emulator.requests("PATCH") == []

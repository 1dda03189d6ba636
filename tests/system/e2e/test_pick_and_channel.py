"""A disambiguation pick in personal chat, and an @mention command in a Teams channel.

The pick-list buttons are `imBack` submits; Agents Playground 0.2.28 ignores those (a click
sends nothing), so the pick is typed the way the card offers ("type its number"). Real Teams
sends the click as the same message.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.playground import WAIT_MS, PlaygroundPage
from tests.support.playground_stack import BOT_NAME, CHANNEL_NAME
from tests.system.e2e.emulator_controls import Emulator

pytestmark = pytest.mark.slow  # the Playground and headless Chromium

PICK_TITLE = "Which one do you mean?"


def test_show_contoso_offers_a_pick_list_and_the_pick_shows_the_referral(
    playground: PlaygroundPage, emulator: Emulator
) -> None:
    playground.open_chat("Personal Chat")
    before = playground.card_count()
    playground.say("show Contoso")
    pick = playground.new_card(before, PICK_TITLE)
    expect(pick).to_contain_text("Contoso Azure migration")
    expect(pick).to_contain_text("Contoso Pharma data platform")
    playground.screenshot("pick-list")
    playground.say("2")
    referral = playground.new_card(before + 1, "Referral id")
    expect(referral).to_contain_text("Contoso Pharma data platform", timeout=WAIT_MS)
    expect(referral).to_contain_text("4711")
    expect(referral).not_to_contain_text(PICK_TITLE)
    playground.screenshot("referral-card")
    assert emulator.requests("PATCH") == []


def test_channel_mention_gets_a_confirm_card_naming_the_proposer_and_confirm_saves_it(
    playground: PlaygroundPage, emulator: Emulator
) -> None:
    playground.open_chat(CHANNEL_NAME)
    before = playground.card_count()
    playground.mention_bot(BOT_NAME, "mark 123 won")
    card = playground.new_card(before, "Megan Bowen proposes this change")
    expect(card).to_contain_text("Waiting for Megan Bowen to confirm")
    expect(card).to_contain_text("Won")
    # The Playground runs no per-user refresh ("User specific view is not supported yet"), so
    # `make demo` puts the buttons on the channel's card (REFERRAL_BOT_BOT__USER_SPECIFIC_VIEWS)
    playground.screenshot("channel-confirm-card")
    assert emulator.requests("PATCH") == []
    playground.click_card_button(card, "Confirm")
    expect(card).to_contain_text("Saved", timeout=WAIT_MS)
    expect(card.get_by_role("button", name="Confirm", exact=True)).to_have_count(0)
    playground.screenshot("channel-saved-card")
    assert len(emulator.requests("PATCH")) == 1

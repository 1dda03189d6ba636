"""A new lead in the Agents Playground, as a person trying `make demo` makes one arrive.

Megan opens her personal chat (the Playground page then tells the bot it was installed: she is
stored and greeted) and asks for her new leads (a Partner Center read: her token is cached, so
the bot can later read on her behalf). The banner's `python -m demo new-lead` then has the
emulator create a lead with her on the team and send the signed `referral-created` event to
the bot, which the emulator's deliveries control shows answered 200; the lead card arrives in
her personal chat with the customer and the countdown, and Accept turns it, in place, into
"Accepted by Megan Bowen" after exactly one PATCH.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.support.playground import WAIT_MS, PlaygroundPage
from tests.support.playground_stack import REPO_ROOT, Stack
from tests.system.e2e.emulator_controls import Emulator

pytestmark = pytest.mark.slow  # the Playground and headless Chromium

CUSTOMER = "Wingtip Toys"


def _new_lead_from_the_banner(stack: Stack) -> str:
    """`python -m demo new-lead`, run as the banner says, in another process."""
    command = [sys.executable, "-m", "demo", "new-lead", "--emulator", stack.referrals_base_url]
    done = subprocess.run(
        [*command, "--customer", CUSTOMER],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _referral_id(printed: str) -> str:
    return printed.split("referral id ", 1)[1].split()[0]


def test_the_lead_card_arrives_and_accept_turns_it_into_accepted_by_megan(
    playground: PlaygroundPage, emulator: Emulator, stack: Stack
) -> None:
    playground.open_chat("Personal Chat")
    before = playground.card_count()
    playground.say("new leads")
    playground.new_card(before, "New leads")
    playground.screenshot("signed-in")

    printed = _new_lead_from_the_banner(stack)

    assert f"{CUSTOMER} (Seattle, US), 120,000 USD" in printed, printed
    [delivery] = emulator.webhook_deliveries()
    assert (delivery["event"], delivery["state"]) == ("referral-created", "delivered")
    assert [attempt["status"] for attempt in delivery["attempts"]] == [200]
    referral_id = _referral_id(printed)
    cards = playground.cards().filter(has_text=referral_id)  # this lead's, whatever else comes
    expect(cards).to_have_count(1, timeout=WAIT_MS)
    card = cards.first
    expect(card).to_contain_text("New lead")
    expect(card).to_contain_text(CUSTOMER)
    expect(card).to_contain_text("Expires in 3 days")
    expect(card).to_contain_text("Dynamics 365 Sales")
    playground.screenshot("lead-card")

    playground.click_card_button(card, "Accept")

    expect(card).to_contain_text("Accepted by Megan Bowen", timeout=WAIT_MS)
    expect(card.get_by_role("button", name="Accept", exact=True)).to_have_count(0)
    playground.screenshot("accepted")
    expect(cards).to_have_count(1)  # replaced in place, not a new message
    [patch] = emulator.requests("PATCH")
    assert patch["path"].endswith(f"/referrals/{referral_id}"), patch
    assert patch["status"] in (200, 204), patch

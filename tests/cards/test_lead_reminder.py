"""The reminder card: the countdown in the seller's calendar, the lead's facts, "Show details"."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.cards.lead_reminder import expires_in, render_lead_reminder_card
from tests.cards import samples
from tests.support.cards import actions, assert_valid_card, visible_text

AUCKLAND = ZoneInfo("Pacific/Auckland")
NOW = datetime(2026, 12, 2, 23, 0, tzinfo=AUCKLAND)  # Wednesday, 23:00


@pytest.mark.parametrize(
    ("expires", "said"),
    [
        (NOW + timedelta(hours=30), "in 2 days"),  # Fri 4 Dec, 05:00: 30 hours, two dates on
        (NOW + timedelta(hours=2), "tomorrow"),  # Thu 3 Dec, 01:00: two hours, yet tomorrow
        (NOW + timedelta(minutes=30), "today at 23:30"),
        (NOW + timedelta(days=3), "in 3 days"),
    ],
)
def test_the_countdown_counts_the_sellers_calendar_days(expires: datetime, said: str) -> None:
    assert expires_in(expires, NOW) == said


def test_the_card_shows_the_lead_and_a_button_that_shows_it() -> None:
    lead = samples.seed_referral("Northwind Traders analytics")
    card = render_lead_reminder_card(lead, expires_at=NOW + timedelta(days=1), now=NOW)
    assert_valid_card(card)
    text = visible_text(card)
    assert "Reminder: this lead expires tomorrow" in text
    assert "Northwind Traders analytics" in text
    assert "Thu 3 Dec 2026, 23:00" in text
    (button,) = actions(card)
    assert button["title"] == "Show details"
    assert button["data"] == {"msteams": {"type": "imBack", "value": f"show {lead.id}"}}

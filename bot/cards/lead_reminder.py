"""A reminder that an incoming lead is still New and will expire: "expires in 3 days".

The countdown is in the seller's calendar (the caller gives both instants in their time zone):
"tomorrow" is their tomorrow. "Show details" is an imBack of "show <id>", so the click reads as if
the seller had typed it and the referral card comes back as for any "show".
"""

from __future__ import annotations

from datetime import datetime

from bot.cards import summary
from bot.cards.elements import Element, adaptive_card, fact_set, im_back, text_block
from bot.cards.text import inert, plain
from bot.domain.formatting import format_date
from bot.domain.referral import Referral

SHOW_COMMAND = "show {id}"
ID_LIMIT = 200


def render_lead_reminder_card(
    referral: Referral, *, expires_at: datetime, now: datetime
) -> Element:
    """`expires_at` and `now` in the seller's time zone."""
    heading = inert(f"Reminder: this lead expires {expires_in(expires_at, now)}", limit=200)
    name = summary.deal_name(referral)
    body = [
        text_block(heading, heading=True, style="warning"),
        text_block(name, bold=True),
        fact_set(
            [
                ("Customer", summary.customer(referral)),
                ("Deal value", summary.deal_value(referral)),
                ("Expires", expiry_moment(expires_at)),
                ("Referral id", summary.referral_id(referral)),
            ]
        ),
        text_block("It is still New: accept or decline it before then.", subtle=True),
    ]
    return adaptive_card(body, [show_button(referral.id)], summary=heading)


def show_button(referral_id: str, title: str = "Show details") -> Element:
    """The click sends "show <id>" as the seller's own message: the bot answers with the card."""
    return im_back(title, SHOW_COMMAND.format(id=plain(referral_id, limit=ID_LIMIT)))


def expires_in(expires_at: datetime, now: datetime) -> str:
    """ "today at 17:00", "tomorrow", "in 3 days": counted in the seller's calendar days, so
    "tomorrow" is their tomorrow whatever the hour."""
    days = (expires_at.date() - now.date()).days
    if days <= 0:
        return f"today at {expires_at:%H:%M}"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def expiry_moment(expires_at: datetime) -> str:
    """ "Fri 12 Dec 2026, 17:00" (the seller's zone)."""
    return f"{format_date(expires_at.date())}, {expires_at:%H:%M}"

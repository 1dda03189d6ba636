"""What everyone in a group conversation sees once a confirm card posted there has ended.

The proposer's own click is answered as in a one-to-one chat (`bot.card_actions.replies`); the
posted message is then updated for every member to one of these, which name who acted and carry
no buttons and no refresh: the change is over for all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot.cards.confirm_batch import ItemResult, render_batch_result_card
from bot.cards.elements import Element
from bot.cards.notice import render_notice_card
from bot.cards.referral import render_referral_card
from bot.domain.referral import Referral

NOTHING_CHANGED = "Nothing was changed."
SEE_PARTNER_CENTER = "Open Partner Center to see the referral as it is now."


def at(moment: datetime) -> str:
    """ "10:42": the time of day in the zone `moment` carries (the proposer's, from Teams)."""
    return moment.strftime("%H:%M")


def saved_by(
    referral: Referral, *, portal_url: str, by: str, moment: datetime, notice: str | None = None
) -> Element:
    return render_referral_card(
        referral, portal_url=portal_url, title=f"Saved by {by} at {at(moment)}", notice=notice
    )


def saved_unread(by: str, moment: datetime | None = None) -> Element:
    """Saved, but the referral as it is now is not at hand (not readable, or not this instance's
    to read: the expiry job acts for nobody)."""
    title = f"Saved by {by}" if moment is None else f"Saved by {by} at {at(moment)}"
    return render_notice_card(title, SEE_PARTNER_CENTER, style="good")


def cancelled_by(by: str) -> Element:
    return render_notice_card(f"Cancelled by {by}", NOTHING_CHANGED)


def not_changed(explanation: str) -> Element:
    return render_notice_card("Not changed", explanation, style="attention")


def refused(by: str) -> Element:
    return not_changed(f"Partner Center refused the change {by} proposed. {NOTHING_CHANGED}")


def expired(ttl: timedelta) -> Element:
    minutes = max(1, round(ttl.total_seconds() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return render_notice_card(
        f"Expired — nobody confirmed within {minutes} {unit}",
        "What was not confirmed in time was not changed.",
    )


def batch_by(results: Sequence[ItemResult], *, by: str, moment: datetime) -> Element:
    """Each referral's outcome, without the fresh confirm cards (they are the proposer's)."""
    shown = [replace(result, fresh=None) for result in results]
    return render_batch_result_card(shown, title=f"Confirmed by {by} at {at(moment)}")

"""The lead card's sentences: the countdown, who decided and when, what the customer asked for.

Times read in the viewer's time zone ("Expires in 3 days (Thu 10 Dec, 17:00)"), computed from
`now` each time a card is rendered (when it is sent and again on every refresh), so a countdown
never goes stale by more than a refresh. Text that comes from Partner Center or from people is
returned raw here (names only cleaned and capped) and made inert by the card that shows it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any, Literal

from bot.cards.text import plain
from bot.domain.formatting import format_day_time
from bot.domain.leads import LeadDecision, LeadOutcome
from bot.domain.referral import Referral

Urgency = Literal["calm", "soon", "now"]
NAME_LIMIT = 120
_DAY = 86_400
_REQUIREMENTS = (
    ("industries", "Industries"),
    ("products", "Products"),
    ("services", "Services"),
    ("solutions", "Solutions"),
)


def expires_in(
    expires_at: datetime | None, now: datetime, zone: tzinfo, zone_label: str = ""
) -> tuple[str, Urgency]:
    """'Expires in 3 days (Thu 10 Dec, 17:00)', and how urgent that is (under 3 days: soon,
    under 1: now)."""
    if expires_at is None:
        return "Partner Center gives no expiry date for this lead.", "calm"
    when = moment(expires_at, zone, zone_label)
    seconds = (expires_at - now).total_seconds()
    if seconds <= 0:
        return f"Expired ({when})", "now"
    urgency: Urgency = "now" if seconds < _DAY else "soon" if seconds < 3 * _DAY else "calm"
    return f"Expires in {_span(seconds)} ({when})", urgency


def _span(seconds: float) -> str:
    if seconds >= _DAY:
        return _plural(int(seconds // _DAY), "day")
    if seconds >= 3600:
        return _plural(int(seconds // 3600), "hour")
    return _plural(max(1, math.ceil(seconds / 60)), "minute")


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def moment(value: datetime, zone: tzinfo, zone_label: str = "") -> str:
    """'Thu 10 Dec, 17:00' in `zone` ('… 17:00 UTC' with a label)."""
    text = format_day_time(value.astimezone(zone))
    return f"{text} {zone_label}" if zone_label else text


def decided_title(
    decision: LeadDecision, now: datetime, zone: tzinfo, zone_label: str = ""
) -> tuple[str, str]:
    """The decided card's headline and a line under it: 'Accepted by Megan Bowen at 10:42'."""
    outcome = decision.outcome
    if outcome is LeadOutcome.EXPIRED:
        if decision.decided_at is None:
            return "Expired", "Nobody accepted this lead in time."
        return (
            "Expired",
            f"Nobody accepted it before {moment(decision.decided_at, zone, zone_label)}.",
        )
    if outcome is LeadOutcome.CLOSED:
        closed_as = f" ({decision.substatus})" if decision.substatus else ""
        return f"Closed in Partner Center{closed_as}", ""
    verb = "Accepted" if outcome is LeadOutcome.ACCEPTED else "Declined"
    if not decision.through_bot:
        return f"{verb} in Partner Center", ""
    who = plain(decision.by_name, limit=NAME_LIMIT) or "a colleague"
    when = "" if decision.decided_at is None else " " + _when(decision.decided_at, now, zone)
    label = f" {zone_label}" if zone_label and when else ""
    return f"{verb} by {who}{when}{label}", ""


def _when(at: datetime, now: datetime, zone: tzinfo) -> str:
    """'at 10:42' today in `zone`, else 'on Tue 8 Dec, 10:42'."""
    local = at.astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return f"at {local:%H:%M}"
    return f"on {format_day_time(local)}"


def requirements(referral: Referral) -> list[tuple[str, str]]:
    """What the customer asked for, by kind: 'Products: Azure, Microsoft 365' (raw text)."""
    wanted = _extra(referral).get("requirements")
    if not isinstance(wanted, dict):
        return []
    found = []
    for key, label in _REQUIREMENTS:
        names = [name for name in _names(wanted.get(key)) if name]
        if names:
            found.append((label, ", ".join(names)))
    return found


def customer_asked(referral: Referral) -> str:
    """'The customer asked to be contacted' when `customerRequestedContact` is true."""
    asked = _extra(referral).get("customerRequestedContact")
    return "The customer asked to be contacted." if asked is True else ""


def where(referral: Referral) -> str:
    """'Redmond, US' from the customer's address (city and country only)."""
    profile = referral.customer_profile
    address = profile.address if profile else None
    if address is None:
        return ""
    return ", ".join(part for part in (address.city, address.country) if part)


def _extra(referral: Referral) -> dict[str, Any]:
    details = referral.details
    return dict(details.model_extra or {}) if details is not None else {}


def _names(items: object) -> Iterable[str]:
    """A requirement list's entries: strings as they are, objects by their name (or id)."""
    if not isinstance(items, list):
        return []
    names = []
    for item in items[:20]:
        if isinstance(item, str):
            names.append(item.strip())
        elif isinstance(item, dict):
            value = item.get("name") or item.get("displayName") or item.get("id")
            names.append(str(value).strip() if value else "")
    return names

"""Referral values in the seller's words, shared by the confirm-card rows and the referral cards.

One place decides how money, dates, statuses and people read, so that the "before → after" of a
confirm card and the result card afterwards never disagree. Empty values read as an em dash.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

EMPTY = "—"

# Fixed English names: strftime's %a/%b follow the process locale.
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_CLOSED_SUBSTATUSES = frozenset({"Won", "Lost", "Declined", "Expired"})
_STAGE_WORDS = {
    "Qualify": "Qualify (20%)",
    "Develop": "Develop (40%)",
    "Propose": "Propose (60%)",
    "Close": "Close (80%)",
}


class Person(Protocol):
    """A team member as stored (`TeamMember`) or as requested (`MemberSpec`)."""

    @property
    def first_name(self) -> str | None: ...
    @property
    def last_name(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...


def format_money(amount: Decimal | None, currency: str | None) -> str:
    """'USD 150,000', 'EUR 1,250.50', '150,000' without a currency, '—' without an amount."""
    if amount is None:
        return EMPTY
    number = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{currency} {number}" if currency else number


def format_date(value: date | datetime | None) -> str:
    """'Fri 4 Dec 2026'. A datetime reads as its own calendar date (close dates are UTC midnight,
    so converting them to a local zone would show the day before in the Americas)."""
    if value is None:
        return EMPTY
    day = value.date() if isinstance(value, datetime) else value
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_day_time(value: datetime) -> str:
    """'Thu 10 Dec, 17:00': a moment in the zone `value` is in (the reader's), for this year's
    deadlines and decisions."""
    return f"{_WEEKDAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]}, {value:%H:%M}"


def format_status(status: str | None, substatus: str | None) -> str:
    """'New (Pending)', 'Active (Accepted)'; a closed referral reads as its outcome: 'Won'."""
    if not status:
        return substatus or EMPTY
    if str(status) == "Closed" and substatus and str(substatus) in _CLOSED_SUBSTATUSES:
        return str(substatus)
    return f"{status} ({substatus})" if substatus else str(status)


def format_stage(stage: str | None) -> str:
    """'Propose (60%)': the API's word plus the share the Partner Center UI shows."""
    if not stage:
        return EMPTY
    return _STAGE_WORDS.get(str(stage), str(stage))


def format_member(member: Person) -> str:
    """'Jane Doe <jane.doe@contoso.com>', or whichever parts are known."""
    name = " ".join(part for part in (member.first_name, member.last_name) if part)
    if name and member.email:
        return f"{name} <{member.email}>"
    return name or member.email or EMPTY


def format_team(members: Iterable[Person]) -> str:
    """'Jane Doe, John Smith': names only (e-mail when a name is missing); '—' for nobody."""
    names = [_short_name(member) for member in members]
    return ", ".join(names) if names else EMPTY


def _short_name(member: Person) -> str:
    name = " ".join(part for part in (member.first_name, member.last_name) if part)
    return name or member.email or EMPTY


def format_referral(name: str | None, referral_id: str) -> str:
    """'Contoso Azure migration (123)': how a sentence names a referral; 'referral 123' unnamed."""
    return f"{name} ({referral_id})" if name and name.strip() else f"referral {referral_id}"


def abbreviate(text: str | None, limit: int = 80) -> str:
    """One line of at most `limit` characters, ending in '…' when cut; '—' when empty."""
    if not text or not text.strip():
        return EMPTY
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"

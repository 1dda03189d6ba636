"""A referral's values as safe card text: formatted in the seller's words, then made inert.

Every card shows the same field the same way and under the same size cap; the caps are what keep
a referral card, a ten-row pick list or a page of rows under Teams' 28 KB whatever the data.
"""

from __future__ import annotations

from bot.cards.text import inert, plain
from bot.domain.formatting import (
    EMPTY,
    format_date,
    format_money,
    format_stage,
    format_status,
    format_team,
)
from bot.domain.referral import Referral

NAME_LIMIT = 160
SHORT_LIMIT = 80
ID_LIMIT = 100
UNNAMED = "Unnamed referral"


def deal_name(referral: Referral) -> str:
    return inert(referral.name or UNNAMED, limit=NAME_LIMIT)


def customer(referral: Referral) -> str:
    profile = referral.customer_profile
    return inert(profile.name if profile and profile.name else EMPTY, limit=NAME_LIMIT)


def status(referral: Referral) -> str:
    return inert(format_status(referral.status, referral.substatus), limit=SHORT_LIMIT)


def deal_value(referral: Referral) -> str:
    details = referral.details
    if details is None:
        return EMPTY
    return inert(format_money(details.deal_value, details.currency), limit=SHORT_LIMIT)


def close_date(referral: Referral) -> str:
    details = referral.details
    return inert(format_date(details.closing_date_time if details else None), limit=SHORT_LIMIT)


def sales_stage(referral: Referral) -> str:
    return inert(format_stage(referral.sales_stage), limit=SHORT_LIMIT)


def crm_id(referral: Referral) -> str:
    return inert(referral.external_reference_id or EMPTY, limit=ID_LIMIT)


def referral_id(referral: Referral) -> str:
    return inert(referral.id, limit=ID_LIMIT)


def team(referral: Referral, *, shown: int, limit: int) -> str:
    """The first `shown` members by name, then how many more: a team can have hundreds."""
    members = referral.team
    names = format_team(members[:shown])
    if len(members) > shown:
        names = f"{names} and {len(members) - shown} more"
    return inert(names, limit=limit)


def one_line(referral: Referral, *, limit: int) -> str:
    """'Deal — Customer — Status — id' for a button title (plain text: buttons render no
    markdown)."""
    profile = referral.customer_profile
    parts = (
        referral.name or UNNAMED,
        profile.name if profile and profile.name else EMPTY,
        format_status(referral.status, referral.substatus),
        referral.id,
    )
    return plain(" — ".join(plain(part, limit=SHORT_LIMIT) for part in parts), limit=limit)

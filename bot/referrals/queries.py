"""The seller's words and calendar the referral index searches and lists with (pure).

Partner Center documents no search, so these are applied to the seller's index
(`bot.referrals.seller_index`), never sent as OData: the queries the bot does send are in
`bot.referrals.sync_queries`.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from bot.domain.list_kinds import ListKind

_WORD = re.compile(r"\S+")
# Words sellers add around a name that no deal or customer name is made of.
_FILLER = frozenset(
    {"the", "a", "an", "our", "my", "lead", "leads", "deal", "deals", "referral", "referrals"}
    | {"opportunity", "opportunities", "opp", "account", "customer", "one", "that", "this"}
)


def core_name(text: str) -> str | None:
    """ "the Northwind lead" -> "Northwind": the text without filler words (None: no change)."""
    words = _WORD.findall(text)
    kept = [word for word in words if word.casefold().strip(".,;:!?") not in _FILLER]
    if not kept or len(kept) == len(words):
        return None
    return " ".join(kept)


def _month_start(moment: datetime) -> datetime:
    return datetime.combine(moment.date().replace(day=1), time(), tzinfo=moment.tzinfo)


def _add_months(start: datetime, months: int) -> datetime:
    index = start.year * 12 + start.month - 1 + months
    return start.replace(year=index // 12, month=index % 12 + 1)


def period(kind: ListKind, now: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the seller's calendar month or quarter containing `now` (in its tz)."""
    month = _month_start(now)
    if kind is ListKind.CLOSING_THIS_MONTH:
        return month, _add_months(month, 1)
    quarter = _add_months(month, -((month.month - 1) % 3))
    return quarter, _add_months(quarter, 3)

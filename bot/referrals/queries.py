"""The seller's words and calendar the referral index searches and lists with (pure).

Partner Center documents no search, so these are applied to the seller's index
(`bot.referrals.seller_index`), never sent as OData: the queries the bot does send are in
`bot.referrals.sync_queries`.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.domain.list_kinds import ListKind
from bot.domain.list_query import DateField, Period, PeriodUnit, bounds

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


def period(kind: ListKind, now: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the seller's calendar month or quarter containing `now` (in its tz): the
    calendar of every list period (`bot.domain.list_query.bounds`)."""
    unit = PeriodUnit.MONTH if kind is ListKind.CLOSING_THIS_MONTH else PeriodUnit.QUARTER
    start, end = bounds(Period(DateField.CLOSE, unit), now)
    assert start is not None  # a period of whole units has both ends
    assert end is not None
    return start, end

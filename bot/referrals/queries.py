"""The OData `$filter`/`$orderby` text for finding and listing referrals (spec §2).

Pure string building, so every query the bot can send is unit-tested without a server. String
literals are single-quoted with `'` doubled; dates go out as bare ISO-8601 UTC literals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time

from bot.domain.list_kinds import ListKind

_OPEN = "status ne 'Closed'"
_WORD = re.compile(r"\S+")
# Words sellers add around a name that no deal or customer name is made of.
_FILLER = frozenset(
    {"the", "a", "an", "our", "my", "lead", "leads", "deal", "deals", "referral", "referrals"}
    | {"opportunity", "opportunities", "opp", "account", "customer", "one", "that", "this"}
)


@dataclass(frozen=True)
class Query:
    filter: str
    orderby: str


def literal(text: str) -> str:
    """An OData string literal: quoted, with every `'` doubled."""
    return "'" + text.replace("'", "''") + "'"


def date_literal(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _matches(text: str) -> str:
    quoted = literal(text)
    return f"contains(name,{quoted}) or contains(customerProfile/name,{quoted})"


def find_filter(text: str) -> str:
    """Deal name or customer name contains `text`, or the CRM id is exactly `text`."""
    return f"{_matches(text)} or externalReferenceId eq {literal(text)}"


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


def list_query(kind: ListKind, now: datetime) -> Query:
    """`now` must be aware, in the seller's time zone: months and quarters are theirs."""
    if kind is ListKind.MY_OPEN:
        return Query(_OPEN, "updatedDateTime desc")
    if kind is ListKind.NEW_LEADS:
        # Oldest first: incoming leads expire 14 days after creation.
        return Query("status eq 'New' and direction eq 'Incoming'", "createdDateTime asc")
    start, end = period(kind, now)
    closing = (
        f"details/closingDateTime ge {date_literal(start)} "
        f"and details/closingDateTime lt {date_literal(end)}"
    )
    return Query(f"{_OPEN} and {closing}", "details/closingDateTime asc")

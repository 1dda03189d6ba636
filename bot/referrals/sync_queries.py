"""The list queries the bot's referral index is kept with: documented OData only (spec §2).

Search and the seller's lists run on the bot's own index, so Partner Center is only ever asked
for everything the caller may see, newest change first: a full sync reads every page; a refresh
reads the same query until it meets a referral older than its high-water mark. No `$filter` and
an `$orderby` on `updatedDateTime` are both documented, so the real service must serve them; the
contract test (tests/partner_center/test_queries_against_strict_emulator.py) proves the strict
emulator does. No `$top`: in OData it caps the whole result, and the service already pages by
100 with `@odata.nextLink`.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_SIZE = 100  # the service's page (spec §2); follow @odata.nextLink for the next


@dataclass(frozen=True)
class Query:
    filter: str | None
    orderby: str
    count: bool = True  # `$count=true`: the total, to tell a complete sync from a cut one
    top: int | None = None  # a cap on the whole result; None reads every page

    def params(self) -> dict[str, str]:
        """The OData query options of the first request (later pages: the nextLink verbatim)."""
        options = {
            "$filter": self.filter,
            "$orderby": self.orderby,
            "$count": "true" if self.count else None,
            "$top": None if self.top is None else str(self.top),
        }
        return {name: value for name, value in options.items() if value is not None}


# Everything the caller may see, most recently updated first, every page.
FULL_SYNC = Query(filter=None, orderby="updatedDateTime desc")
# The same order, read only until a referral older than the index's high-water mark (the reader
# stops; the query itself is the same).
REFRESH = Query(filter=None, orderby="updatedDateTime desc")


def all_queries() -> tuple[Query, ...]:
    """Every list query the bot sends: the contract test runs each against the strict emulator."""
    return (FULL_SYNC, REFRESH)

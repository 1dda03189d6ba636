"""Contract: every list query the bot sends is served by the strict emulator, which answers only
the OData that Partner Center documents (spec §2). A query that passes only in lenient mode would
rely on something the real service may refuse."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote, urlencode

import aiohttp
import pytest

from bot.partner_center.client import ReferralsClient
from bot.referrals.sync_queries import PAGE_SIZE, Query, all_queries
from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators
from tests.support.emulators import ADMIN, SELLER, running_emulators
from tests.support.partner_center import assertion_for, make_client
from tests.support.referral_documents import member
from tests.support.referrals_http import ReferralsHttp

COUNT = 230  # more than two pages


def updated(n: int) -> str:
    """Not the creation order, so a query that ignored $orderby would be caught."""
    minute = (n * 37) % COUNT
    return f"2026-03-01T{minute // 60:02d}:{minute % 60:02d}:00Z"


def many() -> list[dict[str, Any]]:
    return [
        {
            "id": f"ref-{n:03d}",
            "name": f"Deal {n:03d}",
            "status": "Active" if n % 4 else "New",
            "substatus": "Accepted" if n % 4 else "Pending",
            "createdDateTime": f"2026-01-01T{n // 60:02d}:{n % 60:02d}:00Z",
            "updatedDateTime": updated(n),
            "team": [member(SELLER)] if n % 2 == 0 else [],
            "details": {
                "dealValue": n,
                "currency": "USD",
                "closingDateTime": "2026-06-30T00:00:00Z",
            },
        }
        for n in range(COUNT)
    ]


def expected_ids(user: FixtureUser) -> list[str]:
    visible = [n for n in range(COUNT) if user is ADMIN or n % 2 == 0]
    return [f"ref-{n:03d}" for n in sorted(visible, key=updated, reverse=True)]


@pytest.fixture(scope="module")
def strict_emulator() -> Iterator[RunningEmulators]:
    """The default query mode, on purpose: no `query_mode` here."""
    with running_emulators(referrals=many(), throttle_per_minute=100_000) as running:
        yield running


@pytest.fixture
async def http(strict_emulator: RunningEmulators) -> AsyncIterator[ReferralsHttp]:
    async with aiohttp.ClientSession() as session:
        yield ReferralsHttp(strict_emulator, session)


@pytest.fixture
def strict_client(
    session: aiohttp.ClientSession, strict_emulator: RunningEmulators
) -> ReferralsClient:
    return make_client(session, strict_emulator)


def url_of(http: ReferralsHttp, params: dict[str, str]) -> str:
    return f"{http.url()}?{urlencode(params, quote_via=quote)}" if params else http.url()


@pytest.mark.parametrize("query", all_queries(), ids=lambda q: f"{q.filter}|{q.orderby}")
@pytest.mark.parametrize("user", [ADMIN, SELLER], ids=["admin", "seller"])
async def test_each_sync_query_is_served_whole_by_the_strict_emulator(
    http: ReferralsHttp, query: Query, user: FixtureUser
) -> None:
    pages: list[dict[str, Any]] = []
    next_url: str | None = url_of(http, query.params())
    while next_url is not None:
        answer = await http.send("GET", next_url, user=user)
        assert answer.status == 200, answer.text
        pages.append(answer.json)
        next_url = answer.json.get("@odata.nextLink")
        assert len(pages) <= 5

    expected = expected_ids(user)
    assert all(len(page["value"]) <= PAGE_SIZE for page in pages)
    assert [item["id"] for page in pages for item in page["value"]] == expected
    if query.count:
        assert {page["@odata.count"] for page in pages} == {len(expected)}


@pytest.mark.parametrize("query", all_queries(), ids=lambda q: f"{q.filter}|{q.orderby}")
async def test_the_client_reads_each_sync_query_from_the_strict_emulator(
    strict_client: ReferralsClient, query: Query
) -> None:
    found = [
        referral.id
        async for referral in strict_client.list_referrals(
            user=assertion_for(ADMIN), filter=query.filter, orderby=query.orderby, top=query.top
        )
    ]
    assert found == expected_ids(ADMIN)

"""Listing 250 referrals: pages of 100, nextLink followed verbatim, filters passed intact."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import aclosing
from typing import Any

import aiohttp
import pytest
from yarl import URL

from bot.partner_center.client import ReferralsClient
from emulators.server import RunningEmulators
from tests.support.emulators import (
    ADMIN,
    OTHER_SELLER,
    SELLER,
    mint_partner_center_token,
    running_emulators,
)
from tests.support.partner_center import EmulatorControl, assertion_for, make_client
from tests.support.referral_documents import member

COUNT = 250


def many() -> list[dict[str, Any]]:
    return [
        {
            "id": f"ref-{index:03d}",
            "name": f"Deal {index:03d}",
            "team": [member(SELLER if index % 2 == 0 else OTHER_SELLER)],
            "details": {"dealValue": index * 100, "currency": "USD"},
        }
        for index in range(COUNT)
    ]


@pytest.fixture
def running() -> Iterator[RunningEmulators]:
    with running_emulators(referrals=many(), throttle_per_minute=1000) as emulators:
        yield emulators


@pytest.fixture
def client(session: aiohttp.ClientSession, running: RunningEmulators) -> ReferralsClient:
    return make_client(session, running)


async def raw_next_links(session: aiohttp.ClientSession, running: RunningEmulators) -> list[str]:
    """The nextLinks exactly as the service writes them, read without the client."""
    token = mint_partner_center_token(running, ADMIN)
    links: list[str] = []
    url = running.referrals_url
    while True:
        async with session.get(
            URL(url, encoded=True), headers={"Authorization": f"Bearer {token}"}
        ) as response:
            next_link = (await response.json()).get("@odata.nextLink")
        if next_link is None:
            return links
        links.append(next_link)
        url = next_link


async def test_all_250_referrals_come_back_once_over_three_pages(
    client: ReferralsClient,
    control: EmulatorControl,
    session: aiohttp.ClientSession,
    running: RunningEmulators,
) -> None:
    links = await raw_next_links(session, running)
    await control.clear_requests()

    ids = [referral.id async for referral in client.list_referrals(user=assertion_for(ADMIN))]

    assert len(ids) == COUNT
    assert set(ids) == {f"ref-{index:03d}" for index in range(COUNT)}
    recorded = await control.requests("GET")
    assert len(links) == 2
    assert [(r["path"], r["query"]) for r in recorded] == [
        ("/v1.0/engagements/referrals", {}),
        *((URL(link, encoded=True).path, dict(URL(link, encoded=True).query)) for link in links),
    ]
    assert all("$skiptoken" in r["query"] for r in recorded[1:])


async def test_one_correlation_id_spans_the_pages_and_each_page_has_its_own_request_id(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    correlation = "1a2b3c4d-0000-4000-8000-000000000001"
    async for _ in client.list_referrals(user=assertion_for(ADMIN), correlation_id=correlation):
        pass

    headers = [r["headers"] for r in await control.requests("GET")]

    assert {h["MS-CorrelationId"] for h in headers} == {correlation}
    assert len({h["MS-RequestId"] for h in headers}) == 3


async def test_a_referral_user_lists_only_their_own(client: ReferralsClient) -> None:
    ids = [r.id async for r in client.list_referrals(user=assertion_for(SELLER))]

    assert len(ids) == COUNT // 2
    assert all(int(referral_id[-3:]) % 2 == 0 for referral_id in ids)


async def test_filter_and_order_reach_the_service_intact(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    query = f"team/any(t:t/email eq '{SELLER.upn}') and (status eq 'New' or status eq 'Active')"

    found = [
        r.id
        async for r in client.list_referrals(
            user=assertion_for(ADMIN), filter=query, orderby="createdDateTime desc"
        )
    ]

    assert sorted(found) == [f"ref-{index:03d}" for index in range(0, COUNT, 2)]
    first = (await control.requests("GET"))[0]["query"]
    assert first == {"$filter": query, "$orderby": "createdDateTime desc"}


async def test_pages_carry_the_count_and_stop_when_the_reader_does(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    """The referral index reads pages newest first and stops early: no request is wasted."""
    async with aclosing(
        client.pages(user=assertion_for(ADMIN), orderby="updatedDateTime desc", count=True)
    ) as pages:
        first = await anext(pages)

    assert (len(first.items), first.count, first.next_link is not None) == (100, COUNT, True)
    recorded = await control.requests("GET")
    assert len(recorded) == 1
    assert recorded[0]["query"] == {"$orderby": "updatedDateTime desc", "$count": "true"}


async def test_top_limits_what_is_listed_across_pages(client: ReferralsClient) -> None:
    ids = [r.id async for r in client.list_referrals(user=assertion_for(ADMIN), top=120)]

    assert len(ids) == 120
    assert len(set(ids)) == 120


async def test_search_returns_at_most_max_items_in_one_request(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    found = await client.search(user=assertion_for(ADMIN), filter="status eq 'New'", max_items=5)

    assert len(found) == 5
    assert all(referral.status == "New" for referral in found)
    recorded = await control.requests("GET")
    assert len(recorded) == 1
    assert recorded[0]["query"]["$top"] == "5"

"""The list route's OData over real loopback HTTP: paging by nextLink, any(), role visibility."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import aiohttp
import pytest

from emulators.fixtures import FixtureUser
from emulators.partner_center.odata_grammar import QueryMode
from emulators.server import RunningEmulators
from tests.support.emulators import ADMIN, OTHER_SELLER, SELLER, running_emulators
from tests.support.referrals_http import ReferralsHttp

COUNT = 250


def seller_on(n: int) -> bool:
    return n % 3 == 0 or n % 5 == 0


def other_on(n: int) -> bool:
    return n % 3 == 1 or n % 5 == 0


def referral_id(n: int) -> str:
    return f"{n:08x}-0000-4000-8000-{n:012x}"


def make_referral(n: int) -> dict[str, Any]:
    team = []
    if seller_on(n):
        team.append({"firstName": "Sam", "lastName": "Seller", "email": SELLER.upn})
    if other_on(n):
        team.append({"firstName": "Olga", "lastName": "Other", "email": OTHER_SELLER.upn})
    return {
        "id": referral_id(n),
        "name": f"{'Contoso' if n % 4 == 0 else 'Fabrikam'} opportunity {n}",
        "status": "New",
        "substatus": "Pending" if n % 2 else "Received",
        "direction": "Incoming",
        "createdDateTime": f"2026-01-01T{n // 60:02d}:{n % 60:02d}:00.0000000Z",
        "team": team,
        "details": {"dealValue": n * 10, "currency": "USD"},
    }


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulators]:
    """Strict, the default: every test here but one uses only documented OData."""
    referrals = [make_referral(n) for n in range(COUNT)]
    with running_emulators(referrals, throttle_per_minute=100_000) as running:
        yield running


@pytest.fixture(scope="module")
def lenient_emulator() -> Iterator[RunningEmulators]:
    referrals = [make_referral(n) for n in range(COUNT)]
    with running_emulators(
        referrals, throttle_per_minute=100_000, query_mode=QueryMode.LENIENT
    ) as running:
        yield running


@pytest.fixture
async def http(emulator: RunningEmulators) -> AsyncIterator[ReferralsHttp]:
    async with aiohttp.ClientSession() as session:
        yield ReferralsHttp(emulator, session)


@pytest.fixture
async def lenient_http(lenient_emulator: RunningEmulators) -> AsyncIterator[ReferralsHttp]:
    async with aiohttp.ClientSession() as session:
        yield ReferralsHttp(lenient_emulator, session)


def list_url(http: ReferralsHttp, **params: str) -> str:
    return f"{http.url()}?{urlencode({f'${k}': v for k, v in params.items()}, quote_via=quote)}"


async def follow(http: ReferralsHttp, url: str, user: FixtureUser = ADMIN) -> list[dict[str, Any]]:
    """Every page from `url`, following @odata.nextLink exactly as the service wrote it."""
    pages = []
    next_url: str | None = url
    while next_url is not None:
        answer = await http.send("GET", next_url, user=user)
        assert answer.status == 200, answer.text
        pages.append(answer.json)
        next_url = answer.json.get("@odata.nextLink")
        assert len(pages) <= 5
    return pages


def ids_of(pages: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for page in pages for item in page["value"]]


async def test_250_referrals_come_in_pages_of_100_and_the_next_links_reach_each_once(
    http: ReferralsHttp,
) -> None:
    pages = await follow(http, list_url(http, count="true", orderby="createdDateTime desc"))

    assert [len(page["value"]) for page in pages] == [100, 100, 50]
    assert [page["@odata.count"] for page in pages] == [COUNT] * 3
    assert ids_of(pages) == [referral_id(n) for n in reversed(range(COUNT))]
    assert "@odata.nextLink" not in pages[-1]


async def test_next_links_keep_filter_order_and_count(http: ReferralsHttp) -> None:
    url = list_url(http, filter="substatus eq 'Pending'", orderby="createdDateTime", count="true")
    pages = await follow(http, url)

    link = pages[0]["@odata.nextLink"]
    query = parse_qs(urlsplit(link).query)
    assert query["$filter"] == ["substatus eq 'Pending'"]
    assert query["$orderby"] == ["createdDateTime"]
    assert query["$count"] == ["true"]
    assert [len(page["value"]) for page in pages] == [100, 25]
    assert ids_of(pages) == [referral_id(n) for n in range(1, COUNT, 2)]


async def test_top_above_the_page_size_still_pages_and_stops_at_top(http: ReferralsHttp) -> None:
    pages = await follow(http, list_url(http, top="120", skip="5", orderby="createdDateTime"))

    assert [len(page["value"]) for page in pages] == [100, 20]
    assert ids_of(pages) == [referral_id(n) for n in range(5, 125)]


async def test_any_over_the_team_finds_the_referrals_of_one_seller(http: ReferralsHttp) -> None:
    url = list_url(http, filter=f"team/any(t:t/email eq '{OTHER_SELLER.upn}')", count="true")
    pages = await follow(http, url)

    expected = [referral_id(n) for n in range(COUNT) if other_on(n)]
    assert pages[0]["@odata.count"] == len(expected)
    assert ids_of(pages) == expected


async def test_a_referral_user_pages_through_only_what_their_role_shows(
    http: ReferralsHttp,
) -> None:
    pages = await follow(http, list_url(http, count="true"), user=SELLER)

    expected = [referral_id(n) for n in range(COUNT) if seller_on(n)]
    assert pages[0]["@odata.count"] == len(expected)
    assert [len(page["value"]) for page in pages] == [100, len(expected) - 100]
    assert ids_of(pages) == expected


async def test_a_filter_cannot_reach_past_role_visibility(http: ReferralsHttp) -> None:
    url = list_url(http, filter=f"team/any(t:t/email eq '{OTHER_SELLER.upn}')", count="true")
    pages = await follow(http, url, user=SELLER)

    expected = [referral_id(n) for n in range(COUNT) if other_on(n) and seller_on(n)]
    assert pages[0]["@odata.count"] == len(expected)
    assert ids_of(pages) == expected


async def test_lenient_text_search_is_case_insensitive_but_eq_is_not(
    lenient_http: ReferralsHttp,
) -> None:
    http = lenient_http
    contains = await follow(http, list_url(http, filter="contains(name,'CONTOSO')", count="true"))
    eq_lower = await follow(http, list_url(http, filter="name eq 'contoso opportunity 0'"))
    eq_exact = await follow(http, list_url(http, filter="name eq 'Contoso opportunity 0'"))

    assert contains[0]["@odata.count"] == len(range(0, COUNT, 4))
    assert ids_of(eq_lower) == []
    assert ids_of(eq_exact) == [referral_id(0)]


async def test_a_next_link_with_a_changed_filter_is_refused(http: ReferralsHttp) -> None:
    first = (await http.send("GET", list_url(http, filter="status eq 'New'"))).json
    tampered = first["@odata.nextLink"].replace("New", "Active")

    answer = await http.send("GET", tampered)

    assert answer.status == 400
    assert answer.error_code == "invalidRequest"
    assert "skiptoken" in answer.json["error"]["message"]


@pytest.mark.parametrize(
    "params",
    [
        {"filter": "nosuch eq 1"},
        {"filter": "team/email eq 'x'"},
        {"orderby": "name"},
        {"top": "5000"},
        {"count": "yes"},
    ],
)
async def test_bad_odata_is_a_400_invalid_request_naming_the_problem(
    http: ReferralsHttp, params: dict[str, str]
) -> None:
    answer = await http.send("GET", list_url(http, **params))

    assert answer.status == 400
    assert answer.error_code == "invalidRequest"
    assert answer.json["error"]["message"]

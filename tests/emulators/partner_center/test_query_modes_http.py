"""The list route over real HTTP in each query mode: strict (the default) answers the documented
subset 200 and the rest 400 invalidRequest naming the part; lenient (`query_mode` / the CLI's
`--lenient-queries`) keeps the wider grammar."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import aiohttp
import pytest

from emulators.__main__ import _config, _parse_args
from emulators.config import EmulatorConfig
from emulators.fixtures import Fixtures
from emulators.partner_center.odata_grammar import QueryMode
from emulators.server import RunningEmulators
from tests.support.emulators import SELLER, running_emulators
from tests.support.referrals_http import ReferralsHttp

COUNT = 230
ENGAGEMENT = "e0000007-0000-4000-8000-000000000007"


def make_referral(n: int) -> dict[str, Any]:
    return {
        "id": f"{n:08x}-0000-4000-8000-{n:012x}",
        "engagementId": f"e{n:07x}-0000-4000-8000-{n:012x}",
        "name": f"Contoso deal {n}",
        "status": "New" if n % 2 else "Active",
        "substatus": "Pending" if n % 2 else "Accepted",
        "direction": "Incoming",
        "type": "Independent",
        "qualification": "Direct",
        "createdDateTime": f"2026-01-01T{n // 60:02d}:{n % 60:02d}:00Z",
        "updatedDateTime": f"2026-02-01T{n // 60:02d}:{n % 60:02d}:00Z",
        "customerProfile": {
            "name": f"Customer {n}",
            "address": {"country": "PL" if n % 5 else "US"},
        },
        "details": {"dealValue": n, "currency": "USD", "closingDateTime": "2026-06-30T00:00:00Z"},
        "team": [{"firstName": "Sam", "lastName": "Seller", "email": SELLER.upn}] if n % 3 else [],
    }


@pytest.fixture(scope="module")
def strict() -> Iterator[RunningEmulators]:
    with running_emulators(
        [make_referral(n) for n in range(COUNT)], throttle_per_minute=100_000
    ) as running:
        yield running


@pytest.fixture(scope="module")
def lenient() -> Iterator[RunningEmulators]:
    referrals = [make_referral(n) for n in range(COUNT)]
    with running_emulators(
        referrals, throttle_per_minute=100_000, query_mode=QueryMode.LENIENT
    ) as running:
        yield running


@pytest.fixture
async def http(strict: RunningEmulators) -> AsyncIterator[ReferralsHttp]:
    async with aiohttp.ClientSession() as session:
        yield ReferralsHttp(strict, session)


@pytest.fixture
async def lenient_http(lenient: RunningEmulators) -> AsyncIterator[ReferralsHttp]:
    async with aiohttp.ClientSession() as session:
        yield ReferralsHttp(lenient, session)


def list_url(http: ReferralsHttp, params: dict[str, str]) -> str:
    return f"{http.url()}?{urlencode(params, quote_via=quote)}"


async def follow(http: ReferralsHttp, url: str) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url is not None:
        answer = await http.send("GET", next_url)
        assert answer.status == 200, answer.text
        pages.append(answer.json)
        next_url = answer.json.get("@odata.nextLink")
        assert len(pages) <= 5
    return pages


def numbers(pages: list[dict[str, Any]]) -> list[int]:
    return [int(item["id"][:8], 16) for page in pages for item in page["value"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"$filter": "status eq 'New'"}, [n for n in range(COUNT) if n % 2]),
        (
            {"$filter": "customerProfile/address/country eq 'US' and direction eq 'Incoming'"},
            [n for n in range(COUNT) if n % 5 == 0],
        ),
        (
            {"$filter": "(status eq 'New' or substatus eq 'Accepted') and type eq 'Independent'"},
            list(range(COUNT)),
        ),
        (
            {"$filter": f"team/any(t:t/email eq '{SELLER.upn}') and qualification eq 'Direct'"},
            [n for n in range(COUNT) if n % 3],
        ),
        ({"$filter": f"engagementId eq '{ENGAGEMENT}'"}, [7]),
        ({"$filter": f"engagementId eq {ENGAGEMENT}"}, [7]),
        ({"$orderby": "createdDateTime desc", "$top": "3"}, [229, 228, 227]),
        ({"$orderby": "updatedDateTime asc", "$skip": "5", "$top": "2"}, [5, 6]),
    ],
)
async def test_strict_serves_every_documented_query(
    http: ReferralsHttp, params: dict[str, str], expected: list[int]
) -> None:
    assert numbers(await follow(http, list_url(http, params))) == expected


async def test_strict_pages_of_100_carry_the_count_and_a_next_link_keeping_the_query(
    http: ReferralsHttp,
) -> None:
    params = {"$filter": "direction eq 'Incoming'", "$orderby": "updatedDateTime desc"}
    pages = await follow(http, list_url(http, params | {"$count": "true"}))

    assert [len(page["value"]) for page in pages] == [100, 100, 30]
    assert [page["@odata.count"] for page in pages] == [COUNT] * 3
    assert numbers(pages) == list(reversed(range(COUNT)))
    query = parse_qs(urlsplit(pages[0]["@odata.nextLink"]).query)
    assert query["$filter"] == [params["$filter"]]
    assert query["$orderby"] == [params["$orderby"]]
    assert "$skiptoken" in query


async def test_strict_select_projects_each_item(http: ReferralsHttp) -> None:
    answer = await http.send("GET", list_url(http, {"$select": "id,status", "$top": "2"}))

    assert answer.status == 200
    assert [sorted(item) for item in answer.json["value"]] == [["id", "status"]] * 2


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"$filter": "contains(name,'Contoso')"}, "contains() is not supported in $filter"),
        ({"$filter": "startswith(name,'Contoso')"}, "startswith() is not supported in $filter"),
        ({"$filter": "status ne 'Closed'"}, "'ne' is not supported in $filter"),
        ({"$filter": "not status eq 'Closed'"}, "'not' is not supported in $filter"),
        (
            {"$filter": "details/closingDateTime lt 2026-07-01T00:00:00Z"},
            "$filter on details/closingDateTime is not supported",
        ),
        (
            {"$filter": "externalReferenceId eq 'CRM-1'"},
            "$filter on externalReferenceId is not supported",
        ),
        ({"$filter": "customerProfile/name eq 'x'"}, "$filter on customerProfile/name"),
        (
            {"$orderby": "details/closingDateTime asc"},
            "$orderby on details/closingDateTime is not supported",
        ),
        ({"$orderby": "details/dealValue desc"}, "$orderby on details/dealValue is not supported"),
        ({"$orderby": "name"}, "$orderby on name is not supported"),
    ],
)
async def test_strict_refuses_undocumented_odata_with_the_specs_error_body(
    http: ReferralsHttp, params: dict[str, str], named: str
) -> None:
    answer = await http.send("GET", list_url(http, params))

    assert answer.status == 400
    error = answer.json["error"]
    assert error["code"] == "invalidRequest"
    assert error["target"] == "query"
    assert named in error["message"]
    assert error["innerError"] == {"code": "400", "message": error["message"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"$filter": "contains(name,'deal 7')"}, [7, *range(70, 80)]),
        ({"$filter": "status ne 'New' and details/dealValue lt 5"}, [0, 2, 4]),
        ({"$orderby": "details/dealValue desc", "$top": "2"}, [229, 228]),
    ],
)
async def test_lenient_keeps_the_wider_grammar(
    lenient_http: ReferralsHttp, params: dict[str, str], expected: list[int]
) -> None:
    assert numbers(await follow(lenient_http, list_url(lenient_http, params))) == expected


def test_strict_is_the_config_default() -> None:
    assert EmulatorConfig(fixtures=Fixtures.of((), [])).query_mode is QueryMode.STRICT


@pytest.mark.parametrize(
    ("argv", "mode"),
    [
        ([], QueryMode.STRICT),
        (["--demo"], QueryMode.STRICT),
        (["--lenient-queries"], QueryMode.LENIENT),
    ],
)
def test_the_cli_is_strict_unless_asked_for_lenient_queries(
    argv: list[str], mode: QueryMode
) -> None:
    assert _config(_parse_args(argv)).query_mode is mode

"""GET one, GET list (OData delegated to the query module), headers, 404 and 405."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from tests.support.emulators import running_emulators
from tests.support.referrals_http import ReferralsHttp
from tests.support.seeds import ALL_IDS, DEAL, LEAD, UNASSIGNED

GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_get_one_answers_200_with_the_referral_and_its_etag(api: ReferralsHttp) -> None:
    answer = await api.get(LEAD)
    assert answer.status == 200
    doc = answer.json
    assert doc["id"] == LEAD  # a short fixture id is kept as given
    assert answer.headers["ETag"] == doc["eTag"]
    assert answer.headers["Content-Type"].startswith("application/json")


async def test_the_store_fills_server_fields_a_fixture_leaves_out(api: ReferralsHttp) -> None:
    doc = (await api.get(LEAD)).json
    assert GUID.fullmatch(doc["engagementId"])
    assert doc["organizationId"]
    assert doc["organizationName"]
    assert doc["createdDateTime"] == "2026-01-10T08:00:00.0000000Z"
    assert doc["updatedDateTime"] == doc["createdDateTime"]
    assert _when(doc["expirationDateTime"]) - _when(doc["createdDateTime"]) == timedelta(days=14)
    assert doc["links"]["self"]["uri"] == api.url(LEAD)
    assert (doc["type"], doc["qualification"]) == ("Independent", "None")
    assert set(doc["consent"]) == {
        "consentToToShareInfoWithOthers",
        "consentToContact",
        "consentToShareReferralWithMicrosoftSellers",
    }


async def test_an_outgoing_deal_has_no_expiry_but_an_accepted_time(api: ReferralsHttp) -> None:
    doc = (await api.get(DEAL)).json
    assert doc["expirationDateTime"] is None
    assert doc["acceptedDateTime"]


async def test_a_fixture_without_id_gets_a_lowercase_guid() -> None:
    with running_emulators([{"name": "no id"}]) as running:
        async with aiohttp.ClientSession() as session:
            ids = await ReferralsHttp(running, session).list_ids()
    assert len(ids) == 1
    assert GUID.fullmatch(ids[0])


async def test_unknown_id_is_404_item_not_found_in_the_spec_shape(api: ReferralsHttp) -> None:
    answer = await api.get("4040404")
    assert answer.status == 404
    error = answer.json["error"]
    assert error["code"] == "itemNotFound"
    assert set(error) == {"code", "message", "target", "innerError"}


async def test_list_returns_context_and_value_without_count_by_default(api: ReferralsHttp) -> None:
    answer = await api.send("GET", api.url())
    body = answer.json
    assert answer.status == 200
    assert body["@odata.context"].startswith(api.running.referrals_base_url)
    assert "@odata.count" not in body
    assert "@odata.nextLink" not in body
    assert {item["id"] for item in body["value"]} == ALL_IDS


async def test_count_true_adds_the_total_before_paging(api: ReferralsHttp) -> None:
    answer = await api.send("GET", f"{api.url()}?$count=true&$top=1")
    assert answer.json["@odata.count"] == len(ALL_IDS)
    assert len(answer.json["value"]) == 1


async def test_filter_is_applied(api: ReferralsHttp) -> None:
    ids = await api.list_ids(query="?$filter=status eq 'Active'")
    assert ids == [DEAL]


@pytest.mark.parametrize(
    "query",
    ["?$filter=status eq", "?$orderby=name", "?$top=-1", "?$skiptoken=abc", "?$select=nosuch"],
)
async def test_bad_odata_is_400_invalid_request(api: ReferralsHttp, query: str) -> None:
    answer = await api.send("GET", f"{api.url()}{query}")
    assert answer.status == 400
    assert answer.error_code == "invalidRequest"


def _many(count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{n:04d}",
            "status": "New",
            "createdDateTime": f"2026-01-01T{n // 60:02d}:{n % 60:02d}:00Z",
            "details": {"dealValue": n, "currency": "USD"},
        }
        for n in range(count)
    ]


async def test_next_link_is_absolute_keeps_the_query_and_reaches_every_item() -> None:
    with running_emulators(_many(130)) as running:
        async with aiohttp.ClientSession() as session:
            api = ReferralsHttp(running, session)
            url = f"{api.url()}?$filter=status eq 'New'&$orderby=createdDateTime desc"
            first = (await api.send("GET", url)).json
            link = first["@odata.nextLink"]
            second = (await api.send("GET", link)).json
    assert len(first["value"]) == 100
    assert link.startswith(f"{running.referrals_url}?")
    query = parse_qs(urlsplit(link).query)
    assert query["$filter"] == ["status eq 'New'"]
    assert query["$orderby"] == ["createdDateTime desc"]
    assert "$skiptoken" in query
    values = [item["details"]["dealValue"] for item in first["value"] + second["value"]]
    assert values == list(range(129, -1, -1))
    assert "@odata.nextLink" not in second


async def test_responses_carry_a_fresh_request_id_and_echo_the_correlation_id(
    api: ReferralsHttp,
) -> None:
    correlation = str(uuid.uuid4())
    first = await api.send("GET", api.url(LEAD), headers={"MS-CorrelationId": correlation})
    second = await api.send("GET", api.url("missing"))
    assert first.headers["MS-CorrelationId"] == correlation
    assert "MS-CorrelationId" not in second.headers
    assert GUID.fullmatch(first.headers["Request-ID"])
    assert GUID.fullmatch(second.headers["Request-ID"])
    assert first.headers["Request-ID"] != second.headers["Request-ID"]


@pytest.mark.parametrize("url_of", [lambda api: api.url(LEAD), lambda api: api.url()])
async def test_there_is_no_delete(api: ReferralsHttp, url_of: Any) -> None:
    answer = await api.send("DELETE", url_of(api))
    assert answer.status == 405
    assert set(answer.json["error"]) == {"code", "message", "target", "innerError"}
    assert (await api.get(LEAD)).status == 200


async def test_unknown_api_paths_are_404_in_the_spec_shape(api: ReferralsHttp) -> None:
    answer = await api.send("GET", f"{api.running.referrals_base_url}/v1.0/engagements/other")
    assert answer.status == 404
    assert answer.error_code == "itemNotFound"


async def test_the_unassigned_referral_is_listed_for_admins(api: ReferralsHttp) -> None:
    assert UNASSIGNED in await api.list_ids()

"""POST creates an outgoing deal: Active/Accepted, accepted at creation, 201."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.emulators import ADMIN
from tests.support.referrals_http import ReferralsHttp
from tests.support.seeds import ALL_IDS

GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def make_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Woodgrove analytics",
        "externalReferenceId": "CRM-42",
        "type": "Independent",
        "qualification": "SalesQualified",
        "customerProfile": {
            "name": "Woodgrove Bank",
            "address": {"city": "New York", "country": "US"},
            "team": [{"firstName": "Cy", "lastName": "Customer", "email": "cy@woodgrove.example"}],
        },
        "consent": {
            "consentToToShareInfoWithOthers": False,
            "consentToContact": True,
            "consentToShareReferralWithMicrosoftSellers": True,
        },
        "details": {"dealValue": 25000, "currency": "USD", "notes": "New deal."},
        "salesStage": "Qualify",
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


async def test_create_answers_201_with_an_active_accepted_outgoing_deal(
    api: ReferralsHttp,
) -> None:
    answer = await api.send("POST", api.url(), body=make_body())
    assert answer.status == 201, answer.text
    doc = answer.json
    assert (doc["status"], doc["substatus"], doc["direction"]) == ("Active", "Accepted", "Outgoing")
    assert doc["acceptedDateTime"] == doc["createdDateTime"] == doc["updatedDateTime"]
    assert GUID.fullmatch(doc["id"])
    assert GUID.fullmatch(doc["engagementId"])
    assert answer.headers["ETag"] == doc["eTag"]
    assert doc["eTag"].startswith('"')
    assert doc["links"]["self"]["uri"] == api.url(doc["id"])
    assert (doc["type"], doc["qualification"]) == ("Independent", "SalesQualified")
    assert doc["customerProfile"]["name"] == "Woodgrove Bank"
    assert (await api.get(doc["id"])).json == doc


async def test_the_creator_joins_an_empty_team(api: ReferralsHttp) -> None:
    doc = (await api.send("POST", api.url(), body=make_body())).json
    assert [member["email"] for member in doc["team"]] == [ADMIN.upn]
    assert (doc["team"][0]["firstName"], doc["team"][0]["lastName"]) == ("Ada", "Admin")


async def test_a_given_team_is_kept_as_sent(api: ReferralsHttp) -> None:
    team = [{"firstName": "Jane", "lastName": "Doe", "email": "jane.doe@contoso.com"}]
    doc = (await api.send("POST", api.url(), body=make_body(team=team))).json
    assert doc["team"] == team


async def test_server_fields_in_the_body_are_ignored(api: ReferralsHttp) -> None:
    body = make_body(
        id="my-own-id",
        eTag='"mine"',
        status="Closed",
        substatus="Won",
        direction="Incoming",
        createdDateTime="2001-01-01T00:00:00Z",
    )
    doc = (await api.send("POST", api.url(), body=body)).json
    assert doc["id"] != "my-own-id"
    assert doc["eTag"] != '"mine"'
    assert (doc["status"], doc["direction"]) == ("Active", "Outgoing")
    assert not doc["createdDateTime"].startswith("2001")


async def test_a_numeric_string_deal_value_is_stored_as_a_number(api: ReferralsHttp) -> None:
    body = make_body(details={"dealValue": "750", "currency": "EUR"})
    doc = (await api.send("POST", api.url(), body=body)).json
    assert doc["details"]["dealValue"] == 750


@pytest.mark.parametrize(
    "body",
    [
        make_body(type=None),
        make_body(customerProfile=None),
        make_body(consent=None),
        make_body(details=None),
        make_body(type="Mystery"),
        make_body(qualification="Hot"),
        make_body(surprise=True),
        make_body(details={"dealValue": "lots"}),
        make_body(team=[{"firstName": "No email"}]),
        [make_body()],
        "a string",
    ],
    ids=[
        "no-type",
        "no-customer",
        "no-consent",
        "no-details",
        "bad-type",
        "bad-qualification",
        "unknown-member",
        "bad-deal-value",
        "member-without-email",
        "array",
        "string",
    ],
)
async def test_invalid_creates_are_400_and_store_nothing(api: ReferralsHttp, body: Any) -> None:
    answer = await api.send("POST", api.url(), body=body)
    assert (answer.status, answer.error_code) == (400, "invalidRequest"), answer.text
    assert set(await api.list_ids()) == ALL_IDS


async def test_create_needs_the_json_content_type(api: ReferralsHttp) -> None:
    answer = await api.send("POST", api.url(), data=b"{}", headers={"Content-Type": "text/plain"})
    assert (answer.status, answer.error_code) == (415, "invalidRequest")
    assert set(await api.list_ids()) == ALL_IDS

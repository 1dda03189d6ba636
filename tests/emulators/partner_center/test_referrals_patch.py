"""PATCH as the seed document describes it: add/replace only, whole-document validation."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.referrals_http import ReferralsHttp
from tests.support.seeds import DEAL, LEAD, WON

DATE_7 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z")
JANE = {
    "email": "jane.doe@contoso.com",
    "firstName": "Jane",
    "lastName": "Doe",
    "phoneNumber": "0000000001",
}


async def test_seed_sample_1_stores_the_numeric_string_deal_value_as_a_number(
    api: ReferralsHttp,
) -> None:
    ops = [
        {"op": "replace", "path": "/details/dealValue", "value": "10000"},
        {"op": "replace", "path": "/details/notes", "value": "Lorem ipsum dolor sit amet."},
    ]
    answer = await api.patch(DEAL, ops)
    assert (answer.status, answer.text) == (204, "")
    details = (await api.get(DEAL)).json["details"]
    assert details["dealValue"] == 10000
    assert isinstance(details["dealValue"], int)
    assert details["notes"] == "Lorem ipsum dolor sit amet."


async def test_seed_sample_2_closes_as_won_in_one_patch(api: ReferralsHttp) -> None:
    ops = [
        {"op": "replace", "path": "/status", "value": "Closed"},
        {"op": "replace", "path": "/substatus", "value": "Won"},
    ]
    assert (await api.patch(DEAL, ops)).status == 204
    stored = (await api.get(DEAL)).json
    assert (stored["status"], stored["substatus"]) == ("Closed", "Won")
    assert DATE_7.fullmatch(stored["closedDateTime"])


async def test_seed_sample_3_adds_a_team_member_and_returns_the_referral(
    api: ReferralsHttp,
) -> None:
    before = (await api.get(DEAL)).json["team"]
    answer = await api.patch(DEAL, [{"op": "add", "path": "/team/-", "value": JANE}], prefer=True)
    assert answer.status == 200
    assert answer.json["team"] == [*before, JANE]
    assert answer.headers["ETag"] == answer.json["eTag"]


async def test_adding_the_same_member_twice_adds_it_twice(api: ReferralsHttp) -> None:
    op = [{"op": "add", "path": "/team/-", "value": JANE}]
    await api.patch(DEAL, op)
    await api.patch(DEAL, op)
    team = (await api.get(DEAL)).json["team"]
    assert [member["email"] for member in team].count(JANE["email"]) == 2


async def test_fractional_numeric_string_becomes_a_fractional_number(api: ReferralsHttp) -> None:
    await api.patch(DEAL, [{"op": "replace", "path": "/details/dealValue", "value": "1234.5"}])
    assert (await api.get(DEAL)).json["details"]["dealValue"] == 1234.5


@pytest.mark.parametrize(
    ("ops", "check"),
    [
        (
            [
                {"op": "replace", "path": "/status", "value": "Active"},
                {"op": "replace", "path": "/substatus", "value": "Accepted"},
            ],
            lambda doc: DATE_7.fullmatch(doc["acceptedDateTime"]) and not doc["closedDateTime"],
        ),
        (
            [
                {"op": "replace", "path": "/status", "value": "Closed"},
                {"op": "replace", "path": "/substatus", "value": "Declined"},
                {"op": "replace", "path": "/statusReason", "value": "Outside our practice."},
            ],
            lambda doc: DATE_7.fullmatch(doc["closedDateTime"]) and doc["statusReason"],
        ),
        (
            [
                {"op": "replace", "path": "/status", "value": "Closed"},
                {"op": "replace", "path": "/substatus", "value": "Lost"},
            ],
            lambda doc: DATE_7.fullmatch(doc["closedDateTime"]),
        ),
    ],
    ids=["accept", "decline", "lost-from-new"],
)
async def test_lead_transitions_stamp_accepted_and_closed_times(
    api: ReferralsHttp, ops: list[dict[str, Any]], check: Any
) -> None:
    answer = await api.patch(LEAD, ops, prefer=True)
    assert answer.status == 200, answer.text
    assert check(answer.json)


async def test_every_write_changes_the_etag_and_updated_time(api: ReferralsHttp) -> None:
    seen_etags, seen_times = set(), set()
    for value in ("a", "b", "c"):
        answer = await api.patch(
            DEAL, [{"op": "replace", "path": "/details/notes", "value": value}], prefer=True
        )
        seen_etags.add(answer.json["eTag"])
        seen_times.add(answer.json["updatedDateTime"])
        assert DATE_7.fullmatch(answer.json["updatedDateTime"])
    assert len(seen_etags) == 3
    assert len(seen_times) == 3


async def test_etag_value_carries_literal_double_quotes(api: ReferralsHttp) -> None:
    answer = await api.patch(
        DEAL, [{"op": "replace", "path": "/details/notes", "value": "x"}], prefer=True
    )
    etag = answer.json["eTag"]
    assert re.fullmatch(r'"[0-9a-f]{8}-0000-0100-0000-[0-9a-f]{12}"', etag)
    assert '"eTag": "\\"' in answer.text  # on the wire: an escaped quote inside the string


@pytest.mark.parametrize("prefer", [False, True])
async def test_prefer_decides_between_204_empty_and_200_with_the_referral(
    api: ReferralsHttp, prefer: bool
) -> None:
    answer = await api.patch(
        DEAL, [{"op": "replace", "path": "/salesStage", "value": "Propose"}], prefer=prefer
    )
    if prefer:
        assert answer.status == 200
        assert answer.json["salesStage"] == "Propose"
    else:
        assert (answer.status, answer.text) == (204, "")
    assert answer.headers["ETag"] == await api.etag_of(DEAL)


async def test_prefer_is_found_among_other_preferences(api: ReferralsHttp) -> None:
    answer = await api.send(
        "PATCH",
        api.url(DEAL),
        body=[{"op": "replace", "path": "/details/notes", "value": "n"}],
        headers={"Prefer": "respond-async, return=representation"},
    )
    assert answer.status == 200


async def test_closed_plus_won_in_one_patch_is_accepted_from_new(api: ReferralsHttp) -> None:
    ops = [
        {"op": "replace", "path": "/status", "value": "Closed"},
        {"op": "replace", "path": "/substatus", "value": "Won"},
    ]
    assert (await api.patch(LEAD, ops)).status == 204


async def test_other_referrals_are_untouched_by_a_write(api: ReferralsHttp) -> None:
    before = (await api.get(LEAD)).json
    await api.patch(DEAL, [{"op": "replace", "path": "/details/notes", "value": "x"}])
    assert (await api.get(LEAD)).json == before


async def test_a_seeded_closed_referral_has_a_closed_time(api: ReferralsHttp) -> None:
    answer = await api.get(WON)
    assert answer.json["status"] == "Closed"
    assert answer.json["closedDateTime"]

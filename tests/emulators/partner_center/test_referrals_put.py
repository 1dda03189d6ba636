"""The obsolete PUT: full replace, If-Match required (400 without), same rules as PATCH."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.referrals_http import Answer, ReferralsHttp
from tests.support.seeds import DEAL, LEAD, WON


async def _put(api: ReferralsHttp, referral_id: str, body: Any, if_match: str | None) -> Answer:
    headers = {} if if_match is None else {"If-Match": if_match}
    return await api.send("PUT", api.url(referral_id), body=body, headers=headers)


async def test_put_with_the_current_etag_replaces_and_answers_200(api: ReferralsHttp) -> None:
    doc = (await api.get(DEAL)).json
    doc["details"]["notes"] = "replaced"
    doc["salesStage"] = "Close"
    answer = await _put(api, DEAL, doc, doc["eTag"])
    assert answer.status == 200, answer.text
    assert answer.json["details"]["notes"] == "replaced"
    assert answer.json["salesStage"] == "Close"
    assert answer.json["eTag"] != doc["eTag"]
    assert answer.headers["ETag"] == answer.json["eTag"]
    assert answer.json["updatedDateTime"] != doc["updatedDateTime"]


async def test_put_without_if_match_is_400_and_stores_nothing(api: ReferralsHttp) -> None:
    doc = (await api.get(DEAL)).json
    answer = await _put(api, DEAL, {**doc, "name": "changed"}, None)
    assert (answer.status, answer.error_code) == (400, "invalidRequest")
    assert answer.json["error"]["target"] == "If-Match"
    assert (await api.get(DEAL)).json == doc


async def test_put_with_a_stale_etag_is_412(api: ReferralsHttp) -> None:
    doc = (await api.get(DEAL)).json
    await api.patch(DEAL, [{"op": "replace", "path": "/details/notes", "value": "first"}])
    answer = await _put(api, DEAL, {**doc, "name": "changed"}, doc["eTag"])
    assert (answer.status, answer.error_code) == (412, "preconditionFailed")
    assert answer.json["error"]["innerError"]["code"] == "99918"


async def test_put_accepts_if_match_star(api: ReferralsHttp) -> None:
    doc = (await api.get(DEAL)).json
    assert (await _put(api, DEAL, {**doc, "name": "star"}, "*")).status == 200


async def test_read_only_members_in_the_body_are_kept_from_the_server(api: ReferralsHttp) -> None:
    doc = (await api.get(DEAL)).json
    body = {
        **doc,
        "id": "other",
        "direction": "Incoming",
        "createdDateTime": "2001-01-01T00:00:00Z",
    }
    answer = await _put(api, DEAL, body, doc["eTag"])
    assert answer.status == 200
    kept = answer.json
    assert (kept["id"], kept["direction"]) == (DEAL, "Outgoing")
    assert kept["createdDateTime"] == doc["createdDateTime"]


@pytest.mark.parametrize(
    ("referral_id", "change"),
    [
        (DEAL, {"status": "New", "substatus": "Pending"}),
        (LEAD, {"status": "Closed"}),
        (WON, {"statusReason": "after the fact"}),
        (DEAL, {"details": None}),
        (DEAL, {"surprise": 1}),
    ],
    ids=[
        "active-to-new",
        "closed-without-substatus",
        "closed-is-terminal",
        "null-details",
        "unknown",
    ],
)
async def test_put_refuses_what_patch_refuses(
    api: ReferralsHttp, referral_id: str, change: dict[str, Any]
) -> None:
    doc = (await api.get(referral_id)).json
    answer = await _put(api, referral_id, {**doc, **change}, doc["eTag"])
    assert (answer.status, answer.error_code) == (400, "invalidRequest")
    assert (await api.get(referral_id)).json == doc


async def test_put_to_an_unknown_referral_is_404(api: ReferralsHttp) -> None:
    doc = (await api.get(DEAL)).json
    answer = await _put(api, "missing", doc, "*")
    assert (answer.status, answer.error_code) == (404, "itemNotFound")

"""Every way a PATCH is refused, and that a refused PATCH stores nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.support.referrals_http import Answer, ReferralsHttp
from tests.support.seeds import DEAL, LEAD, WON


def replace(path: str, value: Any) -> dict[str, Any]:
    return {"op": "replace", "path": path, "value": value}


def assert_refused(answer: Answer, status: int, code: str) -> None:
    assert answer.status == status, answer.text
    error = answer.json["error"]
    assert error["code"] == code
    assert set(error) == {"code", "message", "target", "innerError"}
    assert set(error["innerError"]) == {"code", "message"}


@pytest.fixture
async def unchanged(api: ReferralsHttp) -> AsyncIterator[None]:
    """Snapshot both writable referrals; after the test they must be byte-for-byte the same."""
    before = {rid: (await api.get(rid)).json for rid in (LEAD, DEAL, WON)}
    yield
    for rid, doc in before.items():
        assert (await api.get(rid)).json == doc, f"referral {rid} changed"


@pytest.mark.parametrize(
    "op",
    [
        {"op": "remove", "path": "/details/notes"},
        {"op": "move", "from": "/details/notes", "path": "/statusReason"},
        {"op": "copy", "from": "/details/notes", "path": "/statusReason"},
        {"op": "test", "path": "/status", "value": "Active"},
        {"op": "REPLACE", "path": "/details/notes", "value": "x"},
    ],
    ids=["remove", "move", "copy", "test", "upper-case"],
)
async def test_only_add_and_replace_are_supported(
    api: ReferralsHttp, unchanged: None, op: dict[str, Any]
) -> None:
    answer = await api.patch(DEAL, [replace("/details/notes", "first op is fine"), op])
    assert_refused(answer, 400, "invalidRequest")


@pytest.mark.parametrize(
    "path",
    [
        "/id",
        "/engagementId",
        "/organizationId",
        "/organizationName",
        "/createdDateTime",
        "/updatedDateTime",
        "/acceptedDateTime",
        "/closedDateTime",
        "/eTag",
        "/links",
        "/links/self",
        "/direction",
        "/type",
        "/qualification",
        "/inviteContext",
        "/registrationStatus",
    ],
)
async def test_read_only_paths_are_refused(api: ReferralsHttp, unchanged: None, path: str) -> None:
    answer = await api.patch(DEAL, [replace(path, "x")])
    assert_refused(answer, 400, "invalidRequest")
    assert answer.json["error"]["target"] == path


@pytest.mark.parametrize(
    "op",
    [
        replace("/nonsense", 1),
        replace("/details/nonsense", 1),
        replace("/team/0/nonsense", 1),
        replace("/details/notes/deeper", "x"),
        replace("/team/first", {"email": "a@b.c"}),
        replace("", {}),
        replace("details/notes", "no leading slash"),
        replace("/details/dealValue", "abc"),
        replace("/details/dealValue", "-5"),
        replace("/details/dealValue", -5),
        replace("/details/dealValue", True),
        replace("/details/notes", 42),
        replace("/details/currency", "dollars"),
        replace("/details/closingDateTime", "next Friday"),
        replace("/status", "Open"),
        replace("/substatus", "Maybe"),
        replace("/salesStage", "Negotiate"),
        replace("/consent/consentToContact", "yes"),
        replace("/team", "everyone"),
        replace("/team", [None]),
        replace("/team", [{"firstName": "No", "lastName": "Email"}]),
        replace("/details", {"notes": "x", "surprise": 1}),
        replace("/customerProfile/address/country", "Germany"),
        replace("/status", None),
        replace("/details", None),
        {"op": "add", "path": "/team/-", "value": {"email": "x@y.z", "shoeSize": 44}},
        {"op": "replace", "path": "/team/7", "value": {"email": "x@y.z"}},
        {"op": "replace", "path": "/details/notes"},
        {"op": "replace", "value": "no path"},
        {"op": "replace", "path": "/details/notes", "value": "x", "extra": True},
    ],
)
async def test_unknown_paths_and_wrong_types_are_refused(
    api: ReferralsHttp, unchanged: None, op: dict[str, Any]
) -> None:
    answer = await api.patch(DEAL, [op])
    assert_refused(answer, 400, "invalidRequest")


@pytest.mark.parametrize(
    "body",
    [b"[{", b"not json", b'{"op": "replace"}', b"[]", b"[1, 2]", b'"text"', b"[NaN]", b"\xff\xfe"],
    ids=["truncated", "garbage", "object", "empty", "numbers", "string", "nan", "not-utf8"],
)
async def test_malformed_bodies_are_refused(
    api: ReferralsHttp, unchanged: None, body: bytes
) -> None:
    answer = await api.send(
        "PATCH", api.url(DEAL), data=body, headers={"Content-Type": "application/json"}
    )
    assert_refused(answer, 400, "invalidRequest")


@pytest.mark.parametrize(
    ("referral_id", "ops"),
    [
        (LEAD, [replace("/status", "Closed")]),  # Closed cannot carry Received
        (DEAL, [replace("/status", "New"), replace("/substatus", "Pending")]),
        (DEAL, [replace("/status", "New")]),
        (DEAL, [replace("/substatus", "Won")]),  # Active cannot carry Won
        (DEAL, [replace("/status", "Closed"), replace("/substatus", "Declined")]),  # outgoing
        (DEAL, [replace("/status", "Closed"), replace("/substatus", "Expired")]),  # outgoing
        (LEAD, [replace("/status", "Active")]),  # Active cannot carry Received
    ],
    ids=[
        "closed-without-substatus",
        "active-to-new",
        "active-to-new-status-only",
        "active-won",
        "outgoing-declined",
        "outgoing-expired",
        "active-received",
    ],
)
async def test_invalid_resulting_states_are_refused_with_target_status(
    api: ReferralsHttp, unchanged: None, referral_id: str, ops: list[dict[str, Any]]
) -> None:
    answer = await api.patch(referral_id, ops)
    assert_refused(answer, 400, "invalidRequest")
    assert answer.json["error"]["target"] == "status"


@pytest.mark.parametrize(
    "ops",
    [
        [replace("/details/notes", "after the fact")],
        [replace("/status", "Active"), replace("/substatus", "Accepted")],
        [replace("/substatus", "Lost")],
    ],
)
async def test_a_closed_referral_takes_no_more_writes(
    api: ReferralsHttp, unchanged: None, ops: list[dict[str, Any]]
) -> None:
    answer = await api.patch(WON, ops, prefer=True)
    assert_refused(answer, 400, "invalidRequest")


async def test_a_referral_closed_by_patch_is_then_terminal(api: ReferralsHttp) -> None:
    await api.patch(DEAL, [replace("/status", "Closed"), replace("/substatus", "Lost")])
    etag = await api.etag_of(DEAL)
    answer = await api.patch(DEAL, [replace("/substatus", "Won")])
    assert answer.status == 400
    assert await api.etag_of(DEAL) == etag


async def test_a_bad_op_after_good_ones_stores_none_of_them(
    api: ReferralsHttp, unchanged: None
) -> None:
    ops = [replace("/details/notes", "good"), replace("/details/dealValue", "bad")]
    answer = await api.patch(DEAL, ops)
    assert_refused(answer, 400, "invalidRequest")


@pytest.mark.parametrize(
    "content_type",
    ["application/json-patch+json", "text/plain", "application/x-www-form-urlencoded"],
)
async def test_writes_need_the_json_content_type(
    api: ReferralsHttp, unchanged: None, content_type: str
) -> None:
    answer = await api.send(
        "PATCH",
        api.url(DEAL),
        data=b'[{"op":"replace","path":"/details/notes","value":"x"}]',
        headers={"Content-Type": content_type},
    )
    assert_refused(answer, 415, "invalidRequest")


async def test_a_body_over_one_mebibyte_is_refused_with_413(
    api: ReferralsHttp, unchanged: None
) -> None:
    huge = [replace("/details/notes", "x" * (1024 * 1024))]
    answer = await api.patch(DEAL, huge)
    assert_refused(answer, 413, "invalidRequest")


async def test_a_body_just_under_one_mebibyte_is_read(api: ReferralsHttp) -> None:
    notes = "y" * (1024 * 1024 - 100)
    answer = await api.patch(DEAL, [replace("/details/notes", notes)])
    assert answer.status == 204
    assert (await api.get(DEAL)).json["details"]["notes"] == notes


async def test_unknown_referral_is_404_item_not_found(api: ReferralsHttp) -> None:
    answer = await api.patch("does-not-exist", [replace("/details/notes", "x")])
    assert answer.status == 404
    assert answer.error_code == "itemNotFound"

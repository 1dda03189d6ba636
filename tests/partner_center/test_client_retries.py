"""Retries and safe writes, counted at the emulator's request log (GET /_emulator/requests)."""

from __future__ import annotations

import aiohttp
import pytest

from bot.partner_center.client import ReferralsClient
from bot.partner_center.errors import PreconditionFailedError, UnavailableError
from bot.partner_center.retry import RetryPolicy
from emulators.server import RunningEmulators
from tests.partner_center.test_retry_policy import FakeTime
from tests.support.emulators import ADMIN
from tests.support.partner_center import (
    EmulatorControl,
    FakeTokenProvider,
    assertion_for,
    make_client,
    make_settings,
)
from tests.support.seeds import OPEN_ID

ITEM = f"/v1.0/engagements/referrals/{OPEN_ID}"
JANE = {
    "email": "jane.doe@contoso.com",
    "firstName": "Jane",
    "lastName": "Doe",
    "phoneNumber": "0000000001",
}
ADD_JANE = [{"op": "add", "path": "/team/-", "value": JANE}]


def emails(referral_team: object) -> list[str | None]:
    return [member.email for member in referral_team]  # type: ignore[attr-defined]


async def test_a_429_with_retry_after_1_is_waited_out_then_succeeds(
    session: aiohttp.ClientSession, running: RunningEmulators, control: EmulatorControl
) -> None:
    time_ = FakeTime()  # the wait is recorded, not spent; the deadline stays on the real clock
    settings = make_settings(running)
    policy = RetryPolicy.from_settings(settings, sleep=time_.sleep)
    client = ReferralsClient(session, settings, FakeTokenProvider(running), retry_policy=policy)
    await control.add_fault("throttle", method="GET", path=ITEM, retry_after=1)

    referral = await client.get(OPEN_ID, user=assertion_for(ADMIN))

    assert time_.sleeps == [1.0]  # exactly Retry-After, once, before the second GET
    assert referral.value.id == OPEN_ID
    recorded = await control.requests()
    assert [(r["method"], r["fault"]) for r in recorded] == [("GET", "throttle"), ("GET", None)]
    assert recorded[0]["headers"]["MS-RequestId"] == recorded[1]["headers"]["MS-RequestId"]


async def test_two_503s_on_a_read_cost_three_gets(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    await control.add_fault("error", method="GET", path=ITEM, status=503, times=2)

    referral = await client.get(OPEN_ID, user=assertion_for(ADMIN))

    assert referral.value.id == OPEN_ID
    assert [r["fault"] for r in await control.requests("GET")] == ["error", "error", None]


async def test_a_read_that_hangs_times_out_and_is_retried(
    session: aiohttp.ClientSession, running: RunningEmulators, control: EmulatorControl
) -> None:
    client = make_client(session, running, attempt_timeout_seconds=0.3)
    await control.add_fault("hang", method="GET", path=ITEM, seconds=10)

    referral = await client.get(OPEN_ID, user=assertion_for(ADMIN))

    assert referral.value.id == OPEN_ID
    assert [r["fault"] for r in await control.requests("GET")] == ["hang", None]


async def test_a_write_dropped_after_it_landed_is_not_sent_twice(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    user = assertion_for(ADMIN)
    before = await client.get(OPEN_ID, user=user)
    await control.clear_requests()
    await control.add_fault("drop_after_write", method="PATCH", path=ITEM)

    updated = await client.patch(OPEN_ID, ADD_JANE, if_match=before.etag, user=user)

    assert emails(updated.value.team) == [*emails(before.value.team), JANE["email"]]
    assert updated.etag != before.etag
    recorded = await control.requests()
    assert [(r["method"], r["fault"]) for r in recorded] == [
        ("PATCH", "drop_after_write"),
        ("GET", None),
    ]
    now = await client.get(OPEN_ID, user=user)
    assert emails(now.value.team).count(JANE["email"]) == 1


async def test_a_failed_write_that_did_not_land_is_resent_with_the_same_request_id(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    user = assertion_for(ADMIN)
    before = await client.get(OPEN_ID, user=user)
    await control.clear_requests()
    await control.add_fault("error", method="PATCH", path=ITEM, status=500)

    updated = await client.patch(OPEN_ID, ADD_JANE, if_match=before.etag, user=user)

    assert emails(updated.value.team).count(JANE["email"]) == 1
    recorded = await control.requests()
    assert [(r["method"], r["fault"]) for r in recorded] == [
        ("PATCH", "error"),
        ("GET", None),
        ("PATCH", None),
    ]
    first, reread, second = (r["headers"]["MS-RequestId"] for r in recorded)
    assert first == second
    assert reread != first


async def test_a_failed_write_while_someone_else_wrote_is_a_precondition_failure(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    user = assertion_for(ADMIN)
    before = await client.get(OPEN_ID, user=user)
    await control.clear_requests()
    await control.add_fault("error", method="PATCH", path=ITEM, status=500)
    await control.add_fault("bump_etag", method="GET", path=ITEM)

    with pytest.raises(PreconditionFailedError):
        await client.patch(OPEN_ID, ADD_JANE, if_match=before.etag, user=user)

    assert [r["method"] for r in await control.requests()] == ["PATCH", "GET"]
    assert JANE["email"] not in emails((await client.get(OPEN_ID, user=user)).value.team)


async def test_a_204_is_followed_by_a_read_of_the_result(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    user = assertion_for(ADMIN)
    before = await client.get(OPEN_ID, user=user)
    await control.clear_requests()
    await control.add_fault("ignore_prefer", method="PATCH", path=ITEM)
    change = [{"op": "replace", "path": "/details/dealValue", "value": "10000"}]

    updated = await client.patch(OPEN_ID, change, if_match=before.etag, user=user)

    assert updated.value.details is not None
    assert updated.value.details.deal_value == 10000
    assert updated.etag != before.etag
    recorded = await control.requests()
    assert [(r["method"], r["fault"]) for r in recorded] == [
        ("PATCH", "ignore_prefer"),
        ("GET", None),
    ]


async def test_another_writer_first_means_precondition_failed_and_nothing_changed(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    user = assertion_for(ADMIN)
    before = await client.get(OPEN_ID, user=user)
    await control.add_fault("bump_etag", method="PATCH", path=ITEM)

    with pytest.raises(PreconditionFailedError) as caught:
        await client.patch(OPEN_ID, ADD_JANE, if_match=before.etag, user=user)

    assert caught.value.status_code == 412
    after = await client.get(OPEN_ID, user=user)
    assert after.value.team == before.value.team
    assert after.value.details == before.value.details
    assert len(await control.requests("PATCH")) == 1


async def test_a_write_that_keeps_failing_ambiguously_is_reported_not_repeated(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    user = assertion_for(ADMIN)
    before = await client.get(OPEN_ID, user=user)
    await control.clear_requests()
    await control.add_fault("error", method="*", path=ITEM, status=500, times=-1)

    with pytest.raises(UnavailableError) as caught:
        await client.patch(OPEN_ID, ADD_JANE, if_match=before.etag, user=user)

    assert caught.value.code == "outcomeUnknown"
    assert [r["method"] for r in await control.requests("PATCH")] == ["PATCH"]


async def test_headers_carry_the_correlation_id_and_a_request_id_per_call(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    user, correlation = assertion_for(ADMIN), "6f1e2d3c-4b5a-4987-8a6b-5c4d3e2f1a0b"
    first = await client.get(OPEN_ID, user=user, correlation_id=correlation)
    await client.get(OPEN_ID, user=user, correlation_id=correlation)
    await client.patch(
        OPEN_ID, ADD_JANE, if_match=first.etag, user=user, correlation_id=correlation
    )

    get1, get2, patch = (r["headers"] for r in await control.requests())

    assert {get1["MS-CorrelationId"], get2["MS-CorrelationId"], patch["MS-CorrelationId"]} == {
        correlation
    }
    assert len({get1["MS-RequestId"], get2["MS-RequestId"], patch["MS-RequestId"]}) == 3
    assert patch["If-Match"] == first.etag
    assert first.etag.startswith('"')
    assert first.etag.endswith('"')
    assert patch["Prefer"] == "return=representation"
    assert patch["Content-Type"] == "application/json"
    assert patch["Accept"] == "application/json"
    assert patch["Authorization"] == "Bearer <redacted>"

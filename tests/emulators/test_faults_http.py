"""Faults injected on the real Referrals routes, over loopback HTTP, as a client would meet them."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest

from tests.support.emulator_controls import REFERRALS_PATH, add_fault, recorded_requests
from tests.support.emulators import ADMIN, running_emulators
from tests.support.referrals_http import ReferralsHttp
from tests.support.seeds import DEAL

NOTES = [{"op": "replace", "path": "/details/notes", "value": "from the test"}]
DEAL_PATH = f"{REFERRALS_PATH}/{DEAL}"


async def fault(api: ReferralsHttp, kind: str, **rule: object) -> None:
    await add_fault(api.session, api.running.referrals_base_url, kind, **rule)


async def records(api: ReferralsHttp, **filters: str) -> list[dict[str, Any]]:
    return await recorded_requests(api.session, api.running.referrals_base_url, **filters)


async def test_drop_after_write_applies_the_patch_but_the_client_sees_a_disconnect(
    api: ReferralsHttp,
) -> None:
    etag = await api.etag_of(DEAL)
    await fault(api, "drop_after_write", method="PATCH", path=DEAL_PATH)

    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.patch(DEAL, NOTES, if_match=etag)

    after = (await api.get(DEAL)).json
    assert after["details"]["notes"] == "from the test"
    assert after["eTag"] != etag
    [entry] = await records(api, method="PATCH")
    assert (entry["status"], entry["fault"]) == (None, "drop_after_write")


async def test_resending_a_dropped_write_with_the_same_etag_is_a_412(api: ReferralsHttp) -> None:
    etag = await api.etag_of(DEAL)
    await fault(api, "drop_after_write", method="PATCH", path=DEAL_PATH)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.patch(DEAL, NOTES, if_match=etag)

    again = await api.patch(DEAL, NOTES, if_match=etag)

    assert (again.status, again.error_code) == (412, "preconditionFailed")


async def test_ignore_prefer_answers_204_to_a_patch_that_asked_for_the_representation(
    api: ReferralsHttp,
) -> None:
    await fault(api, "ignore_prefer", method="PATCH", path=DEAL_PATH)

    ignored = await api.patch(DEAL, NOTES, prefer=True)
    honoured = await api.patch(DEAL, NOTES, prefer=True)

    assert (ignored.status, ignored.text) == (204, "")
    assert honoured.status == 200
    assert honoured.json["details"]["notes"] == "from the test"
    [first, _] = await records(api, method="PATCH")
    assert first["headers"]["Prefer"] == "return=representation"


async def test_an_injected_503_on_patch_carries_retry_after_and_stores_nothing(
    api: ReferralsHttp,
) -> None:
    before = (await api.get(DEAL)).json
    await fault(api, "error", method="PATCH", path=DEAL_PATH, status=503, retry_after=4)

    answer = await api.patch(DEAL, NOTES, if_match=before["eTag"])

    assert (answer.status, answer.error_code) == (503, "serviceNotAvailable")
    assert answer.headers["Retry-After"] == "4"
    assert "Request-ID" in answer.headers
    assert (await api.get(DEAL)).json == before


async def test_an_injected_429_on_the_list_leaves_single_reads_alone(api: ReferralsHttp) -> None:
    await fault(api, "throttle", method="GET", path=REFERRALS_PATH, retry_after=5, times=-1)

    listed = await api.send("GET", api.url())
    single = await api.get(DEAL)

    assert listed.status == 429
    assert listed.headers["Retry-After"] == "5"
    assert listed.json == {
        "statusCode": 429,
        "message": "Rate limit is exceeded. Try again in 5 seconds.",
    }
    assert single.status == 200


async def test_bump_etag_without_if_match_lets_the_last_writer_win(api: ReferralsHttp) -> None:
    await fault(api, "bump_etag", method="PATCH", path=DEAL_PATH)

    answer = await api.patch(DEAL, NOTES)

    assert answer.status == 204
    assert (await api.get(DEAL)).json["details"]["notes"] == "from the test"


async def test_bump_etag_on_an_unknown_referral_still_answers_404(api: ReferralsHttp) -> None:
    await fault(api, "bump_etag", method="PATCH")

    answer = await api.patch("does-not-exist", NOTES)

    assert (answer.status, answer.error_code) == (404, "itemNotFound")
    [entry] = await records(api, method="PATCH")
    assert (entry["status"], entry["fault"]) == (404, "bump_etag")


async def test_a_hung_request_times_out_in_the_client_while_others_are_served(
    api: ReferralsHttp,
) -> None:
    await fault(api, "hang", method="GET", path=DEAL_PATH)

    with pytest.raises(asyncio.TimeoutError):
        async with api.session.get(
            api.url(DEAL),
            headers={"Authorization": f"Bearer {api.token(ADMIN)}"},
            timeout=aiohttp.ClientTimeout(total=0.3),
        ) as response:
            await response.read()

    assert (await api.send("GET", api.url())).status == 200


async def test_recorded_requests_redact_the_token_and_keep_the_write_headers(
    api: ReferralsHttp,
) -> None:
    etag = await api.etag_of(DEAL)
    request_id = "0b0e0e0e-0000-4000-8000-000000000001"

    await api.send(
        "PATCH",
        api.url(DEAL),
        body=NOTES,
        headers={"If-Match": etag, "MS-RequestId": request_id, "Accept": "application/json"},
    )

    [entry] = await records(api, method="PATCH")
    assert entry["headers"] == {
        "Authorization": "Bearer <redacted>",
        "If-Match": etag,
        "MS-RequestId": request_id,
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    assert api.token(ADMIN) not in str(await records(api))


async def test_stopping_the_emulators_does_not_wait_for_a_hung_request() -> None:
    async with aiohttp.ClientSession() as session:
        with running_emulators([{"id": "1"}]) as running:
            await add_fault(session, running.referrals_base_url, "hang", seconds=600)
            hung = asyncio.create_task(ReferralsHttp(running, session).get("1"))
            for _ in range(100):
                if await recorded_requests(session, running.referrals_base_url):
                    break
                await asyncio.sleep(0.02)
            started = time.monotonic()
        elapsed = time.monotonic() - started  # leaving the block stopped the stack

        with pytest.raises(aiohttp.ClientConnectionError):
            await asyncio.wait_for(hung, timeout=5)
    assert elapsed < 5

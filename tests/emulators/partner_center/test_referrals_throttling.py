"""Per-user throttling: 429, Retry-After and the spec's body; users never throttle each other."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest

from emulators.server import RunningEmulators
from tests.support.emulators import ADMIN, GLOBAL_ADMIN, SELLER, running_emulators
from tests.support.referrals_http import ReferralsHttp

PER_MINUTE = 3


@pytest.fixture(scope="module")
def slow_emulator() -> Iterator[RunningEmulators]:
    with running_emulators([{"id": "1"}], throttle_per_minute=PER_MINUTE) as running:
        yield running


@pytest.fixture
async def http(slow_emulator: RunningEmulators) -> AsyncIterator[ReferralsHttp]:
    async with aiohttp.ClientSession() as session:
        api = ReferralsHttp(slow_emulator, session)
        await api.reset()  # also refills every bucket
        yield api


async def test_the_request_over_the_budget_is_429_with_retry_after(http: ReferralsHttp) -> None:
    statuses = [(await http.send("GET", http.url("1"))).status for _ in range(PER_MINUTE)]
    assert statuses == [200] * PER_MINUTE
    answer = await http.send("GET", http.url("1"))
    assert answer.status == 429
    retry_after = answer.headers["Retry-After"]
    assert re.fullmatch(r"[1-9][0-9]*", retry_after)
    assert answer.json == {
        "statusCode": 429,
        "message": f"Rate limit is exceeded. Try again in {retry_after} seconds.",
    }
    assert "Request-ID" in answer.headers


async def test_one_user_being_throttled_does_not_throttle_another(http: ReferralsHttp) -> None:
    for _ in range(PER_MINUTE + 1):
        await http.send("GET", http.url("1"), user=ADMIN)
    assert (await http.send("GET", http.url("1"), user=ADMIN)).status == 429
    assert (await http.send("GET", http.url("1"), user=SELLER)).status == 404  # not throttled


async def test_unauthenticated_requests_do_not_use_up_a_budget(http: ReferralsHttp) -> None:
    for _ in range(PER_MINUTE * 2):
        assert (await http.send("GET", http.url(), token=None)).status == 401
    statuses = [(await http.send("GET", http.url())).status for _ in range(PER_MINUTE)]
    assert statuses == [200] * PER_MINUTE


async def test_a_throttled_write_stores_nothing(http: ReferralsHttp) -> None:
    for _ in range(PER_MINUTE):
        await http.send("GET", http.url(), user=ADMIN)
    ops = [{"op": "replace", "path": "/details/notes", "value": "throttled"}]
    answer = await http.send("PATCH", http.url("1"), user=ADMIN, body=ops)
    assert answer.status == 429
    notes = (await http.send("GET", http.url("1"), user=GLOBAL_ADMIN)).json["details"]["notes"]
    assert notes != "throttled"

"""The Referrals emulator's tests: a small seeded world (tests/support/seeds.py) and raw HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from emulators.server import RunningEmulators
from tests.support.fixtures import emulators_fixture
from tests.support.referrals_http import ReferralsHttp
from tests.support.seeds import emulator_referrals

# One emulator per test module (starting one costs key and certificate generation).
emulator = emulators_fixture(
    emulator_referrals, scope="module", name="emulator", throttle_per_minute=100_000
)


@pytest.fixture
async def api(emulator: RunningEmulators) -> AsyncIterator[ReferralsHttp]:
    """Raw HTTP to a freshly reset emulator (store, faults, records and throttle buckets)."""
    async with aiohttp.ClientSession() as session:
        http = ReferralsHttp(emulator, session)
        await http.reset()
        yield http

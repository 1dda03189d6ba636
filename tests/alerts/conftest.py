"""The lead world (tests/support/lead_world.py) per test: the Partner Center and Entra emulators
once per module, reset before every test (referrals, faults, recorded requests, identity)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from emulators.server import RunningEmulators
from tests.support.fixtures import emulators_fixture
from tests.support.identity import IdentityClient
from tests.support.lead_world import LEAD_CONFIG, LeadWorld, lead_seed, lead_world
from tests.support.world import world_session

__all__ = ["running", "world_session"]

running = emulators_fixture(lead_seed, scope="module", **LEAD_CONFIG)


@pytest.fixture
async def world(
    session: aiohttp.ClientSession, running: RunningEmulators, identity: IdentityClient
) -> AsyncIterator[LeadWorld]:
    async with lead_world(session, running, identity) as built:
        yield built

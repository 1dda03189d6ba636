"""The service adapter over the real Referrals emulator (loopback), reset before every test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest

from bot.referrals.service import PartnerCenterReferrals
from emulators.server import RunningEmulators
from tests.support.world import make_client, reset, running_world
from tests.support.partner_center import EmulatorControl


@pytest.fixture(scope="module")
def running() -> Iterator[RunningEmulators]:
    with running_world() as emulators:
        yield emulators


@pytest.fixture
async def session(running: RunningEmulators) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        await reset(client_session, running)
        yield client_session


@pytest.fixture
def referrals(session: aiohttp.ClientSession, running: RunningEmulators) -> PartnerCenterReferrals:
    return PartnerCenterReferrals(make_client(session, running))


@pytest.fixture
def control(session: aiohttp.ClientSession, running: RunningEmulators) -> EmulatorControl:
    return EmulatorControl(session, running)

"""The client against the real Referrals emulator over loopback, with fast retry timings."""

from __future__ import annotations

import aiohttp
import pytest

from bot.partner_center.client import ReferralsClient
from emulators.server import RunningEmulators
from tests.support.fixtures import emulators_fixture
from tests.support.partner_center import EmulatorControl, make_client
from tests.support.seeds import client_referrals

running = emulators_fixture(client_referrals, scope="function")


@pytest.fixture
def client(session: aiohttp.ClientSession, running: RunningEmulators) -> ReferralsClient:
    return make_client(session, running)


@pytest.fixture
def control(session: aiohttp.ClientSession, running: RunningEmulators) -> EmulatorControl:
    return EmulatorControl(session, running)

"""The service adapter over the real Referrals emulator (loopback), reset before every test."""

from __future__ import annotations

import aiohttp
import pytest

from bot.referrals.service import PartnerCenterReferrals
from emulators.server import RunningEmulators
from tests.support.fixtures import emulators_fixture
from tests.support.partner_center import EmulatorControl
from tests.support.referrals import index_backed
from tests.support.world import WORLD_CONFIG, make_client, seed, world_session

__all__ = ["running", "world_session"]

running = emulators_fixture(seed, scope="module", **WORLD_CONFIG)


@pytest.fixture
def referrals(session: aiohttp.ClientSession, running: RunningEmulators) -> PartnerCenterReferrals:
    return index_backed(make_client(session, running))


@pytest.fixture
def control(session: aiohttp.ClientSession, running: RunningEmulators) -> EmulatorControl:
    return EmulatorControl(session, running)

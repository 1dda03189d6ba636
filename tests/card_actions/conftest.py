"""A `Harness` (tests/support/card_harness.py) per test over the service and card-action world
(tests/support/world.py): one emulator per module, reset before every test."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest

from bot.card_actions.verbs import CardActions
from bot.state.pending_changes import MemoryPendingChanges
from dialogs.ports import DialogServices
from emulators.server import RunningEmulators
from tests.support.card_harness import PORTAL, ActivityAssertions, FakeClock, Harness
from tests.support.fixtures import emulators_fixture
from tests.support.partner_center import EmulatorControl
from tests.support.referrals import index_backed
from tests.support.world import WORLD_CONFIG, make_client, seed, world_session

__all__ = ["running", "world_session"]

running = emulators_fixture(seed, scope="module", **WORLD_CONFIG)


@pytest.fixture
def harness(session: aiohttp.ClientSession, running: RunningEmulators) -> Harness:
    clock, assertions, store = FakeClock(), ActivityAssertions(), MemoryPendingChanges()
    services = DialogServices(
        referrals=index_backed(make_client(session, running)),
        pending=store,
        clock=clock,
        assertions=assertions,
        portal_url=PORTAL,
        pending_ttl=timedelta(minutes=30),
    )
    control = EmulatorControl(session, running)
    return Harness(
        services,
        CardActions(services),
        clock,
        assertions,
        store,
        control,
        session,
        running.referrals_base_url,
    )

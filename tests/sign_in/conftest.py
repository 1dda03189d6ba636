"""The emulators (with the token-service emulation) once for the package, reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import aiohttp
import pytest

from emulators.server import RunningEmulators
from tests.system.integration.conftest import PartnerCenterView, seed
from tests.support.token_service import TokenServiceControls
from tests.support.emulators import running_emulators
from tests.support.identity import IdentityClient


@pytest.fixture(scope="package")
def running() -> Iterator[RunningEmulators]:
    with running_emulators(referrals=seed()) as emulators:
        yield emulators


@pytest.fixture
async def identity(running: RunningEmulators, session: aiohttp.ClientSession) -> IdentityClient:
    client = IdentityClient(running, session)
    await client.reset()
    return client


@pytest.fixture
async def token_service(
    running: RunningEmulators, session: aiohttp.ClientSession
) -> TokenServiceControls:
    controls = TokenServiceControls(running, session)
    await controls.reset()
    return controls


@pytest.fixture
async def fresh(
    running: RunningEmulators,
    session: aiohttp.ClientSession,
    identity: IdentityClient,
    token_service: TokenServiceControls,
) -> RunningEmulators:
    async with session.post(f"{running.referrals_base_url}/_emulator/reset") as answer:
        assert answer.status == 204
    return running


@pytest.fixture
async def partner_center(
    fresh: RunningEmulators, session: aiohttp.ClientSession
) -> PartnerCenterView:
    return PartnerCenterView(session, fresh)

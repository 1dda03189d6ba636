from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest

from emulators.server import RunningEmulators
from tests.support.emulators import running_emulators
from tests.support.identity import IdentityClient


@pytest.fixture(scope="module")
def running() -> Iterator[RunningEmulators]:
    with running_emulators() as emulators:
        yield emulators


@pytest.fixture
async def identity(running: RunningEmulators) -> AsyncIterator[IdentityClient]:
    async with aiohttp.ClientSession() as session:
        client = IdentityClient(running, session)
        await client.reset()
        yield client

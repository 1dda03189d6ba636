from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import aiohttp
import pytest

from bot.auth.obo import OboTokenProvider
from bot.auth.token_cache import MemoryTokenCacheStore, TokenCacheStore
from emulators.server import RunningEmulators
from tests.support.emulators import running_emulators
from tests.support.identity import IdentityClient, identity_settings

MakeProvider = Callable[..., OboTokenProvider]


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


@pytest.fixture
async def make_provider(running: RunningEmulators) -> AsyncIterator[MakeProvider]:
    """Providers against the module's emulators; each one is closed after the test."""
    made: list[OboTokenProvider] = []

    def make(
        store: TokenCacheStore | None = None,
        *,
        emulators: RunningEmulators | None = None,
        timeout_seconds: float = 10.0,
        **settings: Any,
    ) -> OboTokenProvider:
        provider = OboTokenProvider(
            identity_settings(emulators or running, **settings),
            store if store is not None else MemoryTokenCacheStore(),
            timeout_seconds=timeout_seconds,
        )
        made.append(provider)
        return provider

    yield make
    for provider in made:
        await provider.aclose()

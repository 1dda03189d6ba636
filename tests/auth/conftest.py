"""The identity emulator once per module (no referrals); OBO providers closed after each test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.auth.obo import OboTokenProvider
from bot.auth.sealed_store import ByteStore, MemoryByteStore
from emulators.server import RunningEmulators
from tests.auth.providers import MakeProvider
from tests.support.fixtures import emulators_fixture
from tests.support.identity import identity_settings

running = emulators_fixture(scope="module")


@pytest.fixture
async def make_provider(running: RunningEmulators) -> AsyncIterator[MakeProvider]:
    """Providers against the module's emulators; each one is closed after the test."""
    made: list[OboTokenProvider] = []

    def make(
        store: ByteStore | None = None,
        *,
        emulators: RunningEmulators | None = None,
        timeout_seconds: float = 10.0,
        **settings: Any,
    ) -> OboTokenProvider:
        provider = OboTokenProvider(
            identity_settings(emulators or running, **settings),
            store if store is not None else MemoryByteStore(),
            timeout_seconds=timeout_seconds,
        )
        made.append(provider)
        return provider

    yield make
    for provider in made:
        await provider.aclose()

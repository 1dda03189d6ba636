"""The Blob store tests' Azurite fixture and storage helpers (the launcher: `emulators.azurite`)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from pydantic import SecretStr

from bot.settings import StateBackend, StateSettings
from bot.state.blob_storage import AzureBlobStorage, BlobTimeouts, opened_blob_storage
from emulators.azurite import Azurite, running_azurite

# An outage fails in seconds.
FAST = BlobTimeouts(connect_seconds=1.0, read_seconds=2.0, deadline_seconds=3.0)


@pytest.fixture(scope="session")
def azurite() -> Iterator[Azurite]:
    """One Azurite for the test session (registered by tests/support/fixtures.py)."""
    with running_azurite() as started:
        yield started


@asynccontextmanager
async def fresh_blob_storage(
    azurite: Azurite, timeouts: BlobTimeouts | None = None
) -> AsyncIterator[AzureBlobStorage]:
    """An AzureBlobStorage on a new, empty container of `azurite`."""
    container = f"state-{uuid.uuid4().hex[:12]}"
    async with opened_blob_storage(
        azurite.connection_string, container, timeouts=timeouts
    ) as store:
        await store.create_container()
        yield store


def blob_state(azurite: Azurite, container: str, **more: Any) -> StateSettings:
    """The bot's state settings for `container` of `azurite` (`more`: other StateSettings)."""
    return StateSettings(
        backend=StateBackend.BLOB,
        blob_connection_string=SecretStr(azurite.connection_string),
        blob_container=container,
        **more,
    )

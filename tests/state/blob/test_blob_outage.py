"""An outage fails in seconds: stopped Azurite (refused) and a silent server (read timeout)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from bot.state.blob_storage import opened_blob_storage
from bot.state.errors import StorageUnavailableError
from emulators.azurite import running_azurite
from tests.support.azurite import FAST

pytestmark = pytest.mark.slow  # Azurite, and waits out real connect/read timeouts


async def _elapsed_until_failure(connection_string: str) -> float:
    async with opened_blob_storage(connection_string, "state", timeouts=FAST) as store:
        started = time.monotonic()
        with pytest.raises(StorageUnavailableError):
            await store.write({"k": {"v": 2, "e_tag": "*"}})
        with pytest.raises(StorageUnavailableError):
            await store.read(["k"])
        return time.monotonic() - started


async def test_a_stopped_azurite_fails_within_seconds() -> None:
    with running_azurite() as azurite:
        async with opened_blob_storage(azurite.connection_string, "state", timeouts=FAST) as store:
            await store.create_container()
            await store.write({"k": {"v": 1}})
        azurite.stop()
        elapsed = await _elapsed_until_failure(azurite.connection_string)
    print(f"\nstopped Azurite: write + read failed after {elapsed:.3f} s")
    assert elapsed < 2 * FAST.deadline_seconds


@pytest.fixture
async def silent_server() -> AsyncIterator[int]:
    """Accepts connections and never answers: the read timeout must end the call."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_a_silent_server_fails_within_the_deadline(silent_server: int) -> None:
    connection_string = (
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;"
        f"BlobEndpoint=http://127.0.0.1:{silent_server}/devstoreaccount1;"
    )
    elapsed = await _elapsed_until_failure(connection_string)
    print(f"\nsilent server: write + read failed after {elapsed:.3f} s")
    assert 2 * FAST.read_seconds * 0.9 <= elapsed < 2 * FAST.deadline_seconds + 1

"""Many pending changes in a Blob container, fast, and a storage that counts its HTTP requests.

`store_pending_blobs` writes each change as `BlobPendingChanges.put` stores it (the same body
and metadata; `tests/state/blob/test_blob_sweep.py` checks they read back equal), but
concurrently and without going through `put`, so a container can be filled with 10,000 changes
in seconds whatever `put` does. `counting_blob_storage` opens an AzureBlobStorage whose every
HTTP request to the storage service is counted (the SDK's `raw_request_hook`), list pages and
deletes included.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from azure.storage.blob.aio import ContainerClient

from bot.domain.intent import ChangeIntent, Outcome
from bot.domain.pending import PendingChange
from bot.state.blob_pending_changes import PREFIX
from bot.state.blob_storage import AzureBlobStorage, BlobTimeouts
from bot.state.pending_codec import encode_pending
from emulators.azurite import Azurite

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
TTL = timedelta(minutes=30)
# generous: Azurite on two busy cores answers a burst of 64 writes slowly
BULK = BlobTimeouts(connect_seconds=5.0, read_seconds=30.0, deadline_seconds=60.0)


def pending_change(change_id: str, *, created_at: datetime = NOW, **fields: Any) -> PendingChange:
    values: dict[str, Any] = {
        "id": change_id,
        "proposer_id": "aad-alice",
        "proposer_name": "Alice Seller",
        "tenant_id": "tenant-1",
        "conversation_id": "a:conversation",
        "referral_id": "123",
        "etag": '"etag-1"',
        "intent": ChangeIntent(outcome=Outcome.WON),
        "operations": ({"op": "replace", "path": "/status", "value": "Closed"},),
        "created_at": created_at,
        "expires_at": created_at + TTL,
    }
    return PendingChange(**(values | fields))


def mixed_changes(count: int, *, expired_every: int = 5) -> list[PendingChange]:
    """`count` changes alive at NOW; one in `expired_every` expired an hour before NOW."""
    changes = []
    for n in range(count):
        change = pending_change(f"stored-{n:05d}")
        if n % expired_every == 0:
            change = replace(change, expires_at=NOW - timedelta(hours=1))
        changes.append(change)
    return changes


async def store_pending_blobs(
    storage: AzureBlobStorage, changes: Iterable[PendingChange], *, concurrency: int = 64
) -> None:
    gate = asyncio.Semaphore(concurrency)

    async def one(change: PendingChange) -> None:
        metadata = {"state": change.state.value, "expires_at": change.expires_at.isoformat()}
        item = {"change": encode_pending(change), "e_tag": "*"}
        async with gate:
            await storage.write_item(PREFIX + change.id, item, metadata=metadata)

    await asyncio.gather(*(one(change) for change in changes))


@asynccontextmanager
async def counting_blob_storage(
    azurite: Azurite, container: str, timeouts: BlobTimeouts = BULK
) -> AsyncIterator[tuple[AzureBlobStorage, Counter[str]]]:
    """The storage and a Counter of its requests by HTTP method (reset it before measuring)."""
    requests: Counter[str] = Counter()

    def count(request: Any) -> None:
        requests[request.http_request.method] += 1

    client = ContainerClient.from_connection_string(
        azurite.connection_string,
        container,
        connection_timeout=timeouts.connect_seconds,
        read_timeout=timeouts.read_seconds,
        retry_total=0,
        raw_request_hook=count,
    )
    storage = AzureBlobStorage(client, timeouts=timeouts)
    try:
        yield storage, requests
    finally:
        await storage.close()

"""Blob: settled outbox entries and their key pointers are swept after the retention by the
background sweeper, from their metadata; a live claim never is."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.domain.proactive import ClaimResult
from bot.state.blob_outbox import ENTRIES, POINTERS, BlobNotifications, OutboxRetention
from bot.state.blob_storage import AzureBlobStorage
from bot.state.blob_sweeper import BlobSweeper, SweepLimits
from tests.state.proactive_stores import LEASE, NOW, notification

pytestmark = pytest.mark.slow  # Azurite (a Node process) for every test

RETENTION = timedelta(days=30)


async def names(storage: AzureBlobStorage, prefix: str) -> int:
    page, _ = await storage.list_page(prefix, continuation=None, page_size=100)
    return len(page)


async def sweep(storage: AzureBlobStorage, at: datetime) -> tuple[int, int]:
    """One round of each outbox sweeper at `at` (no grace): how many each deleted."""
    retention = OutboxRetention(RETENTION)
    limits = SweepLimits(grace=timedelta(0))
    deleted = []
    for prefix, sweepable in (
        (ENTRIES, retention.entry_sweepable),
        (POINTERS, retention.pointer_sweepable),
    ):
        swept = await BlobSweeper(storage, prefix, sweepable, limits, clock=lambda: at).sweep_once()
        deleted.append(swept.deleted)
    return deleted[0], deleted[1]


async def test_settled_entries_and_pointers_go_after_the_retention(
    blob_storage: AzureBlobStorage,
) -> None:
    store = BlobNotifications(blob_storage)
    for key in ("sent", "gone", "abandoned"):
        assert await store.claim(notification(key), owner="o-1", now=NOW, lease=LEASE) is (
            ClaimResult.WON
        )
    await store.sent("sent", owner="o-1", activity_id="act", now=NOW)
    await store.gone("gone", owner="o-1")
    live_at = NOW + RETENTION * 2
    await store.claim(notification("live"), owner="o-1", now=live_at, lease=RETENTION)
    assert await sweep(blob_storage, NOW + RETENTION) == (0, 0)
    assert await sweep(blob_storage, NOW + RETENTION + timedelta(seconds=1)) == (1, 3)
    assert await store.copies("lead:1") == []
    assert await sweep(blob_storage, NOW + LEASE + RETENTION + timedelta(seconds=1)) == (2, 0)
    assert await sweep(blob_storage, live_at + RETENTION) == (0, 0)  # its lease runs until then
    assert (await names(blob_storage, ENTRIES), await names(blob_storage, POINTERS)) == (1, 1)
    assert await store.claim(notification("sent"), owner="o-2", now=live_at, lease=LEASE) is (
        ClaimResult.WON
    )


async def test_metadata_not_written_by_the_outbox_is_left_alone() -> None:
    retention = OutboxRetention(RETENTION)
    long_after = NOW + 10 * RETENTION
    assert not retention.entry_sweepable({}, long_after)
    assert not retention.entry_sweepable({"settled_at": "yesterday"}, long_after)
    assert not retention.pointer_sweepable({"settled_at": NOW.isoformat()}, long_after)
    assert retention.pointer_sweepable({"claimed_at": NOW.isoformat()}, long_after)

"""Blob outbox specifics: an instance ends its own claim with one conditional write; any other
store object (a restarted process with the same owner) ends it through the key pointer."""

from __future__ import annotations

import pytest

from bench.pending_blobs import counting_blob_storage
from bot.domain.proactive import ClaimResult
from bot.state.blob_outbox import POINTERS, BlobNotifications
from bot.state.blob_storage import AzureBlobStorage
from emulators.azurite import Azurite
from tests.state.proactive_stores import LEASE, NOW, notification

pytestmark = pytest.mark.slow  # Azurite (a Node process) for every test

KEY = "lead:1:user:u-1"


async def test_another_store_object_of_the_owner_ends_the_claim_by_the_pointer(
    blob_storage: AzureBlobStorage,
) -> None:
    first = BlobNotifications(blob_storage)
    assert await first.claim(notification(), owner="o-1", now=NOW, lease=LEASE) is ClaimResult.WON
    page, _ = await blob_storage.list_page(POINTERS, continuation=None, page_size=10)
    assert len(page) == 1
    await BlobNotifications(blob_storage).sent(KEY, owner="o-1", activity_id="act", now=NOW)
    copies = await first.copies("lead:1")
    assert [entry.activity_id for entry in copies] == ["act"]
    await first.sent(KEY, owner="o-1", activity_id="again", now=NOW)  # its memo: stale now
    assert [entry.activity_id for entry in await first.copies("lead:1")] == ["act"]


async def test_a_remembered_claim_taken_over_since_is_not_ended(
    blob_storage: AzureBlobStorage,
) -> None:
    mine, theirs = BlobNotifications(blob_storage), BlobNotifications(blob_storage)
    await mine.claim(notification(), owner="o-1", now=NOW, lease=LEASE)
    assert await theirs.claim(notification(), owner="o-2", now=NOW + LEASE, lease=LEASE) is (
        ClaimResult.TAKEN_OVER
    )
    await mine.release(KEY, owner="o-1")
    assert await mine.claim(notification(), owner="o-3", now=NOW + LEASE, lease=LEASE) is (
        ClaimResult.BUSY
    )
    await theirs.gone(KEY, owner="o-2")
    assert await mine.claim(notification(), owner="o-3", now=NOW + LEASE, lease=LEASE) is (
        ClaimResult.DONE
    )


async def test_remembered_claims_are_bounded_and_the_rest_read_their_pointer(
    azurite: Azurite, blob_storage: AzureBlobStorage
) -> None:
    async with counting_blob_storage(azurite, blob_storage.container_name) as (storage, calls):
        store = BlobNotifications(storage, remembered=2)
        for n in range(3):
            entry = notification(f"lead:1:user:u-{n}", user_id=f"u-{n}")
            await store.claim(entry, owner="o-1", now=NOW, lease=LEASE)
        reads = []
        for n in range(3):
            calls.clear()
            await store.sent(f"lead:1:user:u-{n}", owner="o-1", activity_id=f"act-{n}", now=NOW)
            reads.append((calls["GET"], calls["PUT"]))
        assert reads == [(2, 1), (0, 1), (0, 1)]  # u-0 forgotten: its pointer, then the entry
        copies = await store.copies("lead:1")
    assert [entry.activity_id for entry in copies] == ["act-0", "act-1", "act-2"]

"""D3: a proposal on the Blob store is one write, however many changes are stored; expired
ones (and old seen activities) are swept in the background, bounded, under If-Match (safe with
several instances), by one sweeper per prefix that runs while the state is open."""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bench.pending_blobs import (
    NOW,
    counting_blob_storage,
    mixed_changes,
    pending_change,
    store_pending_blobs,
)
from bot.domain.pending import ClaimOutcome, PendingState
from bot.state.backends import open_state
from bot.state.blob_outbox import ENTRIES as OUTBOX_ENTRIES
from bot.state.blob_outbox import POINTERS as OUTBOX_POINTERS
from bot.state.blob_pending_changes import PREFIX, BlobPendingChanges, sweepable
from bot.state.blob_seen import PREFIX as SEEN_PREFIX
from bot.state.blob_seen import BlobSeenActivities
from bot.state.blob_storage import AzureBlobStorage, Listed, opened_blob_storage
from bot.state.blob_sweeper import BlobSweeper, SweepLimits, sweeping
from bot.state.referral_indexes import PREFIX as INDEX_PREFIX
from emulators.azurite import Azurite
from tests.support.azurite import blob_state, fresh_blob_storage

pytestmark = pytest.mark.slow  # Azurite (a Node process) for every test

EXPIRED = NOW - timedelta(hours=1)
STORED = 10_000


def sweeper(storage: AzureBlobStorage, **limits: Any) -> BlobSweeper:
    return BlobSweeper(
        storage,
        PREFIX,
        sweepable,
        SweepLimits(**limits),
        clock=lambda: NOW,
    )


async def stored_ids(storage: AzureBlobStorage, prefix: str = PREFIX) -> set[str]:
    ids: set[str] = set()
    cursor: str | None = None
    while True:
        page, cursor = await storage.list_page(prefix, continuation=cursor, page_size=5000)
        ids |= {item.key.removeprefix(prefix) for item in page}
        if cursor is None:
            return ids


async def test_bulk_stored_changes_are_what_put_stores(blob_storage: AzureBlobStorage) -> None:
    """The fast filler writes the same blobs as `put` (else the scale test proves nothing)."""
    store = BlobPendingChanges(blob_storage)
    await store.put(pending_change("by-put"))
    await store_pending_blobs(blob_storage, [pending_change("by-filler")])
    page, _ = await blob_storage.list_page(PREFIX, continuation=None, page_size=10)
    metadata = {item.key: item.metadata for item in page}
    assert metadata[PREFIX + "by-put"] == metadata[PREFIX + "by-filler"]
    assert await store.get("by-filler") == pending_change("by-filler")


@pytest.mark.timeout(600)  # filling 10,000 blobs takes Azurite 20-60 s on this machine
async def test_a_proposal_makes_the_same_storage_calls_with_10000_stored_changes(
    azurite: Azurite,
) -> None:
    container = f"scale-{uuid.uuid4().hex[:12]}"
    async with counting_blob_storage(azurite, container) as (storage, requests):
        await storage.create_container()
        store = BlobPendingChanges(storage)
        requests.clear()
        await store.put(pending_change("first"))
        with_none = Counter(requests)

        await store_pending_blobs(storage, mixed_changes(STORED))  # 2,000 of them expired
        later = NOW + timedelta(minutes=5)
        requests.clear()
        await store.put(pending_change("second", created_at=later))
        with_many = Counter(requests)

        assert with_none == with_many == Counter({"PUT": 1})  # one write, no list, no delete
        assert len(await stored_ids(storage)) == STORED + 2  # the expired wait for the sweeper


async def test_a_round_deletes_expired_unclaimed_changes_and_keeps_the_rest(
    blob_storage: AzureBlobStorage,
) -> None:
    changes = [
        pending_change("alive"),
        pending_change("expired", expires_at=EXPIRED),
        pending_change("expired-cancelled", expires_at=EXPIRED, state=PendingState.CANCELLED),
        pending_change("expired-applied", expires_at=EXPIRED, state=PendingState.APPLIED),
        pending_change("stuck-claim", expires_at=EXPIRED, state=PendingState.CLAIMED),
        pending_change("just-expired", expires_at=NOW - timedelta(minutes=5)),  # within grace
    ]
    await store_pending_blobs(blob_storage, changes)
    swept = await sweeper(blob_storage, page_size=2).sweep_once()
    assert (swept.listed, swept.deleted, swept.at_end) == (6, 3, True)
    assert await stored_ids(blob_storage) == {"alive", "stuck-claim", "just-expired"}
    store = BlobPendingChanges(blob_storage)
    claimed = await store.get("stuck-claim")
    assert claimed is not None
    assert claimed.state is PendingState.CLAIMED


async def test_a_change_rewritten_after_the_listing_is_not_deleted(
    blob_storage: AzureBlobStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = BlobPendingChanges(blob_storage)
    await store_pending_blobs(blob_storage, [pending_change("p-1", expires_at=EXPIRED)])
    listing = blob_storage.list_page

    async def list_then_rewrite(
        prefix: str, *, continuation: str | None, page_size: int
    ) -> tuple[list[Listed], str | None]:
        page = await listing(prefix, continuation=continuation, page_size=page_size)
        await store.put(pending_change("p-1"))  # proposed again between list and delete
        return page

    monkeypatch.setattr(blob_storage, "list_page", list_then_rewrite)
    swept = await sweeper(blob_storage).sweep_once()
    assert swept.deleted == 0
    assert (await store.claim("p-1", user_id="aad-alice", now=NOW))[0] is ClaimOutcome.CLAIMED


async def test_two_instances_sweeping_at_once_delete_each_change_once(azurite: Azurite) -> None:
    async with fresh_blob_storage(azurite) as one:
        changes = mixed_changes(200, expired_every=2)  # 100 expired
        await store_pending_blobs(one, changes)
        async with opened_blob_storage(azurite.connection_string, one.container_name) as other:
            rounds = await asyncio.gather(
                sweeper(one, page_size=50).sweep_once(), sweeper(other, page_size=50).sweep_once()
            )
        assert sum(swept.deleted for swept in rounds) == 100
        alive = {change.id for change in changes if change.expires_at > NOW}
        assert await stored_ids(one) == alive


async def test_a_round_is_bounded_and_the_next_goes_on_from_there(azurite: Azurite) -> None:
    async with fresh_blob_storage(azurite) as filler:
        await store_pending_blobs(filler, mixed_changes(60, expired_every=2))  # 30 expired
        async with counting_blob_storage(azurite, filler.container_name) as (storage, requests):
            bounded = sweeper(storage, page_size=4, max_pages=3, max_deletes=5, concurrency=2)
            first = await bounded.sweep_once()
            # pages of 4 hold 2 expired each: the third page has 1 more than the 5 allowed
            assert (first.listed, first.deleted, first.at_end) == (12, 5, False)
            requests.clear()
            second = await bounded.sweep_once()  # lists that third page again
            assert (second.listed, second.deleted, second.at_end) == (12, 5, False)
            assert requests == Counter({"GET": 3, "DELETE": 5})
            deleted = first.deleted + second.deleted
            while not (swept := await bounded.sweep_once()).at_end:
                deleted += swept.deleted
            assert deleted + swept.deleted == 30
            assert len(await stored_ids(storage)) == 30


async def test_the_sweeper_waits_jittered_intervals_and_logs_failed_rounds(
    azurite: Azurite, caplog: pytest.LogCaptureFixture
) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) > 3:
            raise asyncio.CancelledError

    async with counting_blob_storage(azurite, "no-such-container") as (storage, _):
        failing = replace(
            sweeper(storage, interval_seconds=100.0, jitter=0.2), sleep=sleep, rng=random.Random(7)
        )
        with caplog.at_level(logging.INFO), pytest.raises(asyncio.CancelledError):
            await failing.run()
    assert 0 <= waits[0] <= 100
    assert all(80 <= wait <= 120 for wait in waits[1:])
    assert len(set(waits)) == len(waits)
    failures = [r for r in caplog.records if r.getMessage().startswith("state.sweep.failed")]
    assert len(failures) == 3
    assert "no-such-container" in failures[0].getMessage()


async def test_the_app_state_sweeps_while_open_and_stops_the_sweeper_on_exit(
    azurite: Azurite, blob_storage: AzureBlobStorage
) -> None:
    settings = blob_state(azurite, blob_storage.container_name, blob_sweep_interval_seconds=0.05)
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    await store_pending_blobs(
        blob_storage,
        [
            pending_change("old", created_at=long_ago),
            pending_change("alive", expires_at=datetime(2100, 1, 1, tzinfo=UTC)),
        ],
    )
    async with open_state(settings):
        sweepers = [t for t in asyncio.all_tasks() if t.get_name().startswith("blob-sweeper:")]
        assert sorted(t.get_name() for t in sweepers) == sorted(
            [
                f"blob-sweeper:{PREFIX}",
                f"blob-sweeper:{INDEX_PREFIX}",
                f"blob-sweeper:{SEEN_PREFIX}",
                f"blob-sweeper:{OUTBOX_ENTRIES}",
                f"blob-sweeper:{OUTBOX_POINTERS}",
            ]
        )
        for _ in range(400):  # a round every 0.05 s: gone within a few
            if "old" not in await stored_ids(blob_storage):
                break
            await asyncio.sleep(0.05)
    assert all(task.done() for task in sweepers)
    assert await stored_ids(blob_storage) == {"alive"}


async def test_sweeping_stops_a_sweeper_in_the_middle_of_a_round(
    blob_storage: AzureBlobStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = asyncio.Event()

    async def hang(
        prefix: str, *, continuation: str | None, page_size: int
    ) -> tuple[list[Listed], str | None]:
        listing.set()
        await asyncio.Event().wait()  # a list call that never answers
        return [], None

    monkeypatch.setattr(blob_storage, "list_page", hang)
    hanging = replace(sweeper(blob_storage, interval_seconds=0.01))
    async with sweeping(hanging) as task:
        await listing.wait()
    assert task.cancelled()


async def test_seen_activities_are_swept_once_neither_their_claim_nor_answer_counts(
    blob_storage: AzureBlobStorage,
) -> None:
    clock = [NOW.timestamp()]
    seen = BlobSeenActivities(blob_storage, id_ttl=600, answer_ttl=120, clock=lambda: clock[0])
    assert await seen.claim("old")
    clock[0] += 500
    assert await seen.claim("recent")
    await seen.remember("recent", (200, {"card": 1}))
    clock[0] += 200  # "old" was claimed 700 s ago, "recent" 200 s ago
    limits = SweepLimits(grace=timedelta(0))
    at = datetime.fromtimestamp(clock[0], UTC)
    swept = await BlobSweeper(
        blob_storage, SEEN_PREFIX, seen.sweepable, limits, clock=lambda: at
    ).sweep_once()
    assert (swept.listed, swept.deleted) == (2, 1)
    assert await stored_ids(blob_storage, SEEN_PREFIX) == {"recent"}
    assert not await seen.claim("recent")  # still counts
    assert await seen.answer("recent") is None  # its answer no longer does (120 s)


async def test_an_event_key_is_swept_only_after_its_own_longer_ttl(
    blob_storage: AzureBlobStorage,
) -> None:
    clock = [NOW.timestamp()]
    seen = BlobSeenActivities(
        blob_storage, id_ttl=600, prefix_ttls={"pc-event:": 7_200.0}, clock=lambda: clock[0]
    )
    assert await seen.claim("pc-event:e1")
    assert await seen.claim("activity")
    limits = SweepLimits(grace=timedelta(0))

    async def sweep_after(seconds: float) -> set[str]:
        clock[0] += seconds
        at = datetime.fromtimestamp(clock[0], UTC)
        sweeper = BlobSweeper(blob_storage, SEEN_PREFIX, seen.sweepable, limits, clock=lambda: at)
        await sweeper.sweep_once()
        return await stored_ids(blob_storage, SEEN_PREFIX)

    assert await sweep_after(700) == {"pc-event:e1"}
    assert not await seen.claim("pc-event:e1")
    assert await sweep_after(7_200) == set()

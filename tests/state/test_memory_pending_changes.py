"""What only the in-memory store promises: bounded size."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bench.pending_blobs import NOW
from bot.domain.pending import ClaimOutcome, PendingState
from bot.state.pending_changes import MemoryPendingChanges
from tests.state.test_pending_changes_contract import ALICE, make_pending


async def test_past_the_limit_the_change_closest_to_expiry_is_dropped() -> None:
    store = MemoryPendingChanges(max_entries=2)
    await store.put(make_pending("soon", expires_at=NOW + timedelta(minutes=5)))
    await store.put(make_pending("late", expires_at=NOW + timedelta(minutes=50)))
    await store.put(make_pending("newest"))
    assert len(store) == 2
    assert await store.get("soon") is None
    assert await store.get("late") is not None
    assert await store.get("newest") is not None


async def test_a_claimed_change_is_dropped_last() -> None:
    store = MemoryPendingChanges(max_entries=2)
    await store.put(make_pending("claimed", expires_at=NOW + timedelta(minutes=1)))
    await store.claim("claimed", user_id=ALICE, now=NOW)
    await store.put(make_pending("other"))
    await store.put(make_pending("newest"))
    assert await store.get("other") is None
    claimed = await store.get("claimed")
    assert claimed is not None
    assert claimed.state is PendingState.CLAIMED


async def test_a_claimed_change_survives_its_expiry_until_it_is_finished() -> None:
    store = MemoryPendingChanges()
    await store.put(make_pending("claimed"))
    assert (await store.claim("claimed", user_id=ALICE, now=NOW))[0] is ClaimOutcome.CLAIMED
    later = NOW + timedelta(hours=2)
    await store.put(make_pending("new", created_at=later, expires_at=later + timedelta(hours=1)))
    assert await store.get("claimed") is not None


def test_a_store_needs_room_for_one_change() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        MemoryPendingChanges(max_entries=0)


async def test_a_claimed_change_is_dropped_at_the_first_write_after_it_is_finished() -> None:
    store = MemoryPendingChanges()
    await store.put(make_pending("claimed"))
    _, claimed = await store.claim("claimed", user_id=ALICE, now=NOW)
    assert claimed is not None
    later = NOW + timedelta(hours=2)
    await store.put(make_pending("a", created_at=later, expires_at=later + timedelta(hours=1)))
    await store.finish("claimed", PendingState.APPLIED, owner=claimed.claim_owner)
    assert await store.get("claimed") is not None  # nothing written since
    await store.put(make_pending("b", created_at=later, expires_at=later + timedelta(hours=1)))
    assert await store.get("claimed") is None


async def test_a_change_put_again_with_a_later_expiry_outlives_its_first_one() -> None:
    store = MemoryPendingChanges()
    await store.put(make_pending("p", expires_at=NOW + timedelta(minutes=1)))
    await store.put(make_pending("p", expires_at=NOW + timedelta(hours=5)))
    later = NOW + timedelta(hours=1)
    await store.put(make_pending("new", created_at=later, expires_at=later + timedelta(hours=1)))
    assert await store.get("p") is not None


async def test_many_writes_keep_the_expiry_heap_bounded() -> None:
    store = MemoryPendingChanges(max_entries=10)
    for n in range(100):
        await store.put(make_pending(f"p-{n}", expires_at=NOW + timedelta(hours=1)))
    assert len(store) == 10
    assert len(store._expiries) <= 20

"""The PendingChanges contract: every store (memory now; SQLite and Blob in issue 6) passes it.

Add a store by adding a factory to STORE_FACTORIES: an async context manager yielding a fresh,
empty store.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from bench.pending_blobs import NOW, TTL, pending_change
from bot.domain.pending import (
    ClaimOutcome,
    PendingChange,
    PendingChanges,
    PendingState,
    batch_of,
)
from bot.state.blob_pending_changes import BlobPendingChanges
from bot.state.pending_changes import MemoryPendingChanges
from bot.state.sqlite_state import open_sqlite_state
from emulators.azurite import Azurite
from tests.support.azurite import fresh_blob_storage

LEASE = timedelta(seconds=80)
ALICE = "aad-alice"
BOB = "aad-bob"


@asynccontextmanager
async def memory_store() -> AsyncIterator[PendingChanges]:
    yield MemoryPendingChanges()


@asynccontextmanager
async def sqlite_store() -> AsyncIterator[PendingChanges]:
    with tempfile.TemporaryDirectory() as folder:
        async with open_sqlite_state(Path(folder) / "state.sqlite3") as durable:
            yield durable.pending


STORE_FACTORIES: dict[str, Callable[[], AbstractAsyncContextManager[PendingChanges]]] = {
    "memory": memory_store,
    "sqlite": sqlite_store,
}


@asynccontextmanager
async def blob_store(started: Azurite) -> AsyncIterator[PendingChanges]:
    async with fresh_blob_storage(started) as storage:
        yield BlobPendingChanges(storage)


@pytest.fixture(params=[*sorted(STORE_FACTORIES), pytest.param("blob", marks=pytest.mark.slow)])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[PendingChanges]:
    opening: AbstractAsyncContextManager[PendingChanges]
    if request.param == "blob":  # needs the session's Azurite (tests/support/azurite.py)
        opening = blob_store(request.getfixturevalue("azurite"))
    else:
        opening = STORE_FACTORIES[request.param]()
    async with opening as opened:
        yield opened


def make_pending(change_id: str = "p-1", *, proposer: str = ALICE, **fields: Any) -> PendingChange:
    """A pending change of ALICE's by default, created at NOW (bench/pending_blobs)."""
    return pending_change(change_id, proposer_id=proposer, **fields)


async def claimed_by(store: PendingChanges, change_id: str = "p-1") -> str:
    """Claims `change_id` as ALICE at NOW; the new claim's owner, which `finish` needs."""
    outcome, claimed = await store.claim(change_id, user_id=ALICE, now=NOW, lease=LEASE)
    assert outcome is ClaimOutcome.CLAIMED
    assert claimed is not None
    return claimed.claim_owner


async def test_a_stored_change_reads_back_unchanged(store: PendingChanges) -> None:
    change = make_pending()
    await store.put(change)
    assert await store.get("p-1") == change


async def test_a_batch_reads_back_with_its_items_in_order(store: PendingChanges) -> None:
    """Issue 16 §4: the batch a several-referral card points at lists its items in every store."""
    items = [make_pending(f"p-{n}") for n in (3, 1, 2)]
    for item in items:
        await store.put(item)
    batch = batch_of(items, "b-1")
    await store.put(batch)
    stored = await store.get("b-1")
    assert stored == batch
    assert stored.batch_items == ("p-3", "p-1", "p-2")
    assert stored.is_batch
    assert not items[0].is_batch


async def test_an_unknown_id_reads_as_none_and_cannot_be_claimed(store: PendingChanges) -> None:
    assert await store.get("nope") is None
    assert await store.claim("nope", user_id=ALICE, now=NOW) == (ClaimOutcome.NOT_FOUND, None)
    assert await store.cancel("nope", user_id=ALICE) is ClaimOutcome.NOT_FOUND


async def test_the_proposer_claims_a_pending_change(store: PendingChanges) -> None:
    await store.put(make_pending())
    outcome, claimed = await store.claim("p-1", user_id=ALICE, now=NOW)
    assert outcome is ClaimOutcome.CLAIMED
    assert claimed is not None
    assert claimed.state is PendingState.CLAIMED
    stored = await store.get("p-1")
    assert stored is not None
    assert stored.state is PendingState.CLAIMED


async def test_someone_else_cannot_claim_and_the_change_stays_pending(
    store: PendingChanges,
) -> None:
    await store.put(make_pending())
    outcome, change = await store.claim("p-1", user_id=BOB, now=NOW)
    assert outcome is ClaimOutcome.NOT_PROPOSER
    assert change is not None
    assert change.proposer_name == "Alice Seller"
    assert (await store.claim("p-1", user_id=ALICE, now=NOW))[0] is ClaimOutcome.CLAIMED


async def test_a_claimed_change_is_in_progress_for_a_second_click(store: PendingChanges) -> None:
    await store.put(make_pending())
    await store.claim("p-1", user_id=ALICE, now=NOW)
    assert (await store.claim("p-1", user_id=ALICE, now=NOW))[0] is ClaimOutcome.IN_PROGRESS


async def test_fifty_concurrent_claims_let_exactly_one_win(store: PendingChanges) -> None:
    await store.put(make_pending())
    results = await asyncio.gather(*(store.claim("p-1", user_id=ALICE, now=NOW) for _ in range(50)))
    outcomes = [outcome for outcome, _ in results]
    assert outcomes.count(ClaimOutcome.CLAIMED) == 1
    assert outcomes.count(ClaimOutcome.IN_PROGRESS) == 49


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (TTL - timedelta(seconds=1), ClaimOutcome.CLAIMED),
        (TTL, ClaimOutcome.EXPIRED),
        (TTL + timedelta(days=1), ClaimOutcome.EXPIRED),
    ],
)
async def test_a_change_expires_at_its_expiry_time(
    store: PendingChanges, offset: timedelta, expected: ClaimOutcome
) -> None:
    await store.put(make_pending())
    outcome, _ = await store.claim("p-1", user_id=ALICE, now=NOW + offset)
    assert outcome is expected


async def test_expiry_compares_instants_across_time_zones(store: PendingChanges) -> None:
    await store.put(make_pending())
    berlin_later = (NOW + TTL + timedelta(minutes=1)).astimezone(timezone(timedelta(hours=1)))
    assert (await store.claim("p-1", user_id=ALICE, now=berlin_later))[0] is ClaimOutcome.EXPIRED


async def test_an_applied_change_answers_already_applied(store: PendingChanges) -> None:
    await store.put(make_pending())
    owner = await claimed_by(store)
    await store.finish("p-1", PendingState.APPLIED, owner=owner)
    outcome, change = await store.claim("p-1", user_id=ALICE, now=NOW)
    assert outcome is ClaimOutcome.ALREADY_APPLIED
    assert change is not None
    assert change.state is PendingState.APPLIED


async def test_finishing_as_pending_releases_the_claim(store: PendingChanges) -> None:
    await store.put(make_pending())
    owner = await claimed_by(store)
    await store.finish("p-1", PendingState.PENDING, owner=owner)
    assert (await store.claim("p-1", user_id=ALICE, now=NOW))[0] is ClaimOutcome.CLAIMED


async def test_a_superseded_change_cannot_be_claimed_and_says_so(store: PendingChanges) -> None:
    await store.put(make_pending())
    owner = await claimed_by(store)
    await store.finish("p-1", PendingState.SUPERSEDED, owner=owner)
    outcome, change = await store.claim("p-1", user_id=ALICE, now=NOW)
    assert outcome is ClaimOutcome.EXPIRED
    assert change is not None
    assert change.state is PendingState.SUPERSEDED


async def test_finish_leaves_a_change_that_is_not_claimed_alone(store: PendingChanges) -> None:
    await store.put(make_pending())
    await store.finish("p-1", PendingState.APPLIED, owner="")
    stored = await store.get("p-1")
    assert stored is not None
    assert stored.state is PendingState.PENDING


async def test_finish_of_an_unknown_change_is_harmless(store: PendingChanges) -> None:
    await store.finish("nope", PendingState.APPLIED, owner="someone")
    assert await store.get("nope") is None


async def test_a_claim_cannot_finish_as_claimed(store: PendingChanges) -> None:
    await store.put(make_pending())
    owner = await claimed_by(store)
    with pytest.raises(ValueError, match="cannot finish"):
        await store.finish("p-1", PendingState.CLAIMED, owner=owner)


async def test_the_proposer_cancels_and_then_nobody_can_claim(store: PendingChanges) -> None:
    await store.put(make_pending())
    assert await store.cancel("p-1", user_id=ALICE) is ClaimOutcome.CANCELLED
    assert (await store.claim("p-1", user_id=ALICE, now=NOW))[0] is ClaimOutcome.CANCELLED
    assert await store.cancel("p-1", user_id=ALICE) is ClaimOutcome.CANCELLED


async def test_someone_else_cannot_cancel(store: PendingChanges) -> None:
    await store.put(make_pending())
    assert await store.cancel("p-1", user_id=BOB) is ClaimOutcome.NOT_PROPOSER
    stored = await store.get("p-1")
    assert stored is not None
    assert stored.state is PendingState.PENDING


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (PendingState.CLAIMED, ClaimOutcome.IN_PROGRESS),
        (PendingState.APPLIED, ClaimOutcome.ALREADY_APPLIED),
    ],
)
async def test_cancel_does_not_undo_a_change_being_or_already_applied(
    store: PendingChanges, state: PendingState, expected: ClaimOutcome
) -> None:
    await store.put(make_pending())
    owner = await claimed_by(store)
    if state is PendingState.APPLIED:
        await store.finish("p-1", PendingState.APPLIED, owner=owner)
    assert await store.cancel("p-1", user_id=ALICE) is expected
    stored = await store.get("p-1")
    assert stored is not None
    assert stored.state is state


async def test_putting_a_new_proposal_keeps_others_independent(store: PendingChanges) -> None:
    await store.put(make_pending("p-1"))
    await store.put(make_pending("p-2", proposer=BOB))
    assert (await store.claim("p-1", user_id=ALICE, now=NOW))[0] is ClaimOutcome.CLAIMED
    assert (await store.claim("p-2", user_id=BOB, now=NOW))[0] is ClaimOutcome.CLAIMED


@pytest.fixture(params=sorted(STORE_FACTORIES))
async def pruning_store(request: pytest.FixtureRequest) -> AsyncIterator[PendingChanges]:
    """Memory and SQLite prune on put (bounded); Blob leaves expired changes to its background
    sweeper, so that a put is one write (tests/state/blob/test_blob_sweep.py)."""
    async with STORE_FACTORIES[request.param]() as opened:
        yield opened


async def test_expired_entries_are_dropped_when_new_ones_arrive(
    pruning_store: PendingChanges,
) -> None:
    store = pruning_store
    await store.put(make_pending("old"))
    later = NOW + TTL + timedelta(minutes=1)
    await store.put(make_pending("new", created_at=later, expires_at=later + TTL))
    assert await store.get("old") is None
    assert await store.get("new") is not None


async def test_a_change_put_again_replaces_the_stored_one(store: PendingChanges) -> None:
    await store.put(make_pending())
    await store.put(replace(make_pending(), etag='"etag-2"'))
    stored = await store.get("p-1")
    assert stored is not None
    assert stored.etag == '"etag-2"'


# The claim is a lease: a holder that crashed mid-PATCH must not strand the change (issue 13, D2).


async def test_a_claim_holds_a_lease_with_an_owner(store: PendingChanges) -> None:
    await store.put(make_pending())
    _, claimed = await store.claim("p-1", user_id=ALICE, now=NOW, lease=LEASE)
    stored = await store.get("p-1")
    assert claimed is not None
    assert stored is not None
    assert claimed.claim_owner
    assert stored.claim_owner == claimed.claim_owner
    assert stored.lease_until == claimed.lease_until == NOW + LEASE


async def test_within_its_lease_a_claim_is_in_progress(store: PendingChanges) -> None:
    await store.put(make_pending())
    await claimed_by(store)
    just_before = NOW + LEASE - timedelta(seconds=1)
    outcome, _ = await store.claim("p-1", user_id=ALICE, now=just_before, lease=LEASE)
    assert outcome is ClaimOutcome.IN_PROGRESS


@pytest.mark.parametrize("after", [LEASE, TTL + timedelta(days=1)])
async def test_the_proposer_takes_over_a_claim_whose_lease_ran_out(
    store: PendingChanges, after: timedelta
) -> None:
    """Even past the change's own expiry: the seller must learn whether it was saved."""
    await store.put(make_pending())
    first = await claimed_by(store)
    outcome, taken = await store.claim("p-1", user_id=ALICE, now=NOW + after, lease=LEASE)
    assert outcome is ClaimOutcome.RECLAIMED
    assert taken is not None
    assert taken.state is PendingState.CLAIMED
    assert taken.claim_owner not in ("", first)
    assert taken.lease_until == NOW + after + LEASE
    again, _ = await store.claim("p-1", user_id=ALICE, now=NOW + after, lease=LEASE)
    assert again is ClaimOutcome.IN_PROGRESS  # the new holder's lease runs now


async def test_only_the_proposer_takes_over_an_ended_lease(store: PendingChanges) -> None:
    await store.put(make_pending())
    await claimed_by(store)
    outcome, _ = await store.claim("p-1", user_id=BOB, now=NOW + LEASE, lease=LEASE)
    assert outcome is ClaimOutcome.NOT_PROPOSER


async def test_a_late_finish_from_a_taken_over_holder_changes_nothing(
    store: PendingChanges,
) -> None:
    await store.put(make_pending())
    first = await claimed_by(store)
    _, taken = await store.claim("p-1", user_id=ALICE, now=NOW + LEASE, lease=LEASE)
    assert taken is not None
    await store.finish("p-1", PendingState.PENDING, owner=first)
    stored = await store.get("p-1")
    assert stored is not None
    assert (stored.state, stored.claim_owner) == (PendingState.CLAIMED, taken.claim_owner)
    await store.finish("p-1", PendingState.APPLIED, owner=taken.claim_owner)
    stored = await store.get("p-1")
    assert stored is not None
    assert stored.state is PendingState.APPLIED


async def test_fifty_concurrent_takeovers_let_exactly_one_win(store: PendingChanges) -> None:
    await store.put(make_pending())
    await claimed_by(store)
    later = NOW + LEASE
    results = await asyncio.gather(
        *(store.claim("p-1", user_id=ALICE, now=later, lease=LEASE) for _ in range(50))
    )
    outcomes = [outcome for outcome, _ in results]
    assert outcomes.count(ClaimOutcome.RECLAIMED) == 1
    assert outcomes.count(ClaimOutcome.IN_PROGRESS) == 49


async def test_a_claim_stored_without_a_lease_can_be_taken_over(store: PendingChanges) -> None:
    """A change claimed by a version without leases (no owner, no lease) is not stuck."""
    await store.put(make_pending(state=PendingState.CLAIMED))
    outcome, taken = await store.claim("p-1", user_id=ALICE, now=NOW, lease=LEASE)
    assert outcome is ClaimOutcome.RECLAIMED
    assert taken is not None
    assert taken.lease_until == NOW + LEASE

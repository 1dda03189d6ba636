"""The Leases contract: one owner at a time, in every backend and across two instances."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tests.state.proactive_stores import NOW, Twin

TTL = timedelta(minutes=5)
JOB = "scheduler"


async def test_a_free_lease_is_acquired_and_then_refused_to_others(twin: Twin) -> None:
    assert await twin.a.leases.acquire(JOB, owner="i-1", now=NOW, ttl=TTL)
    assert not await twin.b.leases.acquire(JOB, owner="i-2", now=NOW, ttl=TTL)
    assert not await twin.b.leases.acquire(JOB, owner="i-2", now=NOW + TTL / 2, ttl=TTL)


async def test_the_owner_renews_and_the_renewal_extends_it(twin: Twin) -> None:
    assert await twin.a.leases.acquire(JOB, owner="i-1", now=NOW, ttl=TTL)
    renewed_at = NOW + TTL - timedelta(seconds=1)
    assert await twin.a.leases.acquire(JOB, owner="i-1", now=renewed_at, ttl=TTL)
    assert not await twin.b.leases.acquire(JOB, owner="i-2", now=NOW + TTL, ttl=TTL)
    assert await twin.b.leases.acquire(JOB, owner="i-2", now=renewed_at + TTL, ttl=TTL)


async def test_another_owner_gets_it_once_the_ttl_ran_out(twin: Twin) -> None:
    assert await twin.a.leases.acquire(JOB, owner="i-1", now=NOW, ttl=TTL)
    assert await twin.b.leases.acquire(JOB, owner="i-2", now=NOW + TTL, ttl=TTL)
    assert not await twin.a.leases.acquire(JOB, owner="i-1", now=NOW + TTL, ttl=TTL)


async def test_release_frees_it_at_once(twin: Twin) -> None:
    assert await twin.a.leases.acquire(JOB, owner="i-1", now=NOW, ttl=TTL)
    await twin.a.leases.release(JOB, owner="i-1")
    assert await twin.b.leases.acquire(JOB, owner="i-2", now=NOW, ttl=TTL)


async def test_release_by_another_owner_changes_nothing(twin: Twin) -> None:
    assert await twin.a.leases.acquire(JOB, owner="i-1", now=NOW, ttl=TTL)
    await twin.b.leases.release(JOB, owner="i-2")
    await twin.b.leases.release("another-job", owner="i-2")
    assert not await twin.b.leases.acquire(JOB, owner="i-2", now=NOW, ttl=TTL)


async def test_leases_of_different_names_are_independent(twin: Twin) -> None:
    assert await twin.a.leases.acquire("reminders", owner="i-1", now=NOW, ttl=TTL)
    assert await twin.b.leases.acquire("digests", owner="i-2", now=NOW, ttl=TTL)


async def test_two_instances_racing_for_a_free_lease_let_one_win(twin: Twin) -> None:
    stores = [twin.a.leases, twin.b.leases]
    results = await asyncio.gather(
        *(stores[n % 2].acquire(JOB, owner=f"i-{n}", now=NOW, ttl=TTL) for n in range(20))
    )
    assert results.count(True) == 1


async def test_two_instances_racing_for_a_run_out_lease_let_one_win(twin: Twin) -> None:
    assert await twin.a.leases.acquire(JOB, owner="dead", now=NOW, ttl=TTL)
    stores = [twin.a.leases, twin.b.leases]
    results = await asyncio.gather(
        *(stores[n % 2].acquire(JOB, owner=f"i-{n}", now=NOW + TTL, ttl=TTL) for n in range(20))
    )
    assert results.count(True) == 1

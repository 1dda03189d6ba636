"""One contract for every SeenActivities store: memory, SQLite (one file) and Blob (Azurite).

The shared stores get two handles on one store (two processes' worth), so "first claim wins"
is proven across them, not only within one object.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest

from bot.state.blob_seen import BlobSeenActivities
from bot.state.blob_storage import AzureBlobStorage
from bot.state.seen import MemorySeenActivities, SeenActivities
from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_seen import SqliteSeenActivities
from emulators.azurite import Azurite
from tests.support.azurite import fresh_blob_storage

Make = Callable[..., SeenActivities]  # (id_ttl=, answer_ttl=, clock=, handle=0|1)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0  # wall-clock seconds: the shared stores compare them

    def __call__(self) -> float:
        return self.now


def big_card() -> dict[str, Any]:
    """About 40 KB, as a before/after card for a long referral is."""
    rows = [{"type": "TextBlock", "text": f"row {n} " + "x" * 380} for n in range(100)]
    return {"type": "AdaptiveCard", "version": "1.5", "body": rows}


@pytest.fixture(params=["memory", "sqlite", pytest.param("blob", marks=pytest.mark.slow)])
async def make(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Make]:
    async with AsyncExitStack() as stack:
        if request.param == "memory":
            shared: dict[int, MemorySeenActivities] = {}

            def memory(handle: int = 0, **options: Any) -> SeenActivities:
                return shared.setdefault(0, MemorySeenActivities(**options))

            yield memory
        elif request.param == "sqlite":
            databases = [await SqliteDatabase.open(tmp_path / "seen.sqlite3") for _ in range(2)]
            for database in databases:
                stack.push_async_callback(database.aclose)
            yield lambda handle=0, **options: SqliteSeenActivities(databases[handle], **options)
        else:
            stores = await _two_blob_handles(request.getfixturevalue("azurite"), stack)
            yield lambda handle=0, **options: BlobSeenActivities(stores[handle], **options)


async def _two_blob_handles(azurite: Azurite, stack: AsyncExitStack) -> list[AzureBlobStorage]:
    first = await stack.enter_async_context(fresh_blob_storage(azurite))
    second = AzureBlobStorage.from_connection_string(
        azurite.connection_string, first.container_name
    )
    stack.push_async_callback(second.close)
    return [first, second]


async def test_the_first_claim_wins_until_the_id_expires(make: Make) -> None:
    clock = FakeClock()
    seen = make(id_ttl=10.0, clock=clock)

    assert await seen.claim("a") is True
    assert await seen.claim("a") is False
    assert await seen.claim("b") is True
    clock.now += 11.0
    assert await seen.claim("a") is True
    assert await seen.claim("a") is False


async def test_answers_expire_sooner_and_forget_releases_a_claim(make: Make) -> None:
    clock = FakeClock()
    seen = make(answer_ttl=5.0, clock=clock)
    await seen.claim("a")
    assert await seen.answer("a") is None  # claimed, not answered yet
    await seen.remember("a", (200, None))
    assert await seen.answer("a") == (200, None)
    clock.now += 6.0

    assert await seen.answer("a") is None
    assert await seen.claim("a") is False  # the id outlives its answer
    await seen.forget("a")
    assert await seen.claim("a") is True


async def test_a_whole_card_answer_is_served_to_another_handle(make: Make) -> None:
    card = big_card()
    first, other = make(handle=0), make(handle=1)
    await first.claim("k")
    await first.remember("k", (200, {"statusCode": 200, "value": card}))

    assert await other.claim("k") is False
    assert await other.answer("k") == (200, {"statusCode": 200, "value": card})


async def test_twenty_concurrent_claims_over_two_handles_have_one_winner(make: Make) -> None:
    handles = [make(handle=0), make(handle=1)] * 10

    won = await asyncio.gather(*(seen.claim("same") for seen in handles))

    assert won.count(True) == 1


async def test_a_prefix_keeps_its_keys_for_its_own_longer_ttl(make: Make) -> None:
    clock = FakeClock()
    seen = make(id_ttl=10.0, prefix_ttls={"pc-event:": 1_000.0}, clock=clock)
    assert await seen.claim("pc-event:e1") is True
    assert await seen.claim("activity") is True
    clock.now += 61.0  # past id_ttl, and past the SQLite sweep interval: the next claim sweeps

    assert await seen.claim("other") is True
    assert await seen.claim("activity") is True  # expired after id_ttl
    assert await seen.claim("pc-event:e1") is False  # kept: a redelivery hours later is caught
    clock.now += 1_000.0
    assert await seen.claim("pc-event:e1") is True


async def test_a_prefixed_key_is_seen_by_the_other_handle_and_can_be_forgotten(
    make: Make,
) -> None:
    ttls = {"pc-event:": 1_000.0}
    first, other = make(handle=0, prefix_ttls=ttls), make(handle=1, prefix_ttls=ttls)
    assert await first.claim("pc-event:e2") is True

    assert await other.claim("pc-event:e2") is False
    await first.forget("pc-event:e2")
    assert await other.claim("pc-event:e2") is True

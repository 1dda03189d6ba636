"""One contract for every referral index store: memory, SQLite (one file) and Blob (Azurite).

Each backend comes as a `Rig`: the store, a look at what it holds at rest (bytes and last use,
read past the store), the names it stores under, and its way of pruning unused indexes (the
SQLite and memory stores' own, the Blob store's background sweeper).
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from bot.auth.sealed_store import ByteStore, EncryptedByteStore
from bot.state.blob_referral_indexes import BlobReferralIndexes
from bot.state.blob_storage import AzureBlobStorage
from bot.state.blob_sweeper import BlobSweeper, SweepLimits
from bot.state.referral_indexes import PREFIX, IndexAges, MemoryReferralIndexes, stored_name
from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_referral_indexes import SqliteReferralIndexes
from tests.support.azurite import fresh_blob_storage

DAY = 24 * 3600.0
HOUR = 3600.0
AGES = IndexAges(unused_after=30 * DAY, touch_every=HOUR)
TENANT, ALICE, MALLORY = "tenant-7c1f", "oid-alice-5d2e", "oid-mallory-90ab"
ALICE_KEY, MALLORY_KEY = f"{TENANT}/{ALICE}", f"{TENANT}/{MALLORY}"
MARKER = b"Contoso Fabrikam merger - confidential deal size 1,234,567 USD"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0  # wall-clock seconds: the shared stores compare them

    def __call__(self) -> float:
        return self.now


@dataclass
class Rig:
    store: ByteStore
    at_rest: Callable[[str], Awaitable[tuple[bytes, float] | None]]  # seller key -> stored
    names: Callable[[], Awaitable[list[str]]]  # every name stored under
    prune: Callable[[], Awaitable[object]]


def new_key() -> SecretStr:
    return SecretStr(Fernet.generate_key().decode())


def an_index(size: int = 1_500_000) -> bytes:
    """A compressed index is close to random bytes; the marker is a referral's text in it."""
    return os.urandom(size // 2) + MARKER + os.urandom(size // 2)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["memory", "sqlite", pytest.param("blob", marks=pytest.mark.slow)])
async def rig(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[Rig]:
    async with AsyncExitStack() as stack:
        if request.param == "memory":
            yield _memory_rig(clock)
        elif request.param == "sqlite":
            database = await SqliteDatabase.open(tmp_path / "indexes.sqlite3")
            stack.push_async_callback(database.aclose)
            yield _sqlite_rig(database, clock)
        else:
            azurite = request.getfixturevalue("azurite")
            storage = await stack.enter_async_context(fresh_blob_storage(azurite))
            yield _blob_rig(storage, clock)


def _memory_rig(clock: FakeClock) -> Rig:
    store = MemoryReferralIndexes(AGES, clock)

    async def at_rest(key: str) -> tuple[bytes, float] | None:
        return store.stored(key)

    async def names() -> list[str]:
        return list(store._entries)

    return Rig(store, at_rest, names, store.prune_unused)


def _sqlite_rig(database: SqliteDatabase, clock: FakeClock) -> Rig:
    store = SqliteReferralIndexes(database, AGES, clock)

    async def at_rest(key: str) -> tuple[bytes, float] | None:
        sql = "SELECT blob, last_used FROM referral_indexes WHERE name = ?"
        row = await database.run(lambda c: c.execute(sql, (stored_name(key),)).fetchone())
        return None if row is None else (bytes(row[0]), float(row[1]))

    async def names() -> list[str]:
        sql = "SELECT name FROM referral_indexes"
        rows = await database.run(lambda c: c.execute(sql).fetchall())
        return [row[0] for row in rows]

    return Rig(store, at_rest, names, store.prune_unused)


def _blob_rig(storage: AzureBlobStorage, clock: FakeClock) -> Rig:
    store = BlobReferralIndexes(storage, AGES, clock)
    sweeper = BlobSweeper(
        storage,
        PREFIX,
        store.sweepable,
        SweepLimits(grace=timedelta(0)),
        clock=lambda: datetime.fromtimestamp(clock.now, UTC),
    )

    async def at_rest(key: str) -> tuple[bytes, float] | None:
        found = await storage.read_raw(PREFIX + stored_name(key))
        return None if found is None else (found.body, float(found.metadata["last_used"]))

    async def names() -> list[str]:
        page, _ = await storage.list_page("", continuation=None, page_size=100)
        return [item.key for item in page]

    return Rig(store, at_rest, names, sweeper.sweep_once)


async def test_an_index_round_trips_and_a_missing_one_is_none(rig: Rig) -> None:
    index = an_index()
    await rig.store.save(ALICE_KEY, index)

    assert await rig.store.load(ALICE_KEY) == index
    assert await rig.store.load(MALLORY_KEY) is None
    await rig.store.save(ALICE_KEY, b"rebuilt")
    assert await rig.store.load(ALICE_KEY) == b"rebuilt"


async def test_a_sealed_index_is_ciphertext_at_rest_under_a_name_without_ids(rig: Rig) -> None:
    sealed = EncryptedByteStore(rig.store, new_key(), kind="referral_index")
    index = an_index(200_000)
    await sealed.save(ALICE_KEY, index)

    stored = await rig.at_rest(ALICE_KEY)
    assert stored is not None
    assert MARKER not in stored[0]
    assert index[:64] not in stored[0]
    names = await rig.names()
    assert len(names) == 1
    assert TENANT not in names[0]
    assert ALICE not in names[0]
    assert await sealed.load(ALICE_KEY) == index


async def test_an_index_copied_to_another_sellers_key_reads_as_empty(rig: Rig) -> None:
    sealed = EncryptedByteStore(rig.store, new_key(), kind="referral_index")
    await sealed.save(ALICE_KEY, MARKER)
    copied = await rig.store.load(ALICE_KEY)
    assert copied is not None
    await rig.store.save(MALLORY_KEY, copied)  # as an admin with storage access could

    assert await sealed.load(MALLORY_KEY) is None
    assert await sealed.load(ALICE_KEY) == MARKER


async def test_an_index_sealed_with_another_key_reads_as_empty(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    await EncryptedByteStore(rig.store, new_key(), kind="referral_index").save(ALICE_KEY, MARKER)

    with caplog.at_level(logging.WARNING):
        loaded = await EncryptedByteStore(rig.store, new_key(), kind="referral_index").load(
            ALICE_KEY
        )

    assert loaded is None
    assert "auth.referral_index.unreadable" in caplog.text
    assert MARKER.decode() not in caplog.text
    assert ALICE not in caplog.text


async def test_delete_forgets_one_sellers_index_only(rig: Rig) -> None:
    await rig.store.save(ALICE_KEY, b"alice")
    await rig.store.save(MALLORY_KEY, b"mallory")

    await rig.store.delete(ALICE_KEY)
    await rig.store.delete(ALICE_KEY)  # again: nothing there, no error

    assert await rig.store.load(ALICE_KEY) is None
    assert await rig.at_rest(ALICE_KEY) is None
    assert await rig.store.load(MALLORY_KEY) == b"mallory"


async def test_an_index_unused_for_the_configured_time_is_deleted(
    rig: Rig, clock: FakeClock
) -> None:
    await rig.store.save(ALICE_KEY, b"old")
    clock.now += 20 * DAY
    await rig.store.save(MALLORY_KEY, b"recent")
    clock.now += 10 * DAY + HOUR  # alice's: 30 days and an hour unused; mallory's: 10 days

    assert await rig.store.load(ALICE_KEY) is None  # already reads as gone...
    await rig.prune()

    assert await rig.at_rest(ALICE_KEY) is None  # ...and is deleted
    assert await rig.at_rest(MALLORY_KEY) is not None
    assert await rig.store.load(MALLORY_KEY) == b"recent"


async def test_reading_an_index_keeps_it(rig: Rig, clock: FakeClock) -> None:
    await rig.store.save(ALICE_KEY, b"in use")
    clock.now += 29 * DAY
    assert await rig.store.load(ALICE_KEY) == b"in use"
    clock.now += 29 * DAY  # 58 days after the save, 29 after the last read

    await rig.prune()

    assert await rig.store.load(ALICE_KEY) == b"in use"


async def test_a_read_rewrites_the_last_use_at_most_once_an_hour(
    rig: Rig, clock: FakeClock
) -> None:
    saved_at = clock.now
    await rig.store.save(ALICE_KEY, b"index")
    for minutes in (1, 10, 59):
        clock.now = saved_at + minutes * 60
        assert await rig.store.load(ALICE_KEY) == b"index"
        assert await _last_used(rig) == saved_at  # no write for these reads

    clock.now = touched_at = saved_at + 61 * 60
    assert await rig.store.load(ALICE_KEY) == b"index"
    assert await _last_used(rig) == touched_at
    clock.now += 30 * 60
    assert await rig.store.load(ALICE_KEY) == b"index"
    assert await _last_used(rig) == touched_at


async def _last_used(rig: Rig) -> float:
    stored = await rig.at_rest(ALICE_KEY)
    assert stored is not None
    return stored[1]

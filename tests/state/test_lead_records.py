"""StorageLeadRecords over each backend's Storage (memory, SQLite, Blob on Azurite): decisions,
each recipient's Accept/Decline ids and the remembered reader, shared by two handles (two
instances' worth), with no referral or user id in a storage key."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest
from botbuilder.core import Storage

from bot.domain.leads import LeadDecision, LeadOffer, LeadOutcome
from bot.state.blob_storage import AzureBlobStorage
from bot.state.lead_records import StorageLeadRecords
from bot.state.memory_storage import VersionedMemoryStorage
from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_storage import SqliteStorage
from tests.support.azurite import fresh_blob_storage

Handles = Callable[[int], StorageLeadRecords]
DECIDED = LeadDecision(
    "6b0a6f3e-8c1d-4f5e-9a7b-2c3d4e5f6a7b",
    LeadOutcome.DECLINED,
    datetime(2026, 12, 7, 9, 42, tzinfo=UTC),
    "Megan Bowen",
    "aad-megan",
    "Outside our region",
)


@pytest.fixture(params=["memory", "sqlite", pytest.param("blob", marks=pytest.mark.slow)])
async def stores(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[list[Storage]]:
    async with AsyncExitStack() as stack:
        if request.param == "memory":
            shared = VersionedMemoryStorage()
            yield [shared, shared]
        elif request.param == "sqlite":
            databases = [await SqliteDatabase.open(tmp_path / "leads.sqlite3") for _ in range(2)]
            for database in databases:
                stack.push_async_callback(database.aclose)
            yield [SqliteStorage(database) for database in databases]
        else:
            azurite = request.getfixturevalue("azurite")
            first = await stack.enter_async_context(fresh_blob_storage(azurite))
            second = AzureBlobStorage.from_connection_string(
                azurite.connection_string, first.container_name
            )
            stack.push_async_callback(second.close)
            yield [first, second]


async def test_a_decision_recorded_by_one_instance_is_read_by_another(
    stores: list[Storage],
) -> None:
    mine, theirs = StorageLeadRecords(stores[0]), StorageLeadRecords(stores[1])

    assert await theirs.decision(DECIDED.referral_id) is None
    await mine.decide(DECIDED)

    assert await theirs.decision(DECIDED.referral_id) == DECIDED
    assert await theirs.decision("another-lead") is None


async def test_each_recipients_offer_is_kept_apart(stores: list[Storage]) -> None:
    mine, theirs = StorageLeadRecords(stores[0]), StorageLeadRecords(stores[1])
    megan = LeadOffer("lead-1", "aad-megan", "acc-1", "dec-1", '"etag-1"')
    alex = LeadOffer("lead-1", "aad-alex", "acc-2", "dec-2", '"etag-1"')

    await mine.offer_made(megan)
    await mine.offer_made(alex)
    await mine.offer_made(LeadOffer("lead-1", "aad-megan", "acc-3", "dec-3", '"etag-2"'))

    assert await theirs.offer("lead-1", "aad-alex") == alex
    assert await theirs.offer("lead-1", "aad-megan") == LeadOffer(
        "lead-1", "aad-megan", "acc-3", "dec-3", '"etag-2"'
    )
    assert await theirs.offer("lead-2", "aad-megan") is None


async def test_the_remembered_reader_is_shared_and_can_be_forgotten(
    stores: list[Storage],
) -> None:
    mine, theirs = StorageLeadRecords(stores[0]), StorageLeadRecords(stores[1])

    await mine.remember_reader("tenant-1", "aad-ada")
    assert await theirs.reader() == ("tenant-1", "aad-ada")
    await theirs.forget_reader()
    assert await mine.reader() is None


async def test_no_referral_or_user_id_appears_in_a_storage_key() -> None:
    storage = VersionedMemoryStorage()
    records = StorageLeadRecords(storage)
    await records.decide(DECIDED)
    await records.offer_made(LeadOffer(DECIDED.referral_id, "aad-megan", "a", "d", "e"))

    keys = " ".join(storage.memory)
    assert DECIDED.referral_id not in keys
    assert "aad-megan" not in keys


async def test_an_unreadable_decision_reads_as_none() -> None:
    storage = VersionedMemoryStorage()
    records = StorageLeadRecords(storage)
    await records.decide(DECIDED)
    [key] = list(storage.memory)
    await storage.write({key: {"outcome": "vanished", "e_tag": "*"}})

    assert await records.decision(DECIDED.referral_id) is None

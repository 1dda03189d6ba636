"""`open_state` picks the backend from settings; a blob backend checks its container at start."""

from __future__ import annotations

from pathlib import Path

import pytest
from botbuilder.core import MemoryStorage
from cryptography.fernet import Fernet
from pydantic import SecretStr

from bot.auth.sealed_store import EncryptedByteStore
from bot.settings import StateBackend, StateSettings
from bot.state.backends import open_state
from bot.state.blob_leases import BlobLeases
from bot.state.blob_outbox import BlobNotifications
from bot.state.blob_recipients import BlobChannelSubscriptions, BlobRecipients
from bot.state.blob_referral_indexes import BlobReferralIndexes
from bot.state.blob_seen import BlobSeenActivities
from bot.state.blob_storage import AzureBlobStorage
from bot.state.errors import StorageUnavailableError
from bot.state.outbox import MemoryNotifications
from bot.state.referral_indexes import PREFIX as INDEX_PREFIX
from bot.state.seen import MemorySeenActivities
from bot.state.sqlite_leases import SqliteLeases
from bot.state.sqlite_outbox import SqliteNotifications
from bot.state.sqlite_recipients import SqliteChannelSubscriptions, SqliteRecipients
from bot.state.sqlite_seen import SqliteSeenActivities
from bot.state.sqlite_storage import SqliteStorage
from emulators.azurite import Azurite
from tests.state.proactive_stores import LEASE, NOW
from tests.support.azurite import blob_state

pytestmark = pytest.mark.slow  # Azurite (a Node process) for every test


async def test_each_backend_gives_its_own_parts(
    azurite: Azurite, blob_storage: AzureBlobStorage, tmp_path: Path
) -> None:
    async with open_state(StateSettings(backend=StateBackend.MEMORY)) as memory:
        assert isinstance(memory.storage, MemoryStorage)
        assert isinstance(memory.seen, MemorySeenActivities)
        assert isinstance(memory.notifications, MemoryNotifications)
    sqlite = StateSettings(backend=StateBackend.SQLITE, sqlite_path=tmp_path / "s.sqlite3")
    async with open_state(sqlite) as parts:
        assert isinstance(parts.storage, SqliteStorage)
        assert isinstance(parts.seen, SqliteSeenActivities)
        assert isinstance(parts.recipients, SqliteRecipients)
        assert isinstance(parts.channels, SqliteChannelSubscriptions)
        assert isinstance(parts.notifications, SqliteNotifications)
        assert isinstance(parts.leases, SqliteLeases)
    assert (tmp_path / "s.sqlite3").exists()
    async with open_state(blob_state(azurite, blob_storage.container_name)) as parts:
        assert isinstance(parts.storage, AzureBlobStorage)
        assert isinstance(parts.seen, BlobSeenActivities)
        assert await parts.seen.claim("k") is True
        assert isinstance(parts.recipients, BlobRecipients)
        assert isinstance(parts.channels, BlobChannelSubscriptions)
        assert isinstance(parts.notifications, BlobNotifications)
        assert isinstance(parts.leases, BlobLeases)
        assert await parts.leases.acquire("job", owner="i-1", now=NOW, ttl=LEASE)
    assert await BlobSeenActivities(blob_storage).claim("k") is False  # it wrote to the container
    assert not await BlobLeases(blob_storage).acquire("job", owner="i-2", now=NOW, ttl=LEASE)


async def test_a_missing_container_fails_at_start_and_names_it(azurite: Azurite) -> None:
    with pytest.raises(StorageUnavailableError, match="no-such-container"):
        async with open_state(blob_state(azurite, "no-such-container")):
            pytest.fail("opened a backend without its container")


async def test_a_sealed_referral_index_outlives_the_instance_that_wrote_it(
    azurite: Azurite, blob_storage: AzureBlobStorage
) -> None:
    key = SecretStr(Fernet.generate_key().decode())
    settings = blob_state(azurite, blob_storage.container_name)
    async with open_state(settings) as first:
        assert isinstance(first.referral_indexes, BlobReferralIndexes)
        await EncryptedByteStore(first.referral_indexes, key).save("t/alice", b"alice's index")

    async with open_state(settings) as restarted:
        sealed = EncryptedByteStore(restarted.referral_indexes, key)
        assert await sealed.load("t/alice") == b"alice's index"
        await sealed.delete("t/alice")  # sign-out
    page, _ = await blob_storage.list_page(INDEX_PREFIX, continuation=None, page_size=10)
    assert page == []

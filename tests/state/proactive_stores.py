"""The proactive stores of each backend for the shared contract tests, opened twice.

`opened(backend)` yields a `Twin`: two sets of stores over the same storage, as two bot
instances would hold them (memory: one process, so both are the same objects). Add a backend by
adding an opener to OPENERS.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.domain.proactive import (
    ChannelSubscription,
    ChannelSubscriptions,
    Leases,
    Notification,
    Notifications,
    NotificationState,
    Recipient,
    Recipients,
)
from bot.state.blob_leases import BlobLeases
from bot.state.blob_outbox import BlobNotifications
from bot.state.blob_recipients import BlobChannelSubscriptions, BlobRecipients
from bot.state.blob_storage import AzureBlobStorage, opened_blob_storage
from bot.state.leases import MemoryLeases
from bot.state.outbox import MemoryNotifications
from bot.state.recipients import MemoryChannelSubscriptions, MemoryRecipients
from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_leases import SqliteLeases
from bot.state.sqlite_outbox import SqliteNotifications
from bot.state.sqlite_recipients import SqliteChannelSubscriptions, SqliteRecipients
from emulators.azurite import Azurite
from tests.support.azurite import fresh_blob_storage

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
LEASE = timedelta(seconds=60)
REFERENCE: dict[str, Any] = {
    "activity_id": None,
    "bot": {"id": "28:bot", "name": "Referral Bot"},
    "conversation": {"id": "a:1xyz", "conversation_type": "personal", "tenant_id": "t-1"},
    "service_url": "https://smba.trafficmanager.net/emea/",
    "channel_id": "msteams",
}


@dataclass(frozen=True)
class Stores:
    recipients: Recipients
    channels: ChannelSubscriptions
    notifications: Notifications
    leases: Leases


@dataclass(frozen=True)
class Twin:
    """Two instances' stores over one storage."""

    a: Stores
    b: Stores


@asynccontextmanager
async def memory_twin() -> AsyncIterator[Twin]:
    stores = Stores(
        MemoryRecipients(), MemoryChannelSubscriptions(), MemoryNotifications(), MemoryLeases()
    )
    yield Twin(stores, stores)


def sqlite_stores(database: SqliteDatabase) -> Stores:
    return Stores(
        SqliteRecipients(database),
        SqliteChannelSubscriptions(database),
        SqliteNotifications(database),
        SqliteLeases(database),
    )


@asynccontextmanager
async def sqlite_twin() -> AsyncIterator[Twin]:
    """Two databases (two connections, two threads) on one file: two processes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.sqlite3"
        first = await SqliteDatabase.open(path)
        try:
            second = await SqliteDatabase.open(path)
            try:
                yield Twin(sqlite_stores(first), sqlite_stores(second))
            finally:
                await second.aclose()
        finally:
            await first.aclose()


def blob_stores(storage: AzureBlobStorage) -> Stores:
    return Stores(
        BlobRecipients(storage),
        BlobChannelSubscriptions(storage),
        BlobNotifications(storage),
        BlobLeases(storage),
    )


@asynccontextmanager
async def blob_twin(azurite: Azurite) -> AsyncIterator[Twin]:
    """Two storages (two HTTP sessions) on one new container of `azurite`: two instances."""
    async with (
        fresh_blob_storage(azurite) as first,
        opened_blob_storage(azurite.connection_string, first.container_name) as second,
    ):
        yield Twin(blob_stores(first), blob_stores(second))


OPENERS: dict[str, Callable[[], AbstractAsyncContextManager[Twin]]] = {
    "memory": memory_twin,
    "sqlite": sqlite_twin,
}


def notification(
    key: str = "lead:1:user:u-1", group: str = "lead:1", **fields: Any
) -> Notification:
    values: dict[str, Any] = {
        "key": key,
        "group": group,
        "reference": REFERENCE,
        "state": NotificationState.CLAIMED,
        "user_id": "u-1",
    }
    return Notification(**(values | fields))


def recipient(
    user_id: str = "u-1", email: str = "megan@contoso.example", **fields: Any
) -> Recipient:
    values: dict[str, Any] = {
        "user_id": user_id,
        "tenant_id": "t-1",
        "name": "Megan Bowen",
        "email": email,
        "time_zone": "Europe/Berlin",
        "reference": REFERENCE,
        "installed_at": NOW,
    }
    return Recipient(**(values | fields))


def subscription(
    conversation_id: str = "19:abc@thread.tacv2", **fields: Any
) -> ChannelSubscription:
    values: dict[str, Any] = {
        "conversation_id": conversation_id,
        "tenant_id": "t-1",
        "reference": REFERENCE | {"conversation": {"id": conversation_id}},
        "subscribed_by": "Megan Bowen",
        "subscribed_at": NOW,
    }
    return ChannelSubscription(**(values | fields))

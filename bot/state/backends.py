"""`open_state(settings.state)`: the one place that turns the backend setting into StateParts.

memory: one process, lost on restart (tests). sqlite (default): one file, survives restarts.
blob: Azure Blob Storage, shared by several instances, each sweeping expired pending changes and
seen activities in the background while it runs. Whatever is opened is closed on exit.
Each backend also keeps sellers' referral indexes, deleted when unused for
`REFERRAL_BOT_INDEX__UNUSED_DAYS` (bot.state.referral_indexes), and the proactive stores
(issue 17): recipients, channel subscriptions, the outbox (its settled entries deleted after
`REFERRAL_BOT_STATE__NOTIFICATION_RETENTION_DAYS`) and scheduler leases. `seen_prefix_ttls`
gives the seen-activity keys of a prefix their own, longer TTL (Partner Center events:
bot.state.seen).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from bot.settings import IndexSettings, StateBackend, StateSettings
from bot.state.blob_leases import BlobLeases
from bot.state.blob_outbox import ENTRIES as OUTBOX_ENTRIES
from bot.state.blob_outbox import POINTERS as OUTBOX_POINTERS
from bot.state.blob_outbox import BlobNotifications, OutboxRetention
from bot.state.blob_pending_changes import PREFIX as PENDING_PREFIX
from bot.state.blob_pending_changes import BlobPendingChanges, sweepable
from bot.state.blob_recipients import BlobChannelSubscriptions, BlobRecipients
from bot.state.blob_referral_indexes import BlobReferralIndexes
from bot.state.blob_seen import PREFIX as SEEN_PREFIX
from bot.state.blob_seen import BlobSeenActivities
from bot.state.blob_storage import opened_blob_storage
from bot.state.blob_sweeper import BlobSweeper, SweepLimits, sweeping
from bot.state.leases import MemoryLeases
from bot.state.memory_storage import VersionedMemoryStorage
from bot.state.outbox import MemoryNotifications
from bot.state.parts import StateParts
from bot.state.pending_changes import MemoryPendingChanges
from bot.state.recipients import MemoryChannelSubscriptions, MemoryRecipients
from bot.state.referral_indexes import PREFIX as INDEX_PREFIX
from bot.state.referral_indexes import IndexAges, MemoryReferralIndexes
from bot.state.seen import MemorySeenActivities
from bot.state.sqlite_state import open_sqlite_state

_PROBE_KEY = "startup-probe"


@asynccontextmanager
async def open_state(
    settings: StateSettings,
    index: IndexSettings | None = None,
    *,
    seen_prefix_ttls: Mapping[str, float] | None = None,
) -> AsyncIterator[StateParts]:
    ages = IndexAges.from_settings(index or IndexSettings())
    ttls = dict(seen_prefix_ttls or {})
    if settings.backend is StateBackend.SQLITE:
        async with open_sqlite_state(
            settings.sqlite_path,
            index_ages=ages,
            notification_retention=settings.notification_retention,
            seen_prefix_ttls=ttls,
        ) as parts:
            yield parts
    elif settings.backend is StateBackend.BLOB:
        async with _open_blob_state(settings, ages, ttls) as parts:
            yield parts
    else:
        yield StateParts(
            VersionedMemoryStorage(),
            MemoryPendingChanges(),
            MemorySeenActivities(prefix_ttls=ttls),
            MemoryReferralIndexes(ages),
            recipients=MemoryRecipients(),
            channels=MemoryChannelSubscriptions(),
            notifications=MemoryNotifications(),
            leases=MemoryLeases(),
        )


@asynccontextmanager
async def _open_blob_state(
    settings: StateSettings, ages: IndexAges, seen_prefix_ttls: Mapping[str, float]
) -> AsyncIterator[StateParts]:
    """Fails at start-up, naming the container, when it is missing or the store refuses us."""
    connection_string = settings.blob_connection_string.get_secret_value()
    async with opened_blob_storage(connection_string, settings.blob_container) as storage:
        await storage.read([_PROBE_KEY])  # one GET: a missing container raises here, not later
        limits = SweepLimits(
            interval_seconds=settings.blob_sweep_interval_seconds,
            max_deletes=settings.blob_sweep_max_deletes,
        )
        seen = BlobSeenActivities(storage, prefix_ttls=seen_prefix_ttls)
        pending_sweeper = BlobSweeper(storage, PENDING_PREFIX, sweepable, limits)
        seen_sweeper = BlobSweeper(storage, SEEN_PREFIX, seen.sweepable, limits)
        indexes = BlobReferralIndexes(storage, ages)
        index_sweeper = BlobSweeper(storage, INDEX_PREFIX, indexes.sweepable, limits)
        retention = OutboxRetention(settings.notification_retention)
        outbox_sweeper = BlobSweeper(storage, OUTBOX_ENTRIES, retention.entry_sweepable, limits)
        pointer_sweeper = BlobSweeper(storage, OUTBOX_POINTERS, retention.pointer_sweepable, limits)
        # stopped before the storage is closed
        async with (
            sweeping(pending_sweeper),
            sweeping(seen_sweeper),
            sweeping(index_sweeper),
            sweeping(outbox_sweeper),
            sweeping(pointer_sweeper),
        ):
            yield StateParts(
                storage,
                BlobPendingChanges(storage),
                seen,
                indexes,
                recipients=BlobRecipients(storage),
                channels=BlobChannelSubscriptions(storage),
                notifications=BlobNotifications(storage),
                leases=BlobLeases(storage),
            )

"""`open_state(settings.state)`: the one place that turns the backend setting into StateParts.

memory: one process, lost on restart (tests). sqlite (default): one file, survives restarts.
blob: Azure Blob Storage, shared by several instances, each sweeping expired pending changes and
seen activities in the background while it runs. Whatever is opened is closed on exit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.settings import StateBackend, StateSettings
from bot.state.blob_pending_changes import PREFIX as PENDING_PREFIX
from bot.state.blob_pending_changes import BlobPendingChanges, sweepable
from bot.state.blob_seen import PREFIX as SEEN_PREFIX
from bot.state.blob_seen import BlobSeenActivities
from bot.state.blob_storage import opened_blob_storage
from bot.state.blob_sweeper import BlobSweeper, SweepLimits, sweeping
from bot.state.memory_storage import VersionedMemoryStorage
from bot.state.parts import StateParts
from bot.state.pending_changes import MemoryPendingChanges
from bot.state.seen import MemorySeenActivities
from bot.state.sqlite_state import open_sqlite_state

_PROBE_KEY = "startup-probe"


@asynccontextmanager
async def open_state(settings: StateSettings) -> AsyncIterator[StateParts]:
    if settings.backend is StateBackend.SQLITE:
        async with open_sqlite_state(settings.sqlite_path) as parts:
            yield parts
    elif settings.backend is StateBackend.BLOB:
        async with _open_blob_state(settings) as parts:
            yield parts
    else:
        yield StateParts(VersionedMemoryStorage(), MemoryPendingChanges(), MemorySeenActivities())


@asynccontextmanager
async def _open_blob_state(settings: StateSettings) -> AsyncIterator[StateParts]:
    """Fails at start-up, naming the container, when it is missing or the store refuses us."""
    connection_string = settings.blob_connection_string.get_secret_value()
    async with opened_blob_storage(connection_string, settings.blob_container) as storage:
        await storage.read([_PROBE_KEY])  # one GET: a missing container raises here, not later
        limits = SweepLimits(
            interval_seconds=settings.blob_sweep_interval_seconds,
            max_deletes=settings.blob_sweep_max_deletes,
        )
        seen = BlobSeenActivities(storage)
        pending_sweeper = BlobSweeper(storage, PENDING_PREFIX, sweepable, limits)
        seen_sweeper = BlobSweeper(storage, SEEN_PREFIX, seen.sweepable, limits)
        # stopped before the storage is closed
        async with sweeping(pending_sweeper), sweeping(seen_sweeper):
            yield StateParts(storage, BlobPendingChanges(storage), seen)

"""The SQLite backend as one unit: storage, pending changes, seen activities, referral indexes
and the proactive stores (recipients, channel subscriptions, the outbox, leases) on one file."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.state.outbox import DEFAULT_RETENTION
from bot.state.parts import StateParts
from bot.state.referral_indexes import IndexAges
from bot.state.sqlite_db import SqliteDatabase
from bot.state.sqlite_leases import SqliteLeases
from bot.state.sqlite_outbox import SqliteNotifications
from bot.state.sqlite_pending import SqlitePendingChanges
from bot.state.sqlite_recipients import SqliteChannelSubscriptions, SqliteRecipients
from bot.state.sqlite_referral_indexes import SqliteReferralIndexes
from bot.state.sqlite_seen import SqliteSeenActivities
from bot.state.sqlite_storage import SqliteStorage


def _utc_now() -> datetime:
    return datetime.now(UTC)


@asynccontextmanager
async def open_sqlite_state(
    path: Path,
    *,
    index_ages: IndexAges | None = None,
    notification_retention: timedelta = DEFAULT_RETENTION,
    clock: Callable[[], datetime] = _utc_now,
    seen_prefix_ttls: Mapping[str, float] | None = None,
) -> AsyncIterator[StateParts]:
    """Open (creating if needed) the database at `path`; closed, with its thread, on exit.
    Referral indexes unused for too long, and outbox entries settled longer ago than
    `notification_retention`, are deleted before the first turn."""
    database = await SqliteDatabase.open(path)
    try:
        indexes = SqliteReferralIndexes(database, index_ages or IndexAges())
        await indexes.prune_unused()
        notifications = SqliteNotifications(database, retention=notification_retention)
        await notifications.sweep(clock())
        yield StateParts(
            SqliteStorage(database),
            SqlitePendingChanges(database),
            SqliteSeenActivities(database, prefix_ttls=dict(seen_prefix_ttls or {})),
            indexes,
            recipients=SqliteRecipients(database),
            channels=SqliteChannelSubscriptions(database),
            notifications=notifications,
            leases=SqliteLeases(database),
        )
    finally:
        await database.aclose()

"""SqliteRecipients and SqliteChannelSubscriptions: who the bot may speak to first, in SQLite.

Rows are keyed by the SHA-256 of the user id / conversation id, and a recipient's e-mail is
indexed by the SHA-256 of its case-folded form (`email_key`): no id, name or e-mail is a key.
A put replaces the row, e-mail included, so an old e-mail stops matching; `forget` deletes it.
When two people were put with one e-mail, the later put is found (as in memory). `all` reads
in pages, so a turn of the scheduler never holds every recipient at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable

from bot.domain.proactive import ChannelSubscription, Recipient
from bot.state.proactive_codec import decode, encode
from bot.state.recipients import email_key
from bot.state.referral_indexes import stored_name
from bot.state.sqlite_db import SqliteDatabase

PAGE = 200
_RECIPIENTS_PAGE = (
    "SELECT user_key, body FROM recipients WHERE user_key > ? ORDER BY user_key LIMIT 200"
)
_CHANNELS_PAGE = (
    "SELECT conversation_key, body FROM channel_subscriptions WHERE conversation_key > ? "
    "ORDER BY conversation_key LIMIT 200"
)


class SqliteRecipients:
    """Implements `bot.domain.proactive.Recipients` on a `SqliteDatabase`."""

    def __init__(self, database: SqliteDatabase) -> None:
        self._database = database

    async def put(self, recipient: Recipient) -> None:
        sql = "INSERT OR REPLACE INTO recipients (user_key, email_key, body) VALUES (?, ?, ?)"
        row = (
            stored_name(recipient.user_id),
            stored_name(email_key(recipient.email)),
            encode(recipient),
        )
        await self._database.run(lambda connection: connection.execute(sql, row), transaction=False)

    async def get(self, user_id: str) -> Recipient | None:
        return await self._one(
            "SELECT body FROM recipients WHERE user_key = ?", stored_name(user_id)
        )

    async def by_email(self, email: str) -> Recipient | None:
        return await self._one(
            "SELECT body FROM recipients WHERE email_key = ? ORDER BY rowid DESC LIMIT 1",
            stored_name(email_key(email)),
        )

    async def forget(self, user_id: str) -> None:
        sql = "DELETE FROM recipients WHERE user_key = ?"
        row = (stored_name(user_id),)
        await self._database.run(lambda connection: connection.execute(sql, row), transaction=False)

    async def all(self) -> AsyncIterator[Recipient]:
        async for body in _pages(self._database, _RECIPIENTS_PAGE):
            yield decode(Recipient, body)

    async def _one(self, sql: str, key: str) -> Recipient | None:
        found: tuple[str] | None = await self._database.run(
            lambda connection: connection.execute(sql, (key,)).fetchone(), transaction=False
        )
        return None if found is None else decode(Recipient, found[0])


class SqliteChannelSubscriptions:
    """Implements `bot.domain.proactive.ChannelSubscriptions` on a `SqliteDatabase`."""

    def __init__(self, database: SqliteDatabase) -> None:
        self._database = database

    async def put(self, subscription: ChannelSubscription) -> None:
        sql = "INSERT OR REPLACE INTO channel_subscriptions (conversation_key, body) VALUES (?, ?)"
        row = (stored_name(subscription.conversation_id), encode(subscription))
        await self._database.run(lambda connection: connection.execute(sql, row), transaction=False)

    async def remove(self, conversation_id: str) -> bool:
        sql = "DELETE FROM channel_subscriptions WHERE conversation_key = ?"
        row = (stored_name(conversation_id),)
        removed: int = await self._database.run(
            lambda connection: connection.execute(sql, row).rowcount, transaction=False
        )
        return removed == 1

    async def all(self) -> AsyncIterator[ChannelSubscription]:
        async for body in _pages(self._database, _CHANNELS_PAGE):
            yield decode(ChannelSubscription, body)


async def _pages(database: SqliteDatabase, sql: str) -> AsyncIterator[str]:
    """Every body `sql` pages through (keyset paging: its key after `?`, PAGE rows at most)."""
    after = ""
    while True:
        rows = await database.run(_page(sql, after), transaction=False)
        for _, body in rows:
            yield body
        if len(rows) < PAGE:
            return
        after = rows[-1][0]


def _page(sql: str, after: str) -> Callable[[sqlite3.Connection], list[tuple[str, str]]]:
    return lambda connection: connection.execute(sql, (after,)).fetchall()

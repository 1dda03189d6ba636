"""SqliteStorage: botbuilder's `Storage` in one SQLite file (bot state, SSO dedupe, token caches).

ETags are honoured as a compare-and-set in SQL: a write carrying the e_tag it read succeeds only
if the row still has it, else `StorageConflictError` (nothing in that write is applied). `"*"` or
no e_tag means last writer wins; an e_tag on a key that does not exist yet creates it once (the
Teams SSO middleware dedupes token exchanges this way). After a write the caller's item gets
the new e_tag in place, so a second save in one turn does not conflict with itself (botbuilder's
BlobStorage does).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Mapping
from typing import Any

from botbuilder.core import Storage

from bot.state import sqlite_codec
from bot.state.errors import StorageConflictError
from bot.state.sqlite_db import SqliteDatabase

_ANY = "*"


class SqliteStorage(Storage):  # type: ignore[misc]  # botbuilder is untyped
    def __init__(self, database: SqliteDatabase) -> None:
        super().__init__()
        self._database = database

    async def read(self, keys: list[str]) -> dict[str, Any]:
        if not keys:
            return {}
        rows = await self._database.run(
            lambda connection: _select(connection, list(keys)), transaction=False
        )
        return {key: _with_etag(sqlite_codec.decode(body), etag) for key, etag, body in rows}

    async def write(self, changes: Mapping[str, Any]) -> None:
        if changes is None:
            raise ValueError("changes are required when writing")
        if not changes:
            return
        documents = {key: (_etag_of(item), _encode(item)) for key, item in changes.items()}
        # One key: each statement of `_write_one` is conditional and safe alone. Several: all
        # or nothing.
        etags = await self._database.run(
            lambda connection: _write_all(connection, documents), transaction=len(documents) > 1
        )
        for key, item in changes.items():
            _with_etag(item, etags[key])

    async def delete(self, keys: list[str]) -> None:
        if keys:
            await self._database.run(lambda connection: _delete(connection, list(keys)))


def _select(connection: sqlite3.Connection, keys: list[str]) -> list[tuple[str, str, str]]:
    marks = ",".join("?" * len(keys))
    query = f"SELECT key, etag, body FROM storage WHERE key IN ({marks})"  # noqa: S608
    return list(connection.execute(query, keys))


def _delete(connection: sqlite3.Connection, keys: list[str]) -> None:
    connection.executemany("DELETE FROM storage WHERE key = ?", [(key,) for key in keys])


def _write_all(
    connection: sqlite3.Connection, documents: dict[str, tuple[str | None, str]]
) -> dict[str, str]:
    """All or nothing: one conflict rolls the whole write back (the caller's transaction)."""
    return {key: _write_one(connection, key, *document) for key, document in documents.items()}


def _write_one(connection: sqlite3.Connection, key: str, expected: str | None, body: str) -> str:
    etag = uuid.uuid4().hex
    if expected is None or expected == _ANY:
        connection.execute(
            "INSERT INTO storage (key, etag, body) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, body = excluded.body",
            (key, etag, body),
        )
        return etag
    cursor = connection.execute(
        "UPDATE storage SET etag = ?, body = ? WHERE key = ? AND etag = ?",
        (etag, body, key, expected),
    )
    if cursor.rowcount == 1:
        return etag
    cursor = connection.execute(  # no row yet: an e_tag on a new item creates it, once
        "INSERT INTO storage (key, etag, body) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
        (key, etag, body),
    )
    if cursor.rowcount != 1:
        raise StorageConflictError(key)
    return etag


def _etag_of(item: object) -> str | None:
    etag = item.get("e_tag") if isinstance(item, dict) else getattr(item, "e_tag", None)
    if etag == "":
        raise ValueError("an empty e_tag is not a version: use '*' or leave it out")
    return None if etag is None else str(etag)


def _encode(item: object) -> str:
    if isinstance(item, dict):
        item = {key: value for key, value in item.items() if key != "e_tag"}
    return sqlite_codec.encode(item)


def _with_etag(item: Any, etag: str) -> Any:
    if isinstance(item, dict):
        item["e_tag"] = etag
    elif hasattr(item, "e_tag"):
        item.e_tag = etag
    return item

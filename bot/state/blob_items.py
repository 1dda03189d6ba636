"""Small JSON items in blobs, changed by compare-and-set, and listed by prefix: what the Blob
proactive stores (recipients, channels, outbox, leases) share.

`update` reads an item, lets `decide` answer and say what to write, and writes it under the
ETag it read (`If-Match`; `If-None-Match: *` when there was none); whoever loses a race reads
and decides again, so of several instances exactly one write lands per version. `bodies` pages
through a prefix and reads each page's items a few at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.state.blob_storage import AzureBlobStorage
from bot.state.errors import StorageConflictError

R = TypeVar("R")
Item = dict[str, Any]
_ETAG = "e_tag"
_ATTEMPTS = 8
PAGE = 200
READS_AT_ONCE = 16


@dataclass(frozen=True)
class Write(Generic[R]):
    """`decide`'s verdict: the answer, and the item (with its metadata) to write, if any."""

    answer: R
    item: Item | None = None
    metadata: dict[str, str] | None = None
    delete: bool = False


async def read(storage: AzureBlobStorage, key: str) -> tuple[Item | None, str | None]:
    """The item (without its ETag) and its ETag; (None, None) when there is none."""
    found = (await storage.read([key])).get(key)
    if not isinstance(found, dict):
        return None, None
    etag = str(found.pop(_ETAG))
    return found, etag


async def create(
    storage: AzureBlobStorage, key: str, item: Item, metadata: dict[str, str]
) -> str | None:
    """Writes `item` only if there is none (`If-None-Match: *`): its ETag, or None if there
    was one."""
    return await replace_version(storage, key, item, metadata, etag=None)


async def replace_version(
    storage: AzureBlobStorage, key: str, item: Item, metadata: dict[str, str], *, etag: str | None
) -> str | None:
    """Writes `item` over that version only (`etag` None: only if there is none); its new
    ETag, or None if the blob was another version."""
    written = dict(item)
    if etag is not None:
        written[_ETAG] = etag
    try:
        return await storage.write_item(key, written, metadata=metadata)
    except StorageConflictError:
        return None


async def put(storage: AzureBlobStorage, key: str, item: Item, metadata: dict[str, str]) -> None:
    """Writes `item` whatever is there."""
    await storage.write_item(key, item | {_ETAG: "*"}, metadata=metadata)


async def update(
    storage: AzureBlobStorage, key: str, decide: Callable[[Item | None], Write[R]]
) -> R:
    """Read, decide, write (or delete) that version only; on a lost race, again."""
    for _ in range(_ATTEMPTS):
        item, etag = await read(storage, key)
        verdict = decide(item)
        if verdict.delete:
            if etag is None or await storage.delete_if_unchanged(key, etag=etag):
                return verdict.answer
            continue
        if verdict.item is None:
            return verdict.answer
        written = dict(verdict.item)
        if etag is not None:
            written[_ETAG] = etag  # else If-None-Match: *
        try:
            await storage.write_item(key, written, metadata=verdict.metadata or {})
        except StorageConflictError:
            continue
        return verdict.answer
    raise StorageConflictError(key)  # it kept changing, _ATTEMPTS times


async def bodies(storage: AzureBlobStorage, prefix: str) -> AsyncIterator[Item]:
    """Every item under `prefix`, a page of PAGE names at a time (an item deleted meanwhile
    is skipped)."""
    continuation: str | None = None
    gate = asyncio.Semaphore(READS_AT_ONCE)

    async def one(key: str) -> Item | None:
        async with gate:
            return (await read(storage, key))[0]

    while True:
        page, continuation = await storage.list_page(
            prefix, continuation=continuation, page_size=PAGE
        )
        for item in await asyncio.gather(*(one(listed.key) for listed in page)):
            if item is not None:
                yield item
        if continuation is None:
            return

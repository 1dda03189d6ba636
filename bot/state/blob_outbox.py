"""BlobNotifications: the outbox shared by every instance, in Blob Storage.

Each entry is one blob, `notifications/<SHA-256 of its group>/<SHA-256 of its key>`, so the
copies of a group are one listing by prefix. A first claim creates the entry with
`If-None-Match: *` (of any number of instances, one creates it: WON); a claim that finds one
reads it and decides like every backend (`bot.state.outbox.decide_claim`): a takeover of a run
-out lease is a write under `If-Match` on the ETag it read, so again one instance wins.

`sent`, `gone` and `release` name only the key. The instance that created the entry remembers
its ETag and ends its own claim with one write under `If-Match` on it (a claim taken over since
has another ETag: the write changes nothing and the general path below decides). Otherwise they
read a pointer the winner of a claim also wrote, `notification-keys/<SHA-256 of the key>`
(the group's hash), then the entry, and change it under `If-Match` only while their owner holds
the claim (`release` deletes it). A claim+sent is 3 requests (create, pointer, write).

`stranded` lists every entry's metadata (no bodies) and reads only the claims whose lease ran
out: a scan of the whole outbox, so it runs seldom and on one instance (the scheduler's).

Retention: every entry carries `state` and `settled_at` (sent, or its lease's end) in its
metadata, every pointer `claimed_at`; `OutboxRetention` tells the background sweepers
(`bot.state.blob_sweeper`) which are older than the retention. A live claim is never swept.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.proactive import ClaimResult, Notification, NotificationState
from bot.state import blob_items
from bot.state.blob_items import Item, Write
from bot.state.blob_storage import AzureBlobStorage
from bot.state.outbox import (
    DEFAULT_RETENTION,
    as_gone,
    as_sent,
    claimed_by,
    decide_claim,
    holds,
    is_stranded,
    settled_at,
    stranded_order,
)
from bot.state.proactive_codec import decode, encode
from bot.state.referral_indexes import stored_name

ENTRIES = "notifications/"
# The stranded scan lists the whole outbox, on one instance, every REFERRAL_BOT_ALERTS__STRANDED_
# EVERY_SECONDS, in the sweeper's pages (parsing 1,000 blobs blocks the loop ~20 ms; 200, ~3 ms)
STRANDED_PAGE = blob_items.PAGE
_JUST_NOW = timedelta(microseconds=1)  # `_older` is strict: a lease ending at `now` ran out
POINTERS = "notification-keys/"
_BODY = "body"
_GROUP = "group"


class BlobNotifications:
    """Implements `bot.domain.proactive.Notifications` over AzureBlobStorage."""

    def __init__(self, storage: AzureBlobStorage, *, remembered: int = 10_000) -> None:
        self._storage = storage
        # this instance's own first claims, not yet ended: (blob name, ETag, entry) by key
        self._claims: OrderedDict[str, tuple[str, str, Notification]] = OrderedDict()
        self._remembered = remembered

    async def claim(
        self, notification: Notification, *, owner: str, now: datetime, lease: timedelta
    ) -> ClaimResult:
        group = stored_name(notification.group)
        name = f"{ENTRIES}{group}/{stored_name(notification.key)}"
        first = claimed_by(notification, owner=owner, now=now, lease=lease)
        etag = await blob_items.create(self._storage, name, _item(first), _metadata(first))
        if etag is not None:
            await self._point(notification.key, group, now)
            self._remember(notification.key, (name, etag, first))
            return ClaimResult.WON

        def decide(item: Item | None) -> Write[ClaimResult]:
            stored = _entry(item)
            answer, write = decide_claim(stored, notification, owner=owner, now=now, lease=lease)
            if write is None:
                return Write(answer)
            return Write(answer, _item(write), _metadata(write))

        result = await blob_items.update(self._storage, name, decide)
        if result in (ClaimResult.WON, ClaimResult.TAKEN_OVER):
            await self._point(notification.key, group, now)
        return result

    async def sent(self, key: str, *, owner: str, activity_id: str | None, now: datetime) -> None:
        await self._end(key, owner, lambda stored: as_sent(stored, activity_id, now))

    async def gone(self, key: str, *, owner: str) -> None:
        await self._end(key, owner, as_gone)

    async def release(self, key: str, *, owner: str) -> None:
        await self._end(key, owner, None)

    async def copies(self, group: str) -> list[Notification]:
        prefix = f"{ENTRIES}{stored_name(group)}/"
        sent: list[str] = []
        continuation: str | None = None
        while True:
            page, continuation = await self._storage.list_page(
                prefix, continuation=continuation, page_size=blob_items.PAGE
            )
            sent += [
                listed.key
                for listed in page
                if listed.metadata.get("state") == NotificationState.SENT.value
            ]
            if continuation is None:
                break
        gate = asyncio.Semaphore(blob_items.READS_AT_ONCE)

        async def one(name: str) -> Notification | None:
            async with gate:
                return _entry((await blob_items.read(self._storage, name))[0])

        found = await asyncio.gather(*(one(name) for name in sent))
        return sorted(
            (entry for entry in found if entry and entry.state is NotificationState.SENT),
            key=lambda entry: entry.key,
        )

    async def stranded(self, *, now: datetime, limit: int) -> list[Notification]:
        """Lists the entries' metadata (a claim's `settled_at` is its lease's end) and reads
        only the stranded ones: one list call per `STRANDED_PAGE` entries of the outbox."""
        names: list[str] = []
        continuation: str | None = None
        while len(names) < limit:
            page, continuation = await self._storage.list_page(
                ENTRIES, continuation=continuation, page_size=STRANDED_PAGE
            )
            names += [listed.key for listed in page if _claim_ran_out(listed.metadata, now)]
            if continuation is None:
                break
        gate = asyncio.Semaphore(blob_items.READS_AT_ONCE)

        async def one(name: str) -> Notification | None:
            async with gate:
                return _entry((await blob_items.read(self._storage, name))[0])

        found = await asyncio.gather(*(one(name) for name in names[:limit]))
        return sorted(
            (entry for entry in found if entry is not None and is_stranded(entry, now)),
            key=stranded_order,
        )

    def _remember(self, key: str, claim: tuple[str, str, Notification]) -> None:
        self._claims[key] = claim
        while len(self._claims) > self._remembered:
            self._claims.popitem(last=False)

    async def _point(self, key: str, group: str, now: datetime) -> None:
        item = {_GROUP: group}
        metadata = {"claimed_at": now.isoformat()}
        await blob_items.put(self._storage, POINTERS + stored_name(key), item, metadata)

    async def _end(
        self,
        key: str,
        owner: str,
        change: Callable[[Notification], Notification] | None,
    ) -> None:
        """Changes (or, `change` None, deletes) the entry while `owner` holds its claim."""
        if await self._end_own_claim(key, owner, change):
            return
        pointer, _ = await blob_items.read(self._storage, POINTERS + stored_name(key))
        if pointer is None:
            return  # never claimed (or long swept): nothing of `owner`'s to end

        def decide(item: Item | None) -> Write[None]:
            stored = _entry(item)
            if stored is None or not holds(stored, owner):
                return Write(None)
            if change is None:
                return Write(None, delete=True)
            ended = change(stored)
            return Write(None, _item(ended), _metadata(ended))

        name = f"{ENTRIES}{pointer[_GROUP]}/{stored_name(key)}"
        await blob_items.update(self._storage, name, decide)

    async def _end_own_claim(
        self, key: str, owner: str, change: Callable[[Notification], Notification] | None
    ) -> bool:
        """This instance's claim, unchanged since: ended with one request, under `If-Match` on
        the ETag the claim wrote (no pointer or entry read). False: not that, read and decide."""
        remembered = self._claims.pop(key, None)
        if remembered is None or remembered[2].owner != owner:
            return False
        name, etag, stored = remembered
        if change is None:
            return await self._storage.delete_if_unchanged(name, etag=etag)
        ended = change(stored)
        written = await blob_items.replace_version(
            self._storage, name, _item(ended), _metadata(ended), etag=etag
        )
        return written is not None


@dataclass(frozen=True)
class OutboxRetention:
    """What the sweepers may delete: entries settled, and pointers written, before `now -
    retention`."""

    retention: timedelta = DEFAULT_RETENTION

    def entry_sweepable(self, metadata: Mapping[str, str], now: datetime) -> bool:
        return _older(metadata.get("settled_at"), now - self.retention)

    def pointer_sweepable(self, metadata: Mapping[str, str], now: datetime) -> bool:
        return _older(metadata.get("claimed_at"), now - self.retention)


def _claim_ran_out(metadata: Mapping[str, str], now: datetime) -> bool:
    if metadata.get("state") != NotificationState.CLAIMED.value:
        return False
    return _older(metadata.get("settled_at"), now + _JUST_NOW)


def _older(stamp: str | None, before: datetime) -> bool:
    try:
        return stamp is not None and datetime.fromisoformat(stamp) < before
    except ValueError:
        return False  # not written here: left alone


def _item(entry: Notification) -> Item:
    return {_BODY: encode(entry)}


def _entry(item: Item | None) -> Notification | None:
    return None if item is None else decode(Notification, item[_BODY])


def _metadata(entry: Notification) -> dict[str, str]:
    metadata = {"state": entry.state.value}
    moment = settled_at(entry)
    if moment is not None:
        metadata["settled_at"] = moment.isoformat()
    return metadata

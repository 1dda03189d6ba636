"""BlobSeenActivities: activity dedupe shared by every bot instance, one blob per activity.

A claim creates the blob with `If-None-Match: *`, so of any number of instances receiving the
same redelivery exactly one creates it and runs the turn. A blob older than the TTL no longer
counts: it is taken over with `If-Match` on its ETag (again, one winner). The first answer to
an invoke (a whole card, tens of KB) is written into the blob and served for a shorter TTL.
Old blobs are ignored by claims; `sweepable` lets the background sweeper
(`bot.state.blob_sweeper`) delete them from their metadata (`seen_at`) once both TTLs are past.
An Azure lifecycle rule on the `seen%2F` prefix can do it too, and suits a busy bot better
(one blob per activity, more than a bounded sweep round may keep up with); it must keep blobs
longer than the longest TTL. A key with a prefix in `prefix_ttls` (Partner Center events) is
kept for its prefix's TTL, which its blob records in metadata (`ttl`) for the sweeper.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.state.blob_storage import AzureBlobStorage
from bot.state.errors import StorageConflictError
from bot.state.seen import Answer, prefix_of, ttl_for

PREFIX = "seen/"
_ATTEMPTS = 3


@dataclass
class BlobSeenActivities:
    """Implements `bot.inbound.dedupe.SeenActivities` over AzureBlobStorage (ETag conditions)."""

    storage: AzureBlobStorage
    id_ttl: float = 600.0
    answer_ttl: float = 120.0
    clock: Callable[[], float] = field(default=time.time)
    prefix_ttls: Mapping[str, float] = field(default_factory=dict)

    async def claim(self, key: str) -> bool:
        now = self.clock()
        ttl = ttl_for(key, self.id_ttl, self.prefix_ttls)
        for _ in range(_ATTEMPTS):
            if await self._write_seen(key, now, etag=None):  # If-None-Match: *
                return True
            existing = await self._read(key)
            if existing is None:
                continue  # forgotten in between: try to create it again
            if existing.get("seen_at", 0.0) >= now - ttl:
                return False
            if await self._write_seen(key, now, etag=existing["e_tag"]):
                return True  # took over an expired claim (If-Match: only that version)
        return False

    async def _write_seen(self, key: str, now: float, *, etag: str | None) -> bool:
        item: dict[str, Any] = {"seen_at": now}
        if etag is not None:
            item["e_tag"] = etag
        try:
            await self.storage.write_item(PREFIX + key, item, metadata=self._metadata(key, now))
        except StorageConflictError:
            return False
        return True

    def _metadata(self, key: str, now: float) -> dict[str, str]:
        """`seen_at`, and a prefixed key's own `ttl` (the sweeper reads only metadata)."""
        if prefix_of(key, self.prefix_ttls) is None:
            return {"seen_at": str(now)}
        return {"seen_at": str(now), "ttl": str(ttl_for(key, self.id_ttl, self.prefix_ttls))}

    async def remember(self, key: str, answer: Answer) -> None:
        now = self.clock()
        item = {"seen_at": now, "answered_at": now, "answer": answer, "e_tag": "*"}
        await self.storage.write_item(PREFIX + key, item, metadata=self._metadata(key, now))

    async def answer(self, key: str) -> Answer | None:
        item = await self._read(key)
        if item is None or item.get("answered_at", 0.0) < self.clock() - self.answer_ttl:
            return None
        status, body = item["answer"]
        return int(status), body

    async def forget(self, key: str) -> None:
        await self.storage.delete([PREFIX + key])

    def sweepable(self, metadata: Mapping[str, str], now: datetime) -> bool:
        """A listed blob the sweeper may delete: neither its claim nor its answer counts now."""
        try:
            seen_at = float(metadata["seen_at"])
            ttl = float(metadata.get("ttl", self.id_ttl))
        except (KeyError, ValueError):
            return False  # not written here: left alone
        return seen_at < now.timestamp() - max(ttl, self.id_ttl, self.answer_ttl)

    async def _read(self, key: str) -> dict[str, Any] | None:
        item = (await self.storage.read([PREFIX + key])).get(PREFIX + key)
        return item if isinstance(item, dict) else None

"""BlobReferralIndexes: sellers' sealed referral indexes as blobs, shared by every instance.

One blob per seller, `referral-index/<SHA-256 of the seller key>`, holding the sealed bytes as
they are (no JSON codec: an index is up to a few MB) and its last use in metadata (`last_used`,
wall-clock seconds). A read rewrites that metadata only when it is older than `touch_every`,
under `If-Match` on the ETag it read (a save in between wins). `sweepable` lets the background
sweeper (`bot.state.blob_sweeper`) delete blobs unused for `unused_after`; until then a read
already treats them as missing (bot.state.referral_indexes).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.state.blob_storage import AzureBlobStorage
from bot.state.referral_indexes import PREFIX, IndexAges, stored_name

_LAST_USED = "last_used"


@dataclass
class BlobReferralIndexes:
    """Implements `bot.auth.sealed_store.ByteStore` over AzureBlobStorage."""

    storage: AzureBlobStorage
    ages: IndexAges = field(default_factory=IndexAges)
    clock: Callable[[], float] = field(default=time.time)

    async def load(self, key: str) -> bytes | None:
        name = PREFIX + stored_name(key)
        found = await self.storage.read_raw(name)
        if found is None:
            return None
        now = self.clock()
        last_used = _last_used(found.metadata)
        if last_used is None or last_used < now - self.ages.unused_after:
            return None  # the sweeper deletes it
        if last_used < now - self.ages.touch_every:
            touched = {_LAST_USED: str(now)}
            await self.storage.set_metadata_if_unchanged(name, touched, etag=found.etag)
        return found.body

    async def save(self, key: str, blob: bytes) -> None:
        metadata = {_LAST_USED: str(self.clock())}
        await self.storage.write_raw(PREFIX + stored_name(key), blob, metadata=metadata)

    async def delete(self, key: str) -> None:
        await self.storage.delete([PREFIX + stored_name(key)])

    def sweepable(self, metadata: Mapping[str, str], now: datetime) -> bool:
        """A listed blob the sweeper may delete: unused for `unused_after`."""
        last_used = _last_used(metadata)
        if last_used is None:
            return False  # not written here: left alone
        return last_used < now.timestamp() - self.ages.unused_after


def _last_used(metadata: Mapping[str, str]) -> float | None:
    try:
        return float(metadata[_LAST_USED])
    except (KeyError, ValueError):
        return None

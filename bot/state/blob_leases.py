"""BlobLeases: scheduler leases shared by every instance, one blob per lease
(`leases/<SHA-256 of the name>`), taken and renewed by compare-and-set on its ETag."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.state import blob_items
from bot.state.blob_storage import AzureBlobStorage
from bot.state.leases import Lease, may_take
from bot.state.referral_indexes import stored_name

PREFIX = "leases/"


class BlobLeases:
    """Implements `bot.domain.proactive.Leases` over AzureBlobStorage."""

    def __init__(self, storage: AzureBlobStorage) -> None:
        self._storage = storage

    async def acquire(self, name: str, *, owner: str, now: datetime, ttl: timedelta) -> bool:
        until = now + ttl

        def decide(item: blob_items.Item | None) -> blob_items.Write[bool]:
            if not may_take(_lease(item), owner=owner, now=now):
                return blob_items.Write(False)
            return blob_items.Write(True, {"owner": owner, "until": until.isoformat()})

        return await blob_items.update(self._storage, PREFIX + stored_name(name), decide)

    async def release(self, name: str, *, owner: str) -> None:
        def decide(item: blob_items.Item | None) -> blob_items.Write[None]:
            lease = _lease(item)
            return blob_items.Write(None, delete=lease is not None and lease.owner == owner)

        await blob_items.update(self._storage, PREFIX + stored_name(name), decide)


def _lease(item: blob_items.Item | None) -> Lease | None:
    if item is None:
        return None
    return Lease(str(item["owner"]), datetime.fromisoformat(str(item["until"])))

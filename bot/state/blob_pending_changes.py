"""BlobPendingChanges: the PendingChanges port shared by every bot instance, in Blob Storage.

Each pending change is one blob. A claim (and every other state change) is a compare-and-set
on the blob's ETag: read, decide, write with `If-Match`; whoever loses the race re-reads and
decides again, so of many Confirm clicks on many instances exactly one gets CLAIMED (or takes
over a claim whose lease ran out: RECLAIMED), and `finish` ends only its owner's claim. Expired,
unclaimed changes are deleted when a new one is put (one list call with the blobs' metadata);
in production an Azure lifecycle rule can sweep them too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

from bot.state.blob_storage import AzureBlobStorage, StorageConflictError
from bot.state.pending_changes import decide_claim, holds_claim, refusal
from bot.state.pending_codec import decode_pending, encode_pending
from dialogs.ports import DEFAULT_CLAIM_LEASE, ClaimOutcome, PendingChange, PendingState

R = TypeVar("R")
PREFIX = "pending/"
_ATTEMPTS = 8
_CHANGE = "change"
Decision = tuple[R, PendingChange | None]  # (answer, the change to write or None: no write)


class BlobPendingChanges:
    """Implements `dialogs.ports.PendingChanges` over AzureBlobStorage (ETag CAS claims)."""

    def __init__(self, storage: AzureBlobStorage) -> None:
        self._storage = storage

    async def put(self, change: PendingChange) -> None:
        await self._prune(now=change.created_at, keep=change.id)
        item = {_CHANGE: encode_pending(change), "e_tag": "*"}
        await self._storage.write_item(PREFIX + change.id, item, metadata=_metadata(change))

    async def get(self, change_id: str) -> PendingChange | None:
        return (await self._read(change_id))[0]

    async def claim(
        self,
        change_id: str,
        *,
        user_id: str,
        now: datetime,
        lease: timedelta = DEFAULT_CLAIM_LEASE,
    ) -> tuple[ClaimOutcome, PendingChange | None]:
        def decide(
            change: PendingChange | None,
        ) -> Decision[tuple[ClaimOutcome, PendingChange | None]]:
            outcome, answer, write = decide_claim(change, user_id=user_id, now=now, lease=lease)
            return (outcome, answer), (answer if write else None)

        return await self._update(change_id, decide)

    async def finish(self, change_id: str, state: PendingState, *, owner: str) -> None:
        """Ends `owner`'s claim; a change not CLAIMED by `owner` (any more) is left as it is."""
        if state is PendingState.CLAIMED:
            raise ValueError(f"a claim cannot finish as {state}")

        def decide(change: PendingChange | None) -> Decision[None]:
            if change is None or not holds_claim(change, owner):
                return None, None
            return None, replace(change, state=state)

        await self._update(change_id, decide)

    async def cancel(self, change_id: str, *, user_id: str) -> ClaimOutcome:
        """CANCELLED when it is (now or already) cancelled; otherwise why it was not."""

        def decide(change: PendingChange | None) -> Decision[ClaimOutcome]:
            if change is None:
                return ClaimOutcome.NOT_FOUND, None
            refused = refusal(change, user_id)
            if refused is not None:
                return refused, None
            return ClaimOutcome.CANCELLED, replace(change, state=PendingState.CANCELLED)

        return await self._update(change_id, decide)

    async def _update(
        self, change_id: str, decide: Callable[[PendingChange | None], Decision[R]]
    ) -> R:
        """Read, decide, write under If-Match; on a lost race read and decide again."""
        for _ in range(_ATTEMPTS):
            change, etag = await self._read(change_id)
            answer, new = decide(change)
            if new is None or etag is None:
                return answer
            item = {_CHANGE: encode_pending(new), "e_tag": etag}
            try:
                await self._storage.write_item(PREFIX + change_id, item, metadata=_metadata(new))
            except StorageConflictError:
                continue
            return answer
        raise StorageConflictError(f"pending change kept changing under {_ATTEMPTS} attempts")

    async def _read(self, change_id: str) -> tuple[PendingChange | None, str | None]:
        item = (await self._storage.read([PREFIX + change_id])).get(PREFIX + change_id)
        if not isinstance(item, dict) or item.get(_CHANGE) is None:
            return None, None
        return decode_pending(item[_CHANGE]), str(item["e_tag"])

    async def _prune(self, *, now: datetime, keep: str) -> None:
        for key, etag, metadata in await self._storage.list_metadata(PREFIX):
            if key == PREFIX + keep or metadata.get("state") == PendingState.CLAIMED:
                continue
            expires = metadata.get("expires_at")
            if expires is not None and datetime.fromisoformat(expires) <= now:
                await self._storage.delete_if_unchanged(key, etag=etag)


def _metadata(change: PendingChange) -> dict[str, str]:
    return {"state": change.state.value, "expires_at": change.expires_at.isoformat()}

"""BlobPendingChanges: the PendingChanges port shared by every bot instance, in Blob Storage.

Each pending change is one blob. A claim (and every other state change) is a compare-and-set
on the blob's ETag: read, decide, write with `If-Match`; whoever loses the race re-reads and
decides again, so of many Confirm clicks on many instances exactly one gets CLAIMED (or takes
over a claim whose lease ran out: RECLAIMED), and `finish` ends only its owner's claim.

A proposal (`put`) is one write, whatever the container holds. Expired, unclaimed changes are
deleted by `bot.state.blob_sweeper` in the background (each instance runs one, bounded per
round, every delete under `If-Match`), which `sweepable` tells what to delete from the blobs'
metadata alone (`state`, `expires_at`); a CLAIMED change is never swept, its lease run out or
not. An Azure Storage lifecycle management rule can replace or complement it: a rule "delete
base blobs 1 day after last modification" with the prefix filter `<container>/pending%2F`
(blob names are percent-encoded, `blob_name`) removes whatever the sweepers missed. Lifecycle
rules see only the modification time, not the state: keep its age well above the longest
pending TTL plus the longest Confirm, so a change being applied is never removed under it,
and keep the sweeper for expiry to the minute.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

from bot.domain.pending import DEFAULT_CLAIM_LEASE, ClaimOutcome, PendingChange, PendingState
from bot.state.blob_storage import AzureBlobStorage
from bot.state.errors import StorageConflictError
from bot.state.pending_changes import decide_claim, holds_claim, refusal
from bot.state.pending_codec import decode_pending, encode_pending

R = TypeVar("R")
PREFIX = "pending/"
_ATTEMPTS = 8
_CHANGE = "change"
Decision = tuple[R, PendingChange | None]  # (answer, the change to write or None: no write)


class BlobPendingChanges:
    """Implements `bot.domain.pending.PendingChanges` over AzureBlobStorage (ETag CAS claims)."""

    def __init__(self, storage: AzureBlobStorage) -> None:
        self._storage = storage

    async def put(self, change: PendingChange) -> None:
        """One write and nothing else: expired changes are swept in the background."""
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
        raise StorageConflictError(PREFIX + change_id)  # it kept changing, _ATTEMPTS times

    async def _read(self, change_id: str) -> tuple[PendingChange | None, str | None]:
        item = (await self._storage.read([PREFIX + change_id])).get(PREFIX + change_id)
        if not isinstance(item, dict) or item.get(_CHANGE) is None:
            return None, None
        return decode_pending(item[_CHANGE]), str(item["e_tag"])


def sweepable(metadata: Mapping[str, str], now: datetime) -> bool:
    """A listed change the sweeper may delete: expired by `now` and not CLAIMED (a claim,
    stuck or not, is never swept; its Confirm may still be applying it)."""
    if metadata.get("state", PendingState.CLAIMED.value) == PendingState.CLAIMED.value:
        return False
    try:
        return datetime.fromisoformat(metadata["expires_at"]) <= now
    except (KeyError, ValueError, TypeError):
        return False  # not written by `put`: left alone


def _metadata(change: PendingChange) -> dict[str, str]:
    return {"state": change.state.value, "expires_at": change.expires_at.isoformat()}

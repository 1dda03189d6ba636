"""BlobSweeper: deletes expired blobs in the background, so that no seller's turn lists them.

Each bot instance runs one per swept prefix (`sweeping`, tied to the app's lifetime). Every
`interval_seconds`, jittered so that instances started together drift apart, a round lists the
prefix one page at a time (blob metadata only, no bodies) and deletes what `sweepable` allows,
each delete under `If-Match` on the ETag it listed: a blob claimed or rewritten in between is
kept, and when several instances sweep at once each blob is deleted once (the others get a
412 or a 404, not an error). A round is bounded: at most `max_pages` list calls and
`max_deletes` deletes, `concurrency` at a time; the next round goes on from where it stopped,
and starts over once it reached the end. A round that fails is logged, never raised: the next
one tries again. An Azure Storage lifecycle management rule on the prefix can replace or
complement it (see `bot.state.blob_pending_changes`).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.state.blob_storage import AzureBlobStorage, Listed

logger = logging.getLogger(__name__)

Sweepable = Callable[[Mapping[str, str], datetime], bool]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SweepLimits:
    """How often and how much one instance sweeps; defaults suit thousands of proposals a day."""

    interval_seconds: float = 300.0
    jitter: float = 0.2  # each wait is interval x [1 - jitter, 1 + jitter]
    # kept this long past expiry: a late click hears "expired", and instances' clocks may differ
    grace: timedelta = timedelta(minutes=10)
    page_size: int = 200  # parsing a page of 1,000 blobs took ~20 ms of the loop; 200, ~3 ms
    max_pages: int = 25
    max_deletes: int = 500
    concurrency: int = 8


@dataclass(frozen=True)
class SweepRound:
    listed: int
    deleted: int
    at_end: bool  # the listing reached the end of the prefix (the next round starts over)


@dataclass
class BlobSweeper:
    """Sweeps `prefix` of one container; its only state is where the next round lists from."""

    storage: AzureBlobStorage
    prefix: str
    sweepable: Sweepable
    limits: SweepLimits = field(default_factory=SweepLimits)
    clock: Callable[[], datetime] = _utc_now
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)
    _cursor: str | None = field(default=None, init=False)

    async def sweep_once(self) -> SweepRound:
        """One bounded round from where the last one stopped."""
        before = self.clock() - self.limits.grace
        gate = asyncio.Semaphore(self.limits.concurrency)
        listed = deleted = attempts = 0
        for _ in range(self.limits.max_pages):
            start = self._cursor
            page, after = await self.storage.list_page(
                self.prefix, continuation=start, page_size=self.limits.page_size
            )
            listed += len(page)
            doomed = [item for item in page if self.sweepable(item.metadata, before)]
            room = self.limits.max_deletes - attempts
            results = await asyncio.gather(
                *(self._delete(item, gate) for item in doomed[:room]), return_exceptions=True
            )
            attempts += len(results)
            deleted += sum(result is True for result in results)
            for result in results:
                if isinstance(result, BaseException):
                    raise result  # after every delete of the page has ended, none left running
            full = len(doomed) >= room
            self._cursor = start if len(doomed) > room else after  # the rest: next round
            if full or after is None:
                break
        return SweepRound(listed=listed, deleted=deleted, at_end=self._cursor is None)

    async def _delete(self, item: Listed, gate: asyncio.Semaphore) -> bool:
        async with gate:
            return await self.storage.delete_if_unchanged(item.key, etag=item.etag)

    async def run(self) -> None:
        """Rounds until cancelled; the first within one interval (random), so instances differ."""
        wait = self.limits.interval_seconds * self.rng.random()
        while True:
            await self.sleep(wait)
            try:
                swept = await self.sweep_once()
            except Exception as error:  # logged; the next round tries again
                logger.warning(
                    "state.sweep.failed prefix=%s error=%s: %s",
                    self.prefix,
                    type(error).__name__,
                    error,
                )
            else:
                logger.info(
                    "state.sweep prefix=%s listed=%d deleted=%d at_end=%s",
                    self.prefix,
                    swept.listed,
                    swept.deleted,
                    swept.at_end,
                )
            spread = self.limits.jitter
            wait = self.limits.interval_seconds * self.rng.uniform(1 - spread, 1 + spread)


@asynccontextmanager
async def sweeping(sweeper: BlobSweeper) -> AsyncIterator[asyncio.Task[None]]:
    """Runs `sweeper` while the block runs; cancels it, and waits for it to stop, on exit."""
    task = asyncio.create_task(sweeper.run(), name=f"blob-sweeper:{sweeper.prefix}")
    try:
        yield task
    finally:
        task.cancel()
        await asyncio.wait([task])

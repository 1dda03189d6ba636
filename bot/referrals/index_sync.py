"""Each seller's referral index, filled and kept fresh with documented queries only.

Partner Center documents `$orderby` on `updatedDateTime`, `$count` and paging, and no search
(docs/referrals-api.md), so the bot reads what a seller can see into an index of its own
(`SellerIndex`) and searches and lists there:

- Full sync: `$orderby=updatedDateTime desc&$count=true`, page by page, up to the caps
  (`max_entries`, `max_pages`); an index cut short says so (`Coverage.complete`).
- Refresh: the same query, read only until a page holds an entry updated before the index's
  high-water mark minus `overlap_seconds` (equal timestamps), so a warm refresh is one request.
  The first page's `@odata.count` then tells whether something left or joined the seller's
  view without an update the refresh could see (a seller taken off a team): if the index
  disagrees with it, a full sync replaces the index.
- Freshness: an index younger than `refresh_seconds` answers without a request. Its age is
  kept with it in the store, so an instance that loads it knows how old it is.
- One refresh per seller at a time. A turn waits for it at most `wait_seconds` (Teams' budget),
  then answers from the index as it stands (`Coverage.loading`); the refresh goes on in the
  background and is saved when it ends.
- A refresh that fails keeps the previous index, marked stale (and not fresh: the next turn
  tries again); with no previous index the error reaches the turn.
- The bot's own writes and reads update the entry at once (`saw`), a 404 removes it (`lost`);
  neither moves the high-water mark, so a refresh still reads what others changed meanwhile.

The index is never the source of truth for a write: proposing a change GETs the referral.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import aclosing
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.auth.errors import SignInRequiredError
from bot.auth.sealed_store import ByteStore
from bot.background import BackgroundTasks
from bot.domain.assertion import UserAssertion
from bot.domain.coverage import Coverage
from bot.domain.referral import Referral
from bot.partner_center.client import ReferralsClient
from bot.partner_center.errors import PartnerCenterError
from bot.referrals.index_entry import IndexEntry
from bot.referrals.seller_index import SellerIndex
from bot.referrals.sync_queries import FULL_SYNC, REFRESH
from bot.settings import IndexSettings

logger = logging.getLogger(__name__)


@dataclass
class _Held:
    index: SellerIndex
    loading: bool = False  # never synced completely yet: a first sync is under way
    failure: Exception | None = None  # what ended the last refresh early, if anything
    failed_silently: bool = False  # that refresh ran without an SSO token (cached tokens only)


class ReferralIndexes:
    """The indexes of this process's sellers: in memory (an LRU), persisted in `store`."""

    def __init__(
        self,
        client: ReferralsClient,
        store: ByteStore,
        background: BackgroundTasks,
        limits: IndexSettings | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._store = store
        self._background = background
        self._limits = limits or IndexSettings()
        self._clock = clock
        self._held: OrderedDict[str, _Held] = OrderedDict()
        self._refreshing: dict[str, asyncio.Task[None]] = {}

    async def fresh(self, user: UserAssertion) -> tuple[SellerIndex, Coverage]:
        """The seller's index, refreshed first when older than the interval."""
        key = seller_key(user)
        held = await self._hold(key)
        if not self._is_fresh(held.index):
            await self._wait_for_refresh(key, user, held)
        return held.index, self._coverage(held)

    @property
    def client(self) -> ReferralsClient:
        return self._client

    def coverage(self, user: UserAssertion) -> Coverage | None:
        held = self._held.get(seller_key(user))
        return None if held is None else self._coverage(held)

    def saw(self, user: UserAssertion, referral: Referral) -> None:
        """The bot read or wrote `referral` for this seller: its entry is current now."""
        held = self._held.get(seller_key(user))
        if held is not None:
            held.index.upsert(IndexEntry.of(referral))

    def lost(self, user: UserAssertion, referral_id: str) -> None:
        """Partner Center said 404 to this seller: they no longer see it."""
        held = self._held.get(seller_key(user))
        if held is not None:
            held.index.remove(referral_id)

    async def forget(self, tenant_id: str, user_id: str) -> None:
        """Sign-out: the seller's index is dropped here and in the store."""
        key = _key(tenant_id, user_id)
        self._held.pop(key, None)
        task = self._refreshing.pop(key, None)
        if task is not None:
            task.cancel()
            await asyncio.wait({task})  # a save it was making ends before the delete
        await self._store.delete(key)

    async def _hold(self, key: str) -> _Held:
        held = self._held.get(key)
        if held is None:
            loaded = await self._load(key)
            # Another turn of this seller may have loaded it while this one waited on the
            # store: keep theirs, so both answer from (and refresh) one index.
            held = self._held.setdefault(key, loaded)
            while len(self._held) > self._limits.sellers_in_memory:
                self._held.popitem(last=False)
        self._held.move_to_end(key)
        return held

    async def _load(self, key: str) -> _Held:
        """The stored index (decoded in a thread: ~0.2 s at 10,000 entries), or an empty one."""
        limit = self._limits.max_entries
        blob = await self._store.load(key)
        index = (
            await asyncio.to_thread(SellerIndex.from_bytes, blob, max_entries=limit)
            if blob
            else SellerIndex(max_entries=limit)
        )
        return _Held(index, loading=index.high_water is None)

    def _is_fresh(self, index: SellerIndex) -> bool:
        """A stale index is never fresh: its last refresh failed, maybe after a delta had
        already moved `synced_at` (a full sync failing after the count check), and it still
        holds referrals the seller may no longer see."""
        synced = index.synced_at
        if synced is None or index.stale:
            return False
        return self._clock() - synced < self._limits.refresh_seconds

    async def _wait_for_refresh(self, key: str, user: UserAssertion, held: _Held) -> None:
        task = self._refreshing.get(key)
        if task is None or task.done():  # a task just ended may not have left the dict yet
            task = self._background.start(
                self._refresh(key, user, held), name="referral_index.refresh"
            )
            self._refreshing[key] = task
            task.add_done_callback(lambda ended: self._ended(key, ended))
        done, _ = await asyncio.wait({task}, timeout=self._limits.wait_seconds)
        if not done:
            logger.info("referral_index.answering_while_loading")
            return
        if task.cancelled():
            return  # the seller signed out meanwhile: nothing more to wait for
        failure = held.failure
        if failure is None:
            return
        if isinstance(failure, SignInRequiredError) and held.failed_silently and user.token:
            # it joined a silent refresh (the scheduler's, a lead alert's) that found no cached
            # token; this turn brings the seller's own sign-in: one refresh with it (its
            # failure, if any, is the turn's own and is not tried again)
            await self._wait_for_refresh(key, user, held)
            return
        if not isinstance(failure, PartnerCenterError) or not len(held.index):
            raise failure  # sign-in needed, or nothing to answer from: the turn says so
        # else: answer from the previous index, marked stale

    def _ended(self, key: str, task: asyncio.Task[None]) -> None:
        if self._refreshing.get(key) is task:
            del self._refreshing[key]

    async def _refresh(self, key: str, user: UserAssertion, held: _Held) -> None:
        """Never raises: a failure is kept on `held` for the turns waiting on it."""
        index = held.index
        held.failure, held.failed_silently = None, not user.token
        try:
            changed = True
            if index.high_water is None:
                await self._full_sync(user, held)
            else:
                count, changed = await self._delta(user, index)
                if count is None or index.needs_full_sync(count):
                    await self._full_sync(user, held)
                    changed = True
        except Exception as error:
            index.mark_stale()
            held.failure = error
            logger.warning("referral_index.refresh_failed %s", type(error).__name__)
            return
        held.loading = False
        if changed:  # else the stored copy holds the same entries (only its age is older)
            await self._save(key, index)

    async def _save(self, key: str, index: SellerIndex) -> None:
        try:
            blob = await asyncio.to_thread(index.snapshot().to_bytes)
            await self._store.save(key, blob)
        except Exception as error:  # the index in memory still answers; the next save retries
            logger.warning("referral_index.save_failed %s", type(error).__name__)

    async def _delta(self, user: UserAssertion, index: SellerIndex) -> tuple[int | None, bool]:
        """Entries updated since the high-water mark, and the count of what the seller sees
        (None: more changed than a refresh may read, so everything is read again)."""
        assert index.high_water is not None
        cutoff = index.high_water - timedelta(seconds=self._limits.overlap_seconds)
        changed: list[IndexEntry] = []
        newest: datetime | None = None  # the first entry read: the order is newest first
        count: int | None = None
        pages = 0
        reached_known = False
        async with aclosing(
            self._client.pages(user=user, orderby=REFRESH.orderby, count=REFRESH.count)
        ) as found:
            async for page in found:
                pages += 1
                count = page.count if count is None else count
                for referral in page.items:
                    updated = referral.updated_date_time
                    if updated is not None and updated < cutoff:
                        reached_known = True
                        break
                    newest = newest or updated
                    entry = IndexEntry.of(referral)
                    if index.by_id(entry.id) != entry:  # the overlap re-reads what it has
                        changed.append(entry)
                if reached_known or page.next_link is None:
                    break
                if pages >= self._limits.max_pages:
                    return None, False
        index.apply_delta(changed, now=self._clock(), read_up_to=newest)
        return count, bool(changed)

    async def _full_sync(self, user: UserAssertion, held: _Held) -> None:
        """Everything the seller sees, newest first, up to the caps. A first sync shows each
        page as it arrives (a turn that cannot wait searches what is there)."""
        limits, index = self._limits, held.index
        entries: list[IndexEntry] = []
        count: int | None = None
        pages = 0
        complete = True
        async with aclosing(
            self._client.pages(user=user, orderby=FULL_SYNC.orderby, count=FULL_SYNC.count)
        ) as found:
            async for page in found:
                pages += 1
                count = page.count if count is None else count
                arrived = [IndexEntry.of(referral) for referral in page.items]
                entries.extend(arrived)
                if held.loading:
                    for entry in arrived:
                        index.upsert(entry)  # the high-water mark stays unset until the end
                more = page.next_link is not None
                if more and (len(entries) >= limits.max_entries or pages >= limits.max_pages):
                    complete = False
                    break
        if len(entries) > limits.max_entries:
            complete, entries = False, entries[: limits.max_entries]
        index.apply_full(
            entries,
            visible_count=count if count is not None else len(entries),
            complete=complete,
            now=self._clock(),
        )

    def _coverage(self, held: _Held) -> Coverage:
        index = held.index
        return Coverage(
            searched=len(index),
            complete=index.complete,
            stale=index.stale,
            loading=held.loading,
        )


def seller_key(user: UserAssertion) -> str:
    return _key(user.tenant_id, user.user_id)


def _key(tenant_id: str, user_id: str) -> str:
    return f"{tenant_id}/{user_id}"

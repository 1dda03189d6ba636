"""What a seller can see, read outside their turn: their own referral index, with silent access.

Partner Center takes only delegated calls, so scheduled work reads each seller's index
(`bot.referrals.index_sync.ReferralIndexes`) as that seller, with the Partner Center token msal
has cached for them (`UserAssertion.silent`: never an on-behalf-of without their SSO token). A
seller without a cached token is skipped until their next turn caches one. The index refreshes
itself when older than `REFERRAL_BOT_INDEX__REFRESH_SECONDS`; an answer that is only part of the
picture (a first sync still loading, or a failed refresh: stale) is not used, because "nothing to
say" or "still New" could be wrong: the job tries again on its next run.

What is the seller's own: a referral whose team lists their e-mail (a Referral Admin sees the whole
organisation's referrals, yet is told only about those they work on).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.auth.errors import AuthError, SignInRequiredError
from bot.domain.assertion import UserAssertion
from bot.domain.coverage import Coverage
from bot.domain.proactive import Recipient, Recipients
from bot.partner_center.errors import PartnerCenterError
from bot.referrals.index_entry import IndexEntry
from bot.referrals.seller_index import SellerIndex

logger = logging.getLogger(__name__)


class IndexSource(Protocol):
    """`ReferralIndexes` (bot.referrals.index_sync) as scheduled work uses it."""

    async def fresh(self, user: UserAssertion) -> tuple[SellerIndex, Coverage]: ...


class Unread(StrEnum):
    """Why a seller was skipped this run (counted, logged once per run)."""

    NO_TOKEN = "no_token"  # no cached Partner Center token: their next turn makes one
    LOADING = "loading"  # the first sync is still running
    STALE = "stale"  # the last refresh failed: the index may be out of date
    FAILED = "failed"  # Partner Center or Entra refused or failed


async def read_index(source: IndexSource, recipient: Recipient) -> SellerIndex | Unread:
    user = UserAssertion.silent(recipient.tenant_id, recipient.user_id)
    try:
        index, coverage = await source.fresh(user)
    except SignInRequiredError:
        return Unread.NO_TOKEN
    except (AuthError, PartnerCenterError):
        return Unread.FAILED
    if coverage.loading:
        return Unread.LOADING
    if coverage.stale:
        return Unread.STALE
    return index


def theirs(entries: Iterable[IndexEntry], recipient: Recipient) -> Iterator[IndexEntry]:
    """The entries whose team lists the recipient's e-mail (none when it is unknown)."""
    email = recipient.email.strip().casefold()
    if not email:
        return
    for entry in entries:
        if any((member.email or "").strip().casefold() == email for member in entry.team):
            yield entry


@dataclass
class RunTally:
    """One log line per run: how many were sent and skipped, by reason, never who."""

    job: str
    counts: Counter[str]

    @classmethod
    def of(cls, job: str) -> RunTally:
        return cls(job, Counter())

    def add(self, what: str, count: int = 1) -> None:
        self.counts[what] += count

    def log(self) -> None:
        fields = " ".join(f"{name}={count}" for name, count in sorted(self.counts.items()))
        logger.info("alerts.%s.run %s", self.job, fields or "idle")


async def for_each_seller(
    job: str,
    recipients: Recipients,
    wanted: Callable[[Recipient], bool],
    work: Callable[[Recipient, RunTally], Awaitable[None]],
    *,
    at_once: int,
) -> None:
    """`work` for each wanted seller, `at_once` sellers at a time (each one's cards in order); a
    seller's fault is counted and never stops the others; one log line for the run."""
    tally = RunTally.of(job)
    waiting = iter([recipient async for recipient in recipients.all() if wanted(recipient)])

    async def worker() -> None:
        for recipient in waiting:  # shared: each seller is taken by one worker
            try:
                await work(recipient, tally)
            except Exception as error:
                tally.add("failed")
                logger.warning("alerts.%s.seller_failed error=%s", job, type(error).__name__)

    async with asyncio.TaskGroup() as workers:
        for _ in range(max(1, at_once)):
            workers.create_task(worker())
    tally.log()

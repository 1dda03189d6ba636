"""The proactive stores for tests: the memory backend's (bot.state), readable whole, plus the
recording sender (tests/support/alert_fakes.py), a clock shared by instances and sellers' indexes.

`SharedTime` is one clock for several instances: `sleep` skips time instead of spending it.
`FakeIndexes` hands out real SellerIndex objects (or raises, or reports a partial index), so the
jobs run their real queries.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from bot.alerts.delivery import Attempts, Delivery
from bot.app import SystemClock
from bot.auth.errors import SignInReason, SignInRequiredError
from bot.domain.assertion import UserAssertion
from bot.domain.coverage import Coverage
from bot.domain.proactive import (
    DigestSchedule,
    Notification,
    Notifications,
    NotificationState,
    ProactiveSender,
    Recipient,
    Recipients,
)
from bot.referrals.index_entry import IndexEntry, IndexMember
from bot.referrals.seller_index import SellerIndex
from bot.state.leases import MemoryLeases
from bot.state.outbox import MemoryNotifications
from bot.state.recipients import MemoryChannelSubscriptions, MemoryRecipients
from tests.support.alert_fakes import FakeSender

TENANT = "tenant-1"


@dataclass
class SharedTime:
    current: datetime = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    sleeps: list[float] = field(default_factory=list)
    _waiting: list[tuple[int, asyncio.Future[None]]] = field(default_factory=list)

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.current += timedelta(seconds=seconds)
        for count, waiter in self._waiting:
            if len(self.sleeps) >= count and not waiter.done():
                waiter.set_result(None)
        await asyncio.sleep(0)

    async def slept(self, count: int) -> None:
        """Returns once the loop under test has asked for `count` sleeps in all."""
        if len(self.sleeps) >= count:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append((count, waiter))
        await asyncio.wait_for(waiter, timeout=10)


class FakeLeases(MemoryLeases):
    """The memory store, with a switch that makes it fail like an unreachable backend."""

    def __init__(self, *, fail: bool = False) -> None:
        super().__init__()
        self.fail = fail

    async def acquire(self, name: str, *, owner: str, now: datetime, ttl: timedelta) -> bool:
        if self.fail:
            raise ConnectionError("lease store down")
        return await super().acquire(name, owner=owner, now=now, ttl=ttl)

    def holder(self, name: str) -> str | None:
        lease = self._leases.get(name)
        return None if lease is None else lease.owner


class FakeNotifications(MemoryNotifications):
    """The memory outbox, readable whole."""

    @property
    def entries(self) -> dict[str, Notification]:
        return dict(self._entries)

    def sent_keys(self) -> set[str]:
        return {
            key for key, entry in self._entries.items() if entry.state is NotificationState.SENT
        }


class FakeRecipients(MemoryRecipients):
    """The memory store, remembering whom it was told to forget."""

    def __init__(self) -> None:
        super().__init__()
        self.forgotten: list[str] = []

    @property
    def people(self) -> dict[str, Recipient]:
        return dict(self._by_id)

    async def forget(self, user_id: str) -> None:
        self.forgotten.append(user_id)
        await super().forget(user_id)


@dataclass
class FakeIndexes:
    """Each seller's index by AAD id; `no_token` raise as msal would without a cached token."""

    indexes: dict[str, SellerIndex] = field(default_factory=dict)
    no_token: set[str] = field(default_factory=set)
    loading: set[str] = field(default_factory=set)
    stale: set[str] = field(default_factory=set)
    reads: list[UserAssertion] = field(default_factory=list)

    async def fresh(self, user: UserAssertion) -> tuple[SellerIndex, Coverage]:
        self.reads.append(user)
        assert user.token == "", "scheduled work must read with silent access only"
        if user.user_id in self.no_token:
            raise SignInRequiredError(SignInReason.INTERACTION, error="no_cached_token")
        index = self.indexes.setdefault(user.user_id, SellerIndex())
        coverage = Coverage(
            searched=len(index),
            loading=user.user_id in self.loading,
            stale=user.user_id in self.stale,
        )
        return index, coverage

    def fill(self, user_id: str, entries: Iterable[IndexEntry]) -> None:
        index = SellerIndex()
        listed = list(entries)
        index.apply_full(listed, visible_count=len(listed), complete=True, now=0.0)
        self.indexes[user_id] = index


def conversation_of(user_id: str) -> str:
    return f"a:personal-{user_id}"


def cards_to(sender: FakeSender, user_id: str) -> list[Mapping[str, Any]]:
    """The cards posted in the personal chat of `recipient(user_id)`."""
    return sender.cards_in(conversation_of(user_id))


def recipient(
    user_id: str,
    *,
    email: str | None = None,
    time_zone: str = "UTC",
    digest: DigestSchedule | None = None,
    alerts_on: bool = True,
    tenant_id: str = TENANT,
) -> Recipient:
    return Recipient(
        user_id=user_id,
        tenant_id=tenant_id,
        name=f"Seller {user_id}",
        email=email if email is not None else f"{user_id}@contoso.example",
        time_zone=time_zone,
        reference={"conversation": {"id": conversation_of(user_id)}, "serviceUrl": "x"},
        installed_at=datetime(2026, 11, 1, tzinfo=UTC),
        alerts_on=alerts_on,
        digest=digest,
    )


def lead(
    lead_id: str,
    *,
    team: Iterable[str],
    expires: datetime,
    created: datetime | None = None,
    customer: str = "Contoso Ltd",
    name: str = "Azure migration",
    status: str = "New",
    direction: str = "Incoming",
) -> IndexEntry:
    return IndexEntry(
        id=lead_id,
        name=name,
        customer_name=customer,
        status=status,
        substatus="Pending" if status == "New" else None,
        direction=direction,
        type="Shared",
        deal_value=Decimal("50000"),
        currency="USD",
        created_date_time=created or expires - timedelta(days=14),
        updated_date_time=created or expires - timedelta(days=14),
        expiration_date_time=expires,
        team=tuple(IndexMember("Jo", "Doe", email) for email in team),
    )


def deal(
    deal_id: str,
    *,
    team: Iterable[str],
    closes: datetime | None,
    value: Decimal | None = Decimal("25000"),
    updated: datetime = datetime(2026, 11, 20, tzinfo=UTC),
    status: str = "Active",
    customer: str = "Fabrikam Inc",
    name: str = "Dynamics rollout",
) -> IndexEntry:
    return IndexEntry(
        id=deal_id,
        name=name,
        customer_name=customer,
        status=status,
        substatus="Accepted" if status == "Active" else "Won",
        direction="Outgoing",
        type="Independent",
        deal_value=value,
        currency="USD" if value is not None else None,
        closing_date_time=closes,
        created_date_time=datetime(2026, 10, 1, tzinfo=UTC),
        updated_date_time=updated,
        team=tuple(IndexMember("Jo", "Doe", email) for email in team),
    )


def scheduled_delivery(
    notifications: Notifications, sender: ProactiveSender, recipients: Recipients, owner: str
) -> Delivery:
    """What `build_scheduler` gives its jobs: one try per run, a 2-minute claim."""
    return Delivery(
        notifications,
        sender,
        recipients,
        MemoryChannelSubscriptions(),
        SystemClock(),
        lease=timedelta(minutes=2),
        attempts=Attempts(tries=1),
        owner=owner,
    )

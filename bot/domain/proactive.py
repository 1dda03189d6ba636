"""Who the bot may speak to first, what it has sent, and the ports that store and send it.

The bot speaks first (issue 17) to sellers who installed it in personal scope (`Recipient`) and
to channels that asked for lead alerts (`ChannelSubscription`), through a stored Bot Framework
conversation reference. A reference is JSON, opaque to everything but `bot.outbound`: the domain
never holds a botbuilder type. Every proactive card is an outbox entry (`Notification`) claimed
in the state backend before it is sent, so several instances send it once; the entries of one
card group (one lead's alert to each recipient and the channel) are its "copies", updated
together after a decision. Scheduled work (reminders, digests) runs under a `Leases` lease.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

Reference = Mapping[str, Any]  # a serialized ConversationReference (bot.outbound.proactive)


@dataclass(frozen=True)
class DigestSchedule:
    """ "send me a digest every weekday at 9": days 0=Monday..6, local time of the seller."""

    weekdays: frozenset[int]
    hour: int
    minute: int = 0
    last_sent_on: date | None = None  # the seller's local date of the last digest (or skip)


@dataclass(frozen=True)
class Recipient:
    """A seller who has the bot in personal scope: told about their leads unless opted out."""

    user_id: str  # AAD object id (the key)
    tenant_id: str
    name: str
    email: str  # lower-case e-mail / UPN: how a referral's team member is matched
    time_zone: str  # IANA name from the seller's last activity (`localTimezone`), else "UTC"
    reference: Reference
    installed_at: datetime
    greeted: bool = False  # the install hello is said once
    alerts_on: bool = True
    digest: DigestSchedule | None = None


@dataclass(frozen=True)
class ChannelSubscription:
    """A channel where someone said "post new leads here"."""

    conversation_id: str  # the key
    tenant_id: str
    reference: Reference
    subscribed_by: str  # display name, said back on the card
    subscribed_at: datetime


class Recipients(Protocol):
    async def put(self, recipient: Recipient) -> None: ...

    async def get(self, user_id: str) -> Recipient | None: ...

    async def by_email(self, email: str) -> Recipient | None:
        """Case-insensitive; how a referral's team member is matched to someone with the bot."""
        ...

    async def forget(self, user_id: str) -> None:
        """Removed the app (Teams answered 403/404 on send): never written to again."""
        ...

    def all(self) -> AsyncIterator[Recipient]: ...


class ChannelSubscriptions(Protocol):
    async def put(self, subscription: ChannelSubscription) -> None: ...

    async def remove(self, conversation_id: str) -> bool: ...

    def all(self) -> AsyncIterator[ChannelSubscription]: ...


class NotificationState(StrEnum):
    CLAIMED = "claimed"  # an instance is sending it now (until `lease_until`)
    SENT = "sent"  # posted: `activity_id` can be updated
    GONE = "gone"  # the recipient removed the app: not sent, never retried


@dataclass(frozen=True)
class Notification:
    """One proactive card to one conversation. `key` is unique per (what, whom), e.g.
    "lead:<referral id>:user:<AAD id>"; `group` gathers the copies updated together
    ("lead:<referral id>")."""

    key: str
    group: str
    reference: Reference
    state: NotificationState
    owner: str = ""  # who holds the claim while CLAIMED
    lease_until: datetime | None = None
    activity_id: str | None = None
    sent_at: datetime | None = None
    user_id: str | None = None  # the recipient (None for a channel): refresh `userIds`


class ClaimResult(StrEnum):
    WON = "won"  # send it, then `sent` or `release`
    TAKEN_OVER = "taken_over"  # the holder's lease ran out before it said `sent`: send it
    DONE = "done"  # already sent (or the recipient is gone): nothing to do
    BUSY = "busy"  # another instance holds a live claim


class Notifications(Protocol):
    """The outbox: compare-and-set claims in the state backend (ETag / transaction)."""

    async def claim(
        self,
        notification: Notification,
        *,
        owner: str,
        now: datetime,
        lease: timedelta,
    ) -> ClaimResult: ...

    async def sent(self, key: str, *, owner: str, activity_id: str | None, now: datetime) -> None:
        """CLAIMED -> SENT, only while `owner` still holds the claim."""
        ...

    async def gone(self, key: str, *, owner: str) -> None: ...

    async def release(self, key: str, *, owner: str) -> None:
        """Nothing was sent (a transient failure): drop the claim so a later try sends it."""
        ...

    async def copies(self, group: str) -> list[Notification]:
        """Every SENT entry of a group: the posted activities to update after a decision."""
        ...

    async def stranded(self, *, now: datetime, limit: int) -> list[Notification]:
        """At most `limit` CLAIMED entries whose lease ran out by `now`: their holder died
        before `sent`, `gone` or `release`, and only a new claim (a take-over) settles them."""
        ...


class Leases(Protocol):
    """One instance at a time runs a named job (the scheduler); a dead holder's lease expires."""

    async def acquire(self, name: str, *, owner: str, now: datetime, ttl: timedelta) -> bool:
        """Take or renew; False while another owner's lease is live."""
        ...

    async def release(self, name: str, *, owner: str) -> None: ...


class RecipientGoneError(Exception):
    """Teams answered 403/404 on a proactive send: the app was removed or the chat is gone."""


class ProactiveSender(Protocol):
    """Posts and updates cards in a stored conversation (bot.outbound.proactive), paced per
    conversation within Teams' limits, 429 Retry-After honoured."""

    async def send(self, reference: Reference, card: Mapping[str, Any]) -> str | None:
        """The posted activity's id; raises RecipientGoneError on 403/404."""
        ...

    async def update(
        self, reference: Reference, activity_id: str, card: Mapping[str, Any]
    ) -> None: ...

"""Replies to Teams within its rate limits, and sent again after a 429 or a 5xx.

Teams limits what one bot may send to one conversation (thread) and answers 429 past that:
7 operations per 1 s, 8 per 2 s, 60 per 30 s and 1800 per hour for send, reply and update;
and "the global limit per app per tenant is 50 Requests Per Second" (Teams' "Rate limiting for
bots"; some revisions of that page said 30), which one card to each of many sellers reaches.
`ConversationPacer` keeps the bot under those limits with a sliding-window log per key (an LRU,
so memory is bounded): `OutboundSender` keys one by conversation, another by tenant. Each
instance paces its own sends: several instances together may pass the tenant's limit, and
then Teams' 429 is waited out as below. `OutboundRetry` sends again (`bot.retry`) only
what Teams says it did not take: 429 and transient 5xx, after `Retry-After` or a jittered
exponential backoff; every other 4xx, and a transport failure (ambiguous), is raised at once.

`OutboundSender.attach` fits both onto a turn's `ConnectorClient`, whose msrest/urllib3 policy
would otherwise retry PUT statuses itself in a worker thread (4 tries over 4.8 s, then the
status lost as a `ClientRequestError`); it is left retrying connection failures only.
No rate-limit library is in the lock (`aiolimiter`, `limits`), and aiolimiter's one leaky
bucket per limiter does not express four windows per conversation, so the pacer is small and here.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final, TypeVar

from msrest.exceptions import HttpOperationError
from tenacity import RetryCallState

from bot.retry import Clock, Retries, Sleep

if TYPE_CHECKING:
    from urllib3.util.retry import Retry  # msrest's requests transport brings it

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Window:
    """At most `limit` operations in any `seconds`."""

    limit: int
    seconds: float


TEAMS_THREAD_LIMITS: Final = (
    Window(7, 1.0),
    Window(8, 2.0),
    Window(60, 30.0),
    Window(1800, 3600.0),
)
TEAMS_TENANT_LIMITS: Final = (Window(50, 1.0),)
TRANSIENT_STATUSES: Final = frozenset({429, 500, 502, 503, 504})
_IN_FLIGHT_POLL: Final = 0.02  # a send that blocks the window is still in flight: look again


@dataclass
class _Slot:
    """One send; `done_at` stays None while it is in flight (Teams may not have counted it)."""

    done_at: float | None = None


@dataclass
class _Conversation:
    sent: deque[_Slot]
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class ConversationPacer:
    """Waits before a send until it fits every window of its conversation.

    A send counts from when it *completed* (its answer came back), so a slow first send
    cannot let later ones arrive bunched up: Teams counts arrivals, and an arrival is never
    after the answer. `margin` widens each window a little more for clock jitter. At most
    `max_conversations` logs are kept (least recently used go first, unless a send is waiting
    in them); each holds at most the largest `limit` timestamps.
    """

    def __init__(
        self,
        windows: Iterable[Window] = TEAMS_THREAD_LIMITS,
        *,
        margin: float = 0.05,
        max_conversations: int = 1024,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._windows = tuple(Window(w.limit, w.seconds + margin) for w in windows)
        self._keep = max(w.limit for w in self._windows)
        self._max = max_conversations
        self._clock = clock
        self._sleep = sleep
        self._conversations: OrderedDict[str, _Conversation] = OrderedDict()

    def __len__(self) -> int:
        return len(self._conversations)

    @asynccontextmanager
    async def sending(self, conversation_id: str) -> AsyncIterator[float]:
        """Wait for a free slot (sends keep their order), hold it while the block sends;
        yields the seconds waited."""
        conversation = self._conversation(conversation_id)
        slot, waited = _Slot(), 0.0
        async with conversation.lock:
            while (delay := self._delay(conversation.sent)) > 0:
                await self._sleep(delay)
                waited += delay
            conversation.sent.append(slot)
        try:
            yield waited
        finally:
            slot.done_at = self._clock()

    async def acquire(self, conversation_id: str) -> float:
        """Take a slot for a send that is over at once; returns the seconds waited."""
        async with self.sending(conversation_id) as waited:
            return waited

    def _delay(self, sent: deque[_Slot]) -> float:
        now = self._clock()
        due = [self._due(sent[-w.limit], w, now) for w in self._windows if len(sent) >= w.limit]
        return max(due, default=0.0)

    @staticmethod
    def _due(oldest: _Slot, window: Window, now: float) -> float:
        """Seconds until `oldest` leaves `window`; a little while if it is still in flight."""
        if oldest.done_at is None:
            return _IN_FLIGHT_POLL
        return oldest.done_at + window.seconds - now

    def _conversation(self, conversation_id: str) -> _Conversation:
        found = self._conversations.get(conversation_id)
        if found is not None:
            self._conversations.move_to_end(conversation_id)
            return found
        created = self._conversations[conversation_id] = _Conversation(deque(maxlen=self._keep))
        for _ in range(len(self._conversations) - self._max):
            oldest, state = self._conversations.popitem(last=False)
            if state.lock.locked():  # a send waits on it: keep it (now as the newest)
                self._conversations[oldest] = state
        return created


def status_of(error: BaseException) -> int | None:
    """The HTTP status of a failed connector call, None when no response came back."""
    response = getattr(error, "response", None) if isinstance(error, HttpOperationError) else None
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """`Retry-After` as seconds from `now` (delta-seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _retry_after(error: BaseException | None) -> float | None:
    headers = getattr(getattr(error, "response", None), "headers", None) or {}
    return retry_after_seconds(headers.get("Retry-After"), datetime.now(UTC))


@dataclass(frozen=True)
class OutboundRetry:
    """Sends again what Teams refused as throttled or transient: never a success, never a 4xx.

    A `Retry-After` beyond `max_retry_after` is not waited out: the error is raised. All
    attempts of one send, waits included, end within `deadline` seconds.
    """

    max_attempts: int = 4
    max_retry_after: float = 30.0
    deadline: float = 30.0
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    sleep: Sleep = field(default=asyncio.sleep, repr=False)
    clock: Clock = field(default=time.monotonic, repr=False)

    async def run(self, attempt: Callable[[], Awaitable[T]]) -> T:
        """Sends once more after a transient failure (see `bot.retry`)."""
        return await self._retries.run(attempt, self.clock() + self.deadline)

    @cached_property
    def _retries(self) -> Retries:
        return Retries(
            transient=_transient,
            retry_after=_retry_after,
            log=_log_retry,
            max_attempts=self.max_attempts,
            backoff_initial=self.backoff_initial,
            backoff_max=self.backoff_max,
            longest_wait=self.max_retry_after,
            sleep=self.sleep,
            clock=self.clock,
        )


def _transient(error: BaseException) -> bool:
    return status_of(error) in TRANSIENT_STATUSES


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    logger.info(
        "outbound.retry attempt=%d wait=%.2fs status=%s",
        state.attempt_number,
        state.upcoming_sleep,
        status_of(error) if error is not None else None,
    )


def retry_connection_failures_only(policy: Retry) -> None:
    """msrest's urllib3 policy, left retrying only what never reached the server."""
    policy.status_forcelist = frozenset()
    policy.respect_retry_after_header = False
    policy.read = 0
    policy.other = 0


def tenant_pacer(clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep) -> ConversationPacer:
    """Teams' per-app limit in each tenant, across all of its conversations."""
    return ConversationPacer(TEAMS_TENANT_LIMITS, clock=clock, sleep=sleep)


@dataclass(frozen=True)
class OutboundSender:
    """One per adapter: paces and retries the activities a turn sends to a conversation."""

    pacer: ConversationPacer = field(default_factory=ConversationPacer)
    retry: OutboundRetry = field(default_factory=OutboundRetry)
    tenants: ConversationPacer = field(default_factory=tenant_pacer)

    async def send(
        self, conversation_id: str, operation: Callable[[], Awaitable[T]], *, tenant_id: str = ""
    ) -> T:
        """`tenant_id`: the conversation's tenant ("" when unknown: one shared budget)."""

        async def paced() -> T:
            async with (
                self.pacer.sending(conversation_id) as waited,
                self.tenants.sending(tenant_id) as tenant_waited,
            ):
                if waited or tenant_waited:
                    logger.debug("outbound.paced wait=%.2fs", waited + tenant_waited)
                return await operation()

        return await self.retry.run(paced)

    def attach(self, connector_client: Any) -> None:
        """Route the client's send, reply and update calls through this sender (idempotent)."""
        if connector_client is None or isinstance(connector_client.conversations, _Paced):
            return
        connector_client.conversations = _Paced(connector_client.conversations, self)
        retry_connection_failures_only(connector_client.config.retry_policy.policy)


class _Paced:
    """msrest `ConversationsOperations` with the writes Teams rate-limits paced and retried."""

    def __init__(self, inner: Any, sender: OutboundSender) -> None:
        self._inner = inner
        self._sender = sender

    async def send_to_conversation(self, conversation_id: str, activity: Any, **kw: Any) -> Any:
        return await self._sender.send(
            conversation_id,
            lambda: self._inner.send_to_conversation(conversation_id, activity, **kw),
            tenant_id=_tenant_of(activity),
        )

    async def reply_to_activity(
        self, conversation_id: str, activity_id: str, activity: Any, **kw: Any
    ) -> Any:
        return await self._sender.send(
            conversation_id,
            lambda: self._inner.reply_to_activity(conversation_id, activity_id, activity, **kw),
            tenant_id=_tenant_of(activity),
        )

    async def update_activity(
        self, conversation_id: str, activity_id: str, activity: Any, **kw: Any
    ) -> Any:
        return await self._sender.send(
            conversation_id,
            lambda: self._inner.update_activity(conversation_id, activity_id, activity, **kw),
            tenant_id=_tenant_of(activity),
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _tenant_of(activity: Any) -> str:
    """The tenant an outgoing activity's conversation belongs to ("" when it names none)."""
    tenant = getattr(getattr(activity, "conversation", None), "tenant_id", None)
    return str(tenant or "")

"""The one retry policy of the Partner Center client: our status-aware rules on the wait and
stop `bot.retry` shares with the replies to Teams.

- 429, and 503 with Retry-After: wait what the service asks (capped), then send again; the
  service says it did not act, so this holds for writes too.
- Reads (GET) are also retried on other 5xx, timeouts and dropped connections, with jittered
  exponential backoff.
- A write after an ambiguous failure is sent again only once the client has proved it did not
  land (`WriteNotAppliedError`); see `ReferralsClient.patch`.
- 409, 412 and every other 4xx: never. They mean "re-read and ask again", or a bug.
- Every logical call has `max_attempts`, a per-attempt timeout, and one overall deadline shared
  with any re-read it makes. If the next wait would pass the deadline, the last error is raised
  (for a 429: `ThrottledError` with its `retry_after`).

`sleep` and `clock` are injected so tests can run the policy without waiting.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TypeVar

from tenacity import RetryCallState

from bot.partner_center.errors import (
    ThrottledError,
    UnavailableError,
    WriteNotAppliedError,
)
from bot.retry import Clock, Retries, Sleep
from bot.settings import PartnerCenterSettings

logger = logging.getLogger(__name__)

T = TypeVar("T")
DEADLINE_EXCEEDED = "deadlineExceeded"  # nothing was sent: the call ran out of time first
OUTCOME_UNKNOWN = "outcomeUnknown"  # a write failed ambiguously and the re-read failed too
REREAD_FAILED = "rereadFailed"  # a write landed (204) but reading the result failed


@dataclass(frozen=True)
class Deadline:
    """When one logical call (its retries and re-reads included) must be over, on `clock`."""

    at: float
    clock: Clock

    def remaining(self) -> float:
        return self.at - self.clock()


_FINAL = frozenset({DEADLINE_EXCEEDED, OUTCOME_UNKNOWN, REREAD_FAILED})


def should_retry(error: BaseException, *, idempotent: bool) -> bool:
    """Whether sending the same request again is safe and may help."""
    if isinstance(error, ThrottledError | WriteNotAppliedError):
        return True
    if not isinstance(error, UnavailableError) or error.code in _FINAL:
        return False
    return idempotent or (error.status_code == 503 and error.retry_after is not None)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    attempt_timeout: float = 10.0
    deadline: float = 25.0
    max_retry_after: float = 30.0
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    sleep: Sleep = field(default=asyncio.sleep, repr=False)
    clock: Clock = field(default=time.monotonic, repr=False)

    @classmethod
    def from_settings(
        cls,
        settings: PartnerCenterSettings,
        *,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        backoff_initial: float = 0.5,
    ) -> RetryPolicy:
        return cls(
            max_attempts=settings.max_attempts,
            attempt_timeout=settings.attempt_timeout_seconds,
            deadline=settings.deadline_seconds,
            max_retry_after=settings.max_retry_after_seconds,
            backoff_initial=backoff_initial,
            sleep=sleep,
            clock=clock,
        )

    def start(self) -> Deadline:
        return Deadline(self.clock() + self.deadline, self.clock)

    def attempt_timeout_within(self, deadline: Deadline) -> float:
        """This attempt's timeout: the per-attempt limit, or what is left of the deadline."""
        remaining = deadline.remaining()
        if remaining <= 0:
            raise UnavailableError(code=DEADLINE_EXCEEDED)
        return min(self.attempt_timeout, remaining)

    async def run(
        self,
        attempt: Callable[[int], Awaitable[T]],
        *,
        idempotent: bool,
        deadline: Deadline,
    ) -> T:
        """Call `attempt(n)` for n = 1, 2, ... until it succeeds or the policy gives up."""
        numbers = itertools.count(1)

        async def numbered() -> T:
            return await attempt(next(numbers))

        retries = self._reads if idempotent else self._writes
        return await retries.run(numbered, deadline.at)

    @cached_property
    def _reads(self) -> Retries:
        return self._retries(partial(should_retry, idempotent=True))

    @cached_property
    def _writes(self) -> Retries:
        return self._retries(partial(should_retry, idempotent=False))

    def _retries(self, transient: Callable[[BaseException], bool]) -> Retries:
        """Retry-After is cut to `max_retry_after`, not refused: the deadline bounds the wait."""
        return Retries(
            transient=transient,
            retry_after=_retry_after,
            log=_log_retry,
            max_attempts=self.max_attempts,
            backoff_initial=self.backoff_initial,
            backoff_max=self.backoff_max,
            retry_after_cap=self.max_retry_after,
            sleep=self.sleep,
            clock=self.clock,
        )


def _retry_after(error: BaseException | None) -> float | None:
    retry_after = getattr(error, "retry_after", None)
    return float(retry_after) if isinstance(retry_after, int | float) else None


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    logger.info(
        "partner_center.retry attempt=%d wait=%.2fs reason=%s",
        state.attempt_number,
        state.upcoming_sleep,
        type(error).__name__,
    )

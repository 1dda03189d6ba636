"""Sending again after a transient failure: the one policy of the Partner Center client and of
the replies to Teams (`bot.partner_center.retry`, `bot.outbound.pacing`).

- The wait: what the error's Retry-After asks (cut to `retry_after_cap`), else a jittered
  exponential backoff.
- The stop: `max_attempts` tries (the first included), a wait longer than `longest_wait`, or a
  wait that would reach the deadline; then the last error is raised as it was.
- The first try runs bare. Most calls (a Partner Center GET, a reply to Teams) succeed at once,
  and building and driving an `AsyncRetrying` costs CPU on every call (its hooks are inspected
  on each attempt); only a failure the boundary calls transient hands over to tenacity, which
  starts from that failure, so its waits, stops and logs are exactly as if it had made the first
  try itself.

Each boundary keeps what is its own: which errors are transient, where its errors carry a
Retry-After, and its log line. `sleep` and `clock` are injected so tests run without waiting.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, wait_exponential_jitter

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


async def retry_after_first_failure(
    attempt: Callable[[], Awaitable[T]],
    retryable: Callable[[BaseException], bool],
    retrying: Callable[[], AsyncRetrying],
) -> T:
    """`attempt()` once bare; `retrying()` is built only after a failure `retryable` accepts."""
    try:
        return await attempt()
    except Exception as error:
        if not retryable(error):
            raise
        first_failure: Exception | None = error

    async def replayed_then_again() -> T:
        nonlocal first_failure
        if first_failure is not None:
            failure, first_failure = first_failure, None
            raise failure
        return await attempt()

    return await retrying()(replayed_then_again)


@dataclass(frozen=True)
class Retries:
    """One boundary's retries: its rules (`transient`, `retry_after`, `log`) on the shared wait
    and stop. Build it once per policy; `run` allocates nothing more when the first try works."""

    transient: Callable[[BaseException], bool]
    retry_after: Callable[[BaseException | None], float | None]  # seconds, None if not said
    log: Callable[[RetryCallState], None]  # before each wait
    max_attempts: int
    backoff_initial: float
    backoff_max: float
    retry_after_cap: float = math.inf  # a longer Retry-After is waited only this long
    longest_wait: float = math.inf  # a longer wait is not taken: the error is raised
    sleep: Sleep = field(default=asyncio.sleep, repr=False)
    clock: Clock = field(default=time.monotonic, repr=False)

    def run(self, attempt: Callable[[], Awaitable[T]], deadline_at: float) -> Awaitable[T]:
        """`attempt()` until it succeeds or the policy gives up; `deadline_at` is on `clock`.
        (Not itself a coroutine, so a call through a boundary costs no extra coroutine.)"""
        return retry_after_first_failure(
            attempt, self.transient, lambda: self._retrying(deadline_at)
        )

    def _retrying(self, deadline_at: float) -> AsyncRetrying:
        return AsyncRetrying(
            retry=retry_if_exception(self.transient),
            wait=self._wait,
            stop=lambda state: self._stop(state, deadline_at),
            sleep=self.sleep,
            before_sleep=self.log,
            reraise=True,
        )

    def _wait(self, state: RetryCallState) -> float:
        retry_after = self.retry_after(state.outcome.exception() if state.outcome else None)
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap)
        backoff = wait_exponential_jitter(
            multiplier=self.backoff_initial, max=self.backoff_max, jitter=self.backoff_initial
        )
        return float(backoff(state))

    def _stop(self, state: RetryCallState, deadline_at: float) -> bool:
        """An attempt after a wait that reaches the deadline would have no time left."""
        return (
            state.attempt_number >= self.max_attempts
            or state.upcoming_sleep > self.longest_wait
            or deadline_at - self.clock() <= state.upcoming_sleep
        )

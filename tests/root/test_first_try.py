"""The first try runs without tenacity; after a retryable failure tenacity starts from it.

The shared wait and stop (`bot.retry.Retries`) are proven through both of its users
(tests/partner_center/test_retry_policy.py, tests/outbound/test_retry.py); here only what
neither shows: a policy's first success builds no tenacity object, and a wait that would end
exactly at the deadline is not taken.
"""

from __future__ import annotations

from typing import Any

import pytest
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt

from bot.retry import Retries, retry_after_first_failure


class Busy(Exception):
    retry_after = 2.0


class Broken(Exception):
    pass


def _retryable(error: BaseException) -> bool:
    return isinstance(error, Busy)


class Script:
    """Raises the scripted errors in turn, then answers "done"; counts tries and factories."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.tries = 0
        self.factories = 0
        self.waits: list[tuple[int, float]] = []

    async def attempt(self) -> str:
        self.tries += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"

    def retrying(self) -> AsyncRetrying:
        self.factories += 1

        async def no_sleep(_: float) -> None:
            return None

        def wait(state: RetryCallState) -> float:
            error: Any = state.outcome.exception() if state.outcome else None
            self.waits.append((state.attempt_number, error.retry_after))
            return float(error.retry_after)

        return AsyncRetrying(
            retry=retry_if_exception_type(Busy),
            wait=wait,
            stop=stop_after_attempt(3),
            sleep=no_sleep,
            reraise=True,
        )


async def test_a_first_success_never_builds_the_retry_machinery() -> None:
    script = Script()
    assert await retry_after_first_failure(script.attempt, _retryable, script.retrying) == "done"
    assert (script.tries, script.factories) == (1, 0)


async def test_tenacity_takes_over_from_the_first_failure_as_if_it_had_made_it() -> None:
    script = Script(Busy())
    assert await retry_after_first_failure(script.attempt, _retryable, script.retrying) == "done"
    assert script.tries == 2  # the first failure is not tried again, only replayed to tenacity
    assert script.waits == [(1, 2.0)]  # tenacity saw attempt 1 and waited on its Retry-After


async def test_the_attempt_limit_counts_the_first_try() -> None:
    script = Script(Busy(), Busy(), Busy(), Busy())
    with pytest.raises(Busy):
        await retry_after_first_failure(script.attempt, _retryable, script.retrying)
    assert script.tries == 3  # stop_after_attempt(3), the bare first try included


async def test_a_failure_that_is_not_retried_is_raised_at_once() -> None:
    script = Script(Broken())
    with pytest.raises(Broken):
        await retry_after_first_failure(script.attempt, _retryable, script.retrying)
    assert (script.tries, script.factories) == (1, 0)


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _retries(time_: FakeTime) -> Retries:
    return Retries(
        transient=_retryable,
        retry_after=lambda error: getattr(error, "retry_after", None),
        log=lambda state: None,
        max_attempts=10,
        backoff_initial=0.5,
        backoff_max=8.0,
        sleep=time_.sleep,
        clock=time_.clock,
    )


async def test_a_policy_builds_no_tenacity_object_for_a_first_success(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[AsyncRetrying] = []

    class Counted(AsyncRetrying):
        def __init__(self, **options: Any) -> None:
            super().__init__(**options)
            built.append(self)

    monkeypatch.setattr("bot.retry.AsyncRetrying", Counted)
    retries = _retries(FakeTime())

    assert await retries.run(Script().attempt, deadline_at=60.0) == "done"
    assert built == []
    assert await retries.run(Script(Busy()).attempt, deadline_at=60.0) == "done"
    assert len(built) == 1  # built once a try has failed


async def test_a_wait_that_would_end_at_the_deadline_is_not_taken() -> None:
    time_ = FakeTime()
    script = Script(Busy(), Busy(), Busy())  # each asks for 2 s

    with pytest.raises(Busy):
        await _retries(time_).run(script.attempt, deadline_at=4.0)

    assert time_.sleeps == [2.0]  # a second 2 s wait would leave the next try no time at all
    assert script.tries == 2

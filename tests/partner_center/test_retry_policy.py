from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.partner_center.errors import (
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
    PartnerCenterError,
    PreconditionFailedError,
    ThrottledError,
    UnauthenticatedError,
    UnavailableError,
    WriteNotAppliedError,
)
from bot.partner_center.retry import (
    DEADLINE_EXCEEDED,
    OUTCOME_UNKNOWN,
    RetryPolicy,
    should_retry,
)
from bot.settings import PartnerCenterSettings


class FakeTime:
    """A clock that only moves when the policy sleeps (or an attempt says it took time)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def time_() -> FakeTime:
    return FakeTime()


def make_policy(time_: FakeTime, **overrides: float) -> RetryPolicy:
    settings = PartnerCenterSettings(
        max_attempts=int(overrides.pop("max_attempts", 4)),
        attempt_timeout_seconds=overrides.pop("attempt_timeout", 10.0),
        deadline_seconds=overrides.pop("deadline", 25.0),
        max_retry_after_seconds=overrides.pop("max_retry_after", 30.0),
    )
    return RetryPolicy.from_settings(settings, sleep=time_.sleep, clock=time_.clock)


class Script:
    """An attempt function that fails with the given errors, then answers "ok"."""

    def __init__(
        self, *failures: PartnerCenterError, took: float = 0.0, time_: FakeTime | None = None
    ) -> None:
        self.failures = list(failures)
        self.attempts: list[int] = []
        self.took = took
        self.time = time_

    async def __call__(self, number: int) -> str:
        self.attempts.append(number)
        if self.time is not None:
            self.time.now += self.took
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


async def run(policy: RetryPolicy, script: Callable[[int], object], *, idempotent: bool) -> object:
    return await policy.run(script, idempotent=idempotent, deadline=policy.start())  # type: ignore[arg-type]


def throttled(after: float | None) -> ThrottledError:
    return ThrottledError(status_code=429, retry_after=after)


def unavailable(
    status: int | None = 503, after: float | None = None, code: str | None = None
) -> UnavailableError:
    return UnavailableError(status_code=status, retry_after=after, code=code)


@pytest.mark.parametrize("idempotent", [True, False])
async def test_a_429_waits_exactly_retry_after_then_succeeds(
    time_: FakeTime, idempotent: bool
) -> None:
    script = Script(throttled(3))

    assert await run(make_policy(time_), script, idempotent=idempotent) == "ok"

    assert time_.sleeps == [3.0]
    assert script.attempts == [1, 2]


async def test_retry_after_is_capped_by_settings(time_: FakeTime) -> None:
    script = Script(throttled(100))

    await run(make_policy(time_, max_retry_after=5, deadline=60), script, idempotent=True)

    assert time_.sleeps == [5.0]


async def test_a_wait_past_the_deadline_gives_up_with_the_throttled_error(time_: FakeTime) -> None:
    script = Script(throttled(20), throttled(20))

    with pytest.raises(ThrottledError) as caught:
        await run(make_policy(time_, deadline=25), script, idempotent=True)

    assert caught.value.retry_after == 20
    assert time_.sleeps == [20.0]
    assert script.attempts == [1, 2]


async def test_a_first_wait_past_the_deadline_does_not_sleep_at_all(time_: FakeTime) -> None:
    script = Script(throttled(30))

    with pytest.raises(ThrottledError):
        await run(make_policy(time_, deadline=25), script, idempotent=False)

    assert time_.sleeps == []
    assert script.attempts == [1]


async def test_a_503_with_retry_after_is_honoured_even_for_a_write(time_: FakeTime) -> None:
    script = Script(unavailable(503, after=2))

    assert await run(make_policy(time_), script, idempotent=False) == "ok"

    assert time_.sleeps == [2.0]


@pytest.mark.parametrize(
    "failure",
    [
        unavailable(500),
        unavailable(503),
        unavailable(None, code="timeout"),
        unavailable(None, code="connectionError"),
    ],
)
async def test_an_ambiguous_write_failure_is_not_resent(
    time_: FakeTime, failure: UnavailableError
) -> None:
    script = Script(failure)

    with pytest.raises(UnavailableError):
        await run(make_policy(time_), script, idempotent=False)

    assert script.attempts == [1]


async def test_a_write_proved_not_applied_is_sent_again(time_: FakeTime) -> None:
    script = Script(WriteNotAppliedError(code="timeout"))

    assert await run(make_policy(time_), script, idempotent=False) == "ok"

    assert script.attempts == [1, 2]


async def test_reads_back_off_exponentially_with_jitter_on_5xx_and_network_errors(
    time_: FakeTime,
) -> None:
    script = Script(unavailable(500), unavailable(None, code="timeout"), unavailable(502))

    assert await run(make_policy(time_, deadline=60), script, idempotent=True) == "ok"

    assert len(time_.sleeps) == 3
    for retry, slept in enumerate(time_.sleeps):
        floor = 0.5 * 2**retry
        assert floor <= slept <= floor + 0.5


async def test_reads_stop_after_max_attempts(time_: FakeTime) -> None:
    script = Script(*(unavailable(500) for _ in range(10)))

    with pytest.raises(UnavailableError):
        await run(make_policy(time_, max_attempts=3, deadline=60), script, idempotent=True)

    assert script.attempts == [1, 2, 3]


@pytest.mark.parametrize(
    "failure",
    [
        PreconditionFailedError(status_code=412),
        PreconditionFailedError(status_code=409),
        InvalidRequestError(status_code=400),
        NotFoundError(status_code=404),
        ForbiddenError(status_code=403),
        UnauthenticatedError(status_code=401),
        InvalidRequestError(status_code=413),
    ],
)
@pytest.mark.parametrize("idempotent", [True, False])
async def test_4xx_other_than_429_is_never_retried(
    time_: FakeTime, failure: PartnerCenterError, idempotent: bool
) -> None:
    script = Script(failure)

    with pytest.raises(type(failure)):
        await run(make_policy(time_), script, idempotent=idempotent)

    assert script.attempts == [1]
    assert time_.sleeps == []


async def test_attempt_timeouts_shrink_to_fit_the_deadline(time_: FakeTime) -> None:
    policy = make_policy(time_, attempt_timeout=10, deadline=25, max_attempts=10)
    deadline = policy.start()
    granted: list[float] = []

    async def times_out(number: int) -> str:
        granted.append(policy.attempt_timeout_within(deadline))
        time_.now += granted[-1]
        raise unavailable(None, code="timeout")

    with pytest.raises(UnavailableError):
        await policy.run(times_out, idempotent=True, deadline=deadline)

    assert granted[:2] == [10.0, 10.0]
    assert granted[-1] < 10.0
    assert time_.now - 1000.0 <= 25.0 + 1e-9


async def test_no_attempt_starts_once_the_deadline_has_passed(time_: FakeTime) -> None:
    policy = make_policy(time_, deadline=5)
    deadline = policy.start()
    time_.now += 5

    with pytest.raises(UnavailableError) as caught:
        policy.attempt_timeout_within(deadline)

    assert caught.value.code == DEADLINE_EXCEEDED
    assert not should_retry(caught.value, idempotent=True)


@pytest.mark.parametrize(
    ("error", "idempotent", "expected"),
    [
        (throttled(1), False, True),
        (throttled(None), True, True),
        (unavailable(503, after=1), False, True),
        (unavailable(503), False, False),
        (unavailable(503), True, True),
        (unavailable(None, code=OUTCOME_UNKNOWN), True, False),
        (unavailable(None, code=DEADLINE_EXCEEDED), True, False),
        (WriteNotAppliedError(), False, True),
        (PreconditionFailedError(status_code=412), True, False),
        (ValueError("bug"), True, False),
    ],
)
def test_should_retry_table(error: BaseException, idempotent: bool, expected: bool) -> None:
    assert should_retry(error, idempotent=idempotent) is expected


async def test_a_429_without_retry_after_backs_off(time_: FakeTime) -> None:
    script = Script(throttled(None))

    await run(make_policy(time_), script, idempotent=True)

    assert 0.5 <= time_.sleeps[0] <= 1.0

from __future__ import annotations

import pytest

from emulators.partner_center.throttling import TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_a_full_bucket_allows_a_burst_of_per_minute_requests_then_refuses(clock: FakeClock) -> None:
    bucket = TokenBucket(5, clock=clock)

    assert [bucket.acquire("alice") for _ in range(5)] == [None] * 5
    wait = bucket.acquire("alice")

    assert wait == pytest.approx(60 / 5)


def test_the_wait_shrinks_as_time_passes(clock: FakeClock) -> None:
    bucket = TokenBucket(60, clock=clock)
    for _ in range(60):
        bucket.acquire("alice")

    clock.now += 0.25

    assert bucket.acquire("alice") == pytest.approx(0.75)


def test_a_refused_request_takes_no_token(clock: FakeClock) -> None:
    bucket = TokenBucket(1, clock=clock)
    bucket.acquire("alice")

    first, second = bucket.acquire("alice"), bucket.acquire("alice")

    assert first == pytest.approx(60)
    assert second == pytest.approx(60)


def test_tokens_refill_at_per_minute_over_sixty_seconds(clock: FakeClock) -> None:
    bucket = TokenBucket(60, clock=clock)
    for _ in range(60):
        bucket.acquire("alice")

    clock.now += 3.0

    assert [bucket.acquire("alice") for _ in range(3)] == [None, None, None]
    assert bucket.acquire("alice") == pytest.approx(1.0)


def test_refill_never_exceeds_the_burst_size(clock: FakeClock) -> None:
    bucket = TokenBucket(3, clock=clock)
    clock.now += 3600

    results = [bucket.acquire("alice") for _ in range(4)]

    assert results[:3] == [None, None, None]
    assert results[3] is not None


def test_each_caller_has_its_own_bucket(clock: FakeClock) -> None:
    bucket = TokenBucket(2, clock=clock)
    bucket.acquire("alice")
    bucket.acquire("alice")

    assert bucket.acquire("alice") is not None
    assert bucket.acquire("bob") is None
    assert bucket.acquire("bob") is None
    assert bucket.acquire("bob") is not None


def test_a_clock_going_backwards_neither_refills_nor_crashes(clock: FakeClock) -> None:
    bucket = TokenBucket(1, clock=clock)
    bucket.acquire("alice")

    clock.now -= 100

    wait = bucket.acquire("alice")
    assert wait is not None
    assert wait > 0


def test_the_wait_is_always_positive_when_refused(clock: FakeClock) -> None:
    bucket = TokenBucket(60, clock=clock)
    for _ in range(60):
        bucket.acquire("alice")
    clock.now += 0.999999999

    wait = bucket.acquire("alice")

    assert wait is not None
    assert wait > 0


@pytest.mark.parametrize("per_minute", [0, -1])
def test_a_bucket_needs_at_least_one_request_per_minute(per_minute: int) -> None:
    with pytest.raises(ValueError, match="per_minute"):
        TokenBucket(per_minute)


def test_the_default_clock_is_monotonic_time() -> None:
    bucket = TokenBucket(1)

    assert bucket.acquire("alice") is None
    wait = bucket.acquire("alice")
    assert wait is not None
    assert 59 < wait <= 60

"""Per-caller token bucket, so clients are tested against 429 + Retry-After (spec §7).

Partner Center publishes no limits; the emulator's decision is a bucket of `per_minute` tokens per
user that refills continuously at `per_minute / 60` tokens a second. A full bucket allows a burst
of `per_minute` requests.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated_at: float


class TokenBucket:
    """Buckets keyed by caller (e.g. tenant + object id); the clock is injectable for tests."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 1:
            raise ValueError(f"per_minute must be at least 1, got {per_minute}")
        self._capacity = float(per_minute)
        self._rate = per_minute / 60.0  # tokens per second
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def acquire(self, key: str) -> float | None:
        """Take one token: None when allowed, else the seconds until one is available (> 0)."""
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(self._capacity, now)
        elapsed = max(0.0, now - bucket.updated_at)
        bucket.tokens = min(self._capacity, bucket.tokens + elapsed * self._rate)
        bucket.updated_at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return max((1.0 - bucket.tokens) / self._rate, 1e-6)

"""Retries with tenacity, without paying for tenacity when the first try succeeds.

Most calls (a Partner Center GET, a reply to Teams) succeed at once, and building and driving an
`AsyncRetrying` costs CPU on every call (its hooks are inspected on each attempt). Here the first
try runs bare; only a failure that `retryable` accepts hands over to tenacity, which starts from
that failure, so its waits, stops and logs are exactly as if it had made the first try itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from tenacity import AsyncRetrying

T = TypeVar("T")


async def retry_after_first_failure(
    attempt: Callable[[], Awaitable[T]],
    retryable: Callable[[BaseException], bool],
    retrying: Callable[[], AsyncRetrying],
) -> T:
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

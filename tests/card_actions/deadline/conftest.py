"""Emulators once for the package (reset per test) and the bot per test, answering card clicks
on a deadline the test controls and skipping its Retry-After and backoff waits
(tests/card_actions/deadline/clicks.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from emulators.server import RunningEmulators
from tests.card_actions.deadline.clicks import Deadline
from tests.support.bot import BotUnderTest, demo_settings, running_bot
from tests.support.fixtures import emulators_fixture
from tests.support.seeds import contoso_referrals
from tests.support.skipped_time import SkippedTime

running = emulators_fixture(contoso_referrals)


@pytest.fixture
def deadline() -> Deadline:
    return Deadline()


@pytest.fixture
def skipped() -> SkippedTime:
    return SkippedTime()


@pytest.fixture
async def bot(
    fresh: RunningEmulators, deadline: Deadline, skipped: SkippedTime
) -> AsyncIterator[BotUnderTest]:
    async with running_bot(
        demo_settings(fresh),
        answer_sleep=deadline.sleep,
        sleep=skipped.sleep,
        monotonic=skipped.monotonic,
    ) as running:
        yield running

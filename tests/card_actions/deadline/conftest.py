"""Emulators once for the package (reset per test) and the bot per test, answering card clicks
within `ANSWER_WITHIN` (tests/card_actions/deadline/clicks.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from emulators.server import RunningEmulators
from tests.card_actions.deadline.clicks import ANSWER_WITHIN
from tests.support.bot import BotUnderTest, demo_settings, running_bot
from tests.support.fixtures import emulators_fixture
from tests.support.seeds import contoso_referrals

running = emulators_fixture(contoso_referrals)


@pytest.fixture
async def bot(fresh: RunningEmulators) -> AsyncIterator[BotUnderTest]:
    async with running_bot(demo_settings(fresh), answer_within=ANSWER_WITHIN) as running:
        yield running

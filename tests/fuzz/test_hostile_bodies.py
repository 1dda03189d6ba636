"""A table of hostile bodies against the real app in demo mode: 4xx or 2xx, never 5xx."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.emulator.server import RunningEmulators
from tests.fuzz.hostile import JSON, hostile_cases, rss_bytes
from tests.fuzz.live import healthy, post_raw
from tests.support.bot import BotUnderTest, demo_settings, running_bot

CASES = hostile_cases()
MAX_RSS_GROWTH = 64 * 1024 * 1024


@pytest.fixture
async def bot(fresh: RunningEmulators) -> AsyncIterator[BotUnderTest]:
    async with running_bot(demo_settings(fresh)) as running:
        yield running


@pytest.mark.parametrize(("name", "body", "content_type"), CASES, ids=[c[0] for c in CASES])
async def test_a_hostile_body_gets_no_5xx(
    bot: BotUnderTest, name: str, body: bytes, content_type: str
) -> None:
    status = await post_raw(bot, body, content_type)

    assert status < 500, name
    assert await healthy(bot)


async def test_the_whole_table_three_times_keeps_memory_bounded(bot: BotUnderTest) -> None:
    await post_raw(bot, CASES[0][1], JSON)  # warm up
    before = rss_bytes()
    statuses = [await post_raw(bot, body, kind) for _ in range(3) for _, body, kind in CASES]
    growth = rss_bytes() - before

    print(f"\nhostile table: {len(statuses)} requests, RSS growth {growth / 1024 / 1024:.1f} MiB")
    assert max(statuses) < 500
    assert growth < MAX_RSS_GROWTH
    assert await healthy(bot)

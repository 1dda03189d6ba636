"""A table of hostile bodies against the real app in demo mode: 4xx or 2xx, never 5xx."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from emulators.server import RunningEmulators
from tests.support.bot import BotUnderTest, demo_settings, running_bot
from tests.system.fuzz.hostile import (
    JSON,
    encoding_cases,
    gzipped_message,
    hostile_cases,
    rss_bytes,
)
from tests.system.fuzz.live import healthy, post_raw

pytestmark = pytest.mark.slow  # fuzzing: Hypothesis and hostile tables against the served bot

CASES = hostile_cases()
ENCODINGS = encoding_cases()
MAX_RSS_GROWTH = 64 * 1024 * 1024


@pytest.fixture
async def bot(fresh: RunningEmulators) -> AsyncIterator[BotUnderTest]:
    async with running_bot(demo_settings(fresh), served=True) as running:  # as python -m bot
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


@pytest.mark.parametrize(("name", "body", "encoding"), ENCODINGS, ids=[c[0] for c in ENCODINGS])
async def test_a_body_not_in_its_declared_encoding_is_400_without_a_traceback(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture, name: str, body: bytes, encoding: str
) -> None:
    status = await post_raw(bot, body, **{"Content-Encoding": encoding})

    assert status == 400, name
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert all(r.exc_info is None for r in caplog.records)
    assert await healthy(bot)


async def test_a_body_in_its_declared_encoding_is_accepted(bot: BotUnderTest) -> None:
    body = gzipped_message(bot._connector_url)

    assert await post_raw(bot, body, **{"Content-Encoding": "gzip"}) == 201

"""The hostile table with inbound auth ON: without a token no turn runs; with one, no 5xx."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from emulators.channel_keys import ChannelKeyServer, FixedCredentialsFactory, TokenMinter
from emulators.config import DEMO_BOT_APP_ID
from emulators.server import RunningEmulators
from tests.support.bot import BotUnderTest, authed_settings, running_bot
from tests.system.fuzz.hostile import encoding_cases, hostile_cases
from tests.system.fuzz.live import healthy, post_raw

pytestmark = pytest.mark.slow  # fuzzing: Hypothesis and hostile tables against the served bot

CASES = hostile_cases()
ENCODINGS = encoding_cases()


@pytest.fixture
async def bot(fresh: RunningEmulators, keys: ChannelKeyServer) -> AsyncIterator[BotUnderTest]:
    async with running_bot(
        authed_settings(fresh, keys),
        served=True,  # as python -m bot serves it
        credentials_factory=FixedCredentialsFactory(DEMO_BOT_APP_ID),
    ) as running:
        yield running


async def test_without_a_token_every_hostile_body_is_4xx_and_runs_no_turn(
    bot: BotUnderTest,
) -> None:
    statuses = {name: await post_raw(bot, body, kind) for name, body, kind in CASES}

    assert all(400 <= status < 500 for status in statuses.values()), statuses
    assert bot.connector.sent == []
    assert await healthy(bot)


async def test_with_a_valid_token_no_hostile_body_gets_a_5xx(
    bot: BotUnderTest,
    keys: ChannelKeyServer,
) -> None:
    token = TokenMinter(keys.published[0], DEMO_BOT_APP_ID).token(bot._connector_url)
    auth = {"Authorization": f"Bearer {token}"}

    statuses = {name: await post_raw(bot, body, kind, **auth) for name, body, kind in CASES}

    assert all(status < 500 for status in statuses.values()), statuses
    assert await healthy(bot)


async def test_a_body_not_in_its_declared_encoding_is_401_without_and_400_with_a_token(
    bot: BotUnderTest,
    keys: ChannelKeyServer,
) -> None:
    token = TokenMinter(keys.published[0], DEMO_BOT_APP_ID).token(bot._connector_url)
    auth = {"Authorization": f"Bearer {token}"}

    without = {
        name: await post_raw(bot, body, **{"Content-Encoding": enc})
        for name, body, enc in ENCODINGS
    }
    with_token = {
        name: await post_raw(bot, body, **{"Content-Encoding": enc}, **auth)
        for name, body, enc in ENCODINGS
    }

    # aiohttp's HTTP parser refuses an encoding it cannot decode (br, no Brotli) from the
    # headers, before any handler: 400 with or without a token; the rest is 401 without one
    refused_by_parser = {name for name, _, enc in ENCODINGS if enc == "br"}
    assert refused_by_parser
    assert {n: s for n, s in without.items() if n not in refused_by_parser} == {
        n: 401 for n in without if n not in refused_by_parser
    }
    assert {without[n] for n in refused_by_parser} == {400}
    assert set(with_token.values()) == {400}, with_token
    assert bot.connector.sent == []

"""Keys: an unknown kid causes one refetch (then 401, rate-limited); a rotated key is accepted."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from emulators.channel_keys import ChannelKeyServer, FixedCredentialsFactory, TokenMinter
from emulators.config import DEMO_BOT_APP_ID
from emulators.entra.keys import SigningKey
from emulators.server import RunningEmulators
from tests.support.activities import message_payload
from tests.support.bot import BotUnderTest, authed_settings, running_bot
from tests.support.standins import StandInCardActions, StandInDialog


@pytest.fixture
async def bot(fresh: RunningEmulators, keys: ChannelKeyServer) -> AsyncIterator[BotUnderTest]:
    async with running_bot(
        authed_settings(fresh, keys),
        root_dialog=StandInDialog,
        card_actions=StandInCardActions,
        credentials_factory=FixedCredentialsFactory(DEMO_BOT_APP_ID),
    ) as running:
        yield running


async def post(bot: BotUnderTest, session: aiohttp.ClientSession, token: str) -> int:
    url = bot._connector_url  # the fake connector = serviceUrl
    body = message_payload("hello") | {"serviceUrl": url}
    headers = {"Authorization": f"Bearer {token}"}
    async with session.post(bot.messages_url, json=body, headers=headers) as answer:
        await answer.read()
        return answer.status


async def test_unknown_kid_refreshes_once_then_401_and_is_rate_limited(
    bot: BotUnderTest, keys: ChannelKeyServer, session: aiohttp.ClientSession
) -> None:
    stranger = TokenMinter(SigningKey.generate(), DEMO_BOT_APP_ID)
    url = bot._connector_url

    assert await post(bot, session, stranger.token(url)) == 401
    assert keys.jwks_fetches == 2  # the first fetch, then one refresh for the unknown kid
    assert await post(bot, session, stranger.token(url)) == 401
    assert keys.jwks_fetches == 2  # no refetch storm from forged kids
    assert bot.connector.sent == []


async def test_rotated_key_is_accepted_after_one_refresh(
    bot: BotUnderTest, keys: ChannelKeyServer, session: aiohttp.ClientSession
) -> None:
    url = bot._connector_url
    old = TokenMinter(keys.published[0], DEMO_BOT_APP_ID)
    assert await post(bot, session, old.token(url)) == 201
    assert keys.jwks_fetches == 1

    keys.published = [SigningKey.generate()]
    new = TokenMinter(keys.published[0], DEMO_BOT_APP_ID)

    assert await post(bot, session, new.token(url)) == 201
    assert keys.jwks_fetches == 2
    assert len(bot.connector.sent) == 2


async def test_unreachable_metadata_is_401_not_500(
    fresh: RunningEmulators, keys: ChannelKeyServer, session: aiohttp.ClientSession
) -> None:
    settings = authed_settings(fresh, keys)
    settings.bot.openid_metadata_url = "http://127.0.0.1:9/v1/.well-known/openidconfiguration"
    minter = TokenMinter(keys.published[0], DEMO_BOT_APP_ID)
    async with running_bot(
        settings,
        root_dialog=StandInDialog,
        card_actions=StandInCardActions,
        credentials_factory=FixedCredentialsFactory(DEMO_BOT_APP_ID),
    ) as bot:
        assert await post(bot, session, minter.token(bot._connector_url)) == 401
        assert bot.connector.sent == []


@pytest.mark.slow  # a key endpoint that really answers after 1 s
async def test_a_slow_metadata_endpoint_does_not_block_the_bot(
    bot: BotUnderTest, keys: ChannelKeyServer, session: aiohttp.ClientSession
) -> None:
    keys.delay_seconds = 1.0
    minter = TokenMinter(keys.published[0], DEMO_BOT_APP_ID)
    waiting = asyncio.create_task(post(bot, session, minter.token(bot._connector_url)))
    await asyncio.sleep(0.1)

    started = time.monotonic()
    async with session.get(f"{bot.base_url}/healthz") as health:
        assert health.status == 200
    assert time.monotonic() - started < 0.5
    assert not waiting.done()
    assert await waiting == 201

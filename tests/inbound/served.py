"""The bot served as `python -m bot` serves it (`bot.inbound.serving`), auth ON against local
keys.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.settings import InboundSettings
from emulators.channel_keys import ChannelKeyServer, FixedCredentialsFactory, TokenMinter
from emulators.config import DEMO_BOT_APP_ID
from emulators.server import RunningEmulators
from tests.support.activities import message_payload
from tests.support.bot import BotUnderTest, authed_settings, running_bot

JSON = {"Content-Type": "application/json"}


@asynccontextmanager
async def served_bot(
    fresh: RunningEmulators, keys: ChannelKeyServer, **inbound: Any
) -> AsyncIterator[BotUnderTest]:
    """`inbound`: InboundSettings fields (small timeouts, a small cap) for this bot."""
    settings = authed_settings(fresh, keys).model_copy(
        update={"inbound": InboundSettings(**inbound)}
    )
    factory = FixedCredentialsFactory(DEMO_BOT_APP_ID)
    async with running_bot(settings, served=True, credentials_factory=factory) as bot:
        yield bot


def valid_token(bot: BotUnderTest, keys: ChannelKeyServer) -> dict[str, str]:
    token = TokenMinter(keys.published[0], DEMO_BOT_APP_ID).token(bot._connector_url)
    return {"Authorization": f"Bearer {token}"}


def hello(bot: BotUnderTest) -> bytes:
    return json.dumps(message_payload("hello") | {"serviceUrl": bot._connector_url}).encode()

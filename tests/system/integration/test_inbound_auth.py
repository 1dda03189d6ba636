"""With authentication on, requests without a valid Bot Framework token get 401, never 500."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import jwt
import pytest
from pydantic import SecretStr

from bot.settings import BotSettings
from emulators.config import DEMO_BOT_APP_ID
from emulators.server import RunningEmulators
from tests.support.activities import message_payload
from tests.support.bot import BotUnderTest, demo_settings, running_bot
from tests.support.standins import StandInCardActions, StandInDialog

UNSIGNED = jwt.encode(
    {"iss": "https://api.botframework.com", "aud": DEMO_BOT_APP_ID}, key="", algorithm="none"
)


@pytest.fixture
async def bot(fresh: RunningEmulators) -> AsyncIterator[BotUnderTest]:
    settings = demo_settings(
        fresh,
        dangerously_allow_unauthenticated=False,
        bot=BotSettings(app_id=DEMO_BOT_APP_ID, app_password=SecretStr("bot-password")),
    )
    async with running_bot(
        settings, root_dialog=StandInDialog, card_actions=StandInCardActions
    ) as running:
        yield running


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer not-a-token", f"Bearer {UNSIGNED}"],
)
async def test_request_without_a_valid_token_is_unauthorized(
    bot: BotUnderTest, session: aiohttp.ClientSession, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    body = message_payload("hello") | {"serviceUrl": "http://127.0.0.1:9/"}

    async with session.post(bot.messages_url, json=body, headers=headers) as answer:
        assert answer.status == 401

    assert bot.connector.sent == []

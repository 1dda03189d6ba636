"""The real bot app (`create_app`) replying to a fake connector that can refuse replies
(`tests/outbound/faulty_connector.py`). The bot's waits (Retry-After, backoff, pacing) are
skipped, not spent: arrival times are read on the same `SkippedTime`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from botbuilder.core import MessageFactory
from botbuilder.dialogs import Dialog, DialogContext, DialogTurnResult
from pydantic import SecretStr

from bot.app import create_app
from bot.settings import IdentitySettings, Mode, Settings, StateBackend, StateSettings
from tests.outbound.faulty_connector import FaultyConnector
from tests.support.bot import BotUnderTest
from tests.support.skipped_time import SkippedTime
from tests.support.standins import StandInCardActions


class BurstDialog(Dialog):  # type: ignore[misc]
    """`burst N` sends N replies; `update` sends one and then edits it; else an echo."""

    def __init__(self, *_: Any) -> None:
        super().__init__("BurstDialog")

    async def begin_dialog(self, dc: DialogContext, options: object = None) -> DialogTurnResult:
        text = dc.context.activity.text or ""
        if text.startswith("burst "):
            for number in range(1, int(text.removeprefix("burst ")) + 1):
                await dc.context.send_activity(f"reply {number}")
        elif text == "update":
            sent = await dc.context.send_activity("version 1")
            edit = MessageFactory.text("version 2")
            edit.id = sent.id
            await dc.context.update_activity(edit)
        else:
            await dc.context.send_activity(f"echo: {text}")
        return await dc.end_dialog()


def bot_settings() -> Settings:
    """Demo mode without emulators: the stand-in dialog never calls Partner Center."""
    return Settings(
        mode=Mode.DEMO,
        port=0,
        dangerously_allow_unauthenticated=True,
        state=StateSettings(backend=StateBackend.MEMORY),
        identity=IdentitySettings(
            authority_host="https://127.0.0.1:9",  # never called: no dialog here signs in
            client_id="outbound-tests",
            client_secret=SecretStr("unused"),
        ),
    )


@asynccontextmanager
async def running_bot(
    connector: FaultyConnector, skipped: SkippedTime
) -> AsyncIterator[BotUnderTest]:
    connector_server = TestServer(connector.app(), host="127.0.0.1", port=0)
    app = create_app(
        bot_settings(),
        root_dialog=BurstDialog,
        card_actions=StandInCardActions,
        sleep=skipped.sleep,
        monotonic=skipped.monotonic,
    )
    bot_server = TestServer(app, host="127.0.0.1", port=0)
    await connector_server.start_server()
    try:
        await bot_server.start_server()
        try:
            async with aiohttp.ClientSession() as session:
                connector_url = str(connector_server.make_url("")).rstrip("/") + "/"
                bot_url = str(bot_server.make_url("")).rstrip("/")
                bot = BotUnderTest(session, bot_url, connector_url, connector)
                bot.app = app
                yield bot
        finally:
            await bot_server.close()
    finally:
        await connector_server.close()


@pytest.fixture
def skipped() -> SkippedTime:
    return SkippedTime()


@pytest.fixture
def connector(skipped: SkippedTime) -> FaultyConnector:
    return FaultyConnector(clock=skipped.monotonic)


@pytest.fixture
async def bot(connector: FaultyConnector, skipped: SkippedTime) -> AsyncIterator[BotUnderTest]:
    async with running_bot(connector, skipped) as running:
        yield running

"""The real bot app on its own event loop thread, so sync hypothesis tests can post to it."""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.settings import Settings
from tests.support.activities import SERVICE_URL
from tests.support.bot import BotUnderTest, running_bot

T = TypeVar("T")
JSON = "application/json"


async def post_raw(bot: BotUnderTest, body: bytes, content_type: str = JSON, **headers: str) -> int:
    """The body as is (its serviceUrl pointed at the fake connector), the HTTP status back."""
    body = body.replace(SERVICE_URL.encode(), bot._connector_url.encode())
    if content_type:
        headers["Content-Type"] = content_type
    data = io.BytesIO(body)  # aiohttp warns (an error here) about large raw-bytes bodies
    async with bot._session.post(bot.messages_url, data=data, headers=headers) as response:
        await response.read()
        return response.status


async def healthy(bot: BotUnderTest) -> bool:
    async with bot._session.get(f"{bot.base_url}/healthz") as response:
        return response.status == 200


@dataclass(frozen=True)
class LiveBot:
    loop: asyncio.AbstractEventLoop
    bot: BotUnderTest

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=60)

    def post(self, body: bytes, content_type: str = JSON) -> int:
        return self.run(post_raw(self.bot, body, content_type))

    def healthy(self) -> bool:
        return self.run(healthy(self.bot))


@contextmanager
def bot_in_thread(settings: Settings) -> Iterator[LiveBot]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="fuzz-bot", daemon=True)
    thread.start()
    try:
        context = running_bot(settings)
        bot = asyncio.run_coroutine_threadsafe(context.__aenter__(), loop).result(timeout=60)
        try:
            yield LiveBot(loop, bot)
        finally:
            exit_ = context.__aexit__(None, None, None)
            asyncio.run_coroutine_threadsafe(exit_, loop).result(timeout=60)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()

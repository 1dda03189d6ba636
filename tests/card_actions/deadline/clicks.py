"""Clicking a card and timing the answer, on a deadline the test controls.

The bot answers card clicks within the production 4 s, on a `Deadline` the test controls: it
passes at once, so a Partner Center held by the emulator's `latency` fault (`SLOW`) is slower than
it, or never, for a Partner Center that answers first. The bot's Retry-After and backoff waits are
skipped (tests/support/skipped_time.py); the fixtures are in this folder's conftest.py.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from tests.support.activities import card_invoke_payload
from tests.support.bot import BotUnderTest, SentActivity

SLOW = 0.2  # seconds of Partner Center latency: the PATCH is still in flight after the answer
TASK_PREFIX = "card_action."


@dataclass
class Deadline:
    """The click's deadline (`create_app(answer_sleep=...)`), passed when the test says.

    `passes`: at once (the click's work, which waits on the network, is not done by then), else
    never. `asked` records the seconds the bot asked to wait, so the real 4 s is asserted.
    """

    passes: bool = True
    asked: list[float] = field(default_factory=list)

    async def sleep(self, seconds: float) -> None:
        self.asked.append(seconds)
        if not self.passes:
            await asyncio.Event().wait()  # cancelled once the work is done
        await asyncio.sleep(0)


@dataclass(frozen=True)
class Click:
    """One `adaptiveCard/action` invoke: its payload (to send again) and the clicked card's id."""

    payload: dict[str, Any]

    @property
    def card_id(self) -> str:
        value: str = self.payload["replyToId"]
        return value

    @classmethod
    def of(cls, verb: str, data: Mapping[str, Any]) -> Click:
        return cls(card_invoke_payload(verb, data, reply_to_id=f"1:{uuid.uuid4().hex}"))


@dataclass(frozen=True)
class Timed:
    status: int
    body: dict[str, Any]
    seconds: float

    @property
    def card(self) -> dict[str, Any]:
        assert self.body.get("type") == "application/vnd.microsoft.card.adaptive", self.body
        card: dict[str, Any] = self.body["value"]
        return card


async def send(bot: BotUnderTest, session: aiohttp.ClientSession, click: Click) -> Timed:
    """Post the invoke (to the bot's fake connector) and time its HTTP answer."""
    body = click.payload | {"serviceUrl": bot._connector_url}
    started = time.monotonic()
    async with session.post(bot.messages_url, json=body) as answer:
        data = await answer.json()
        return Timed(answer.status, data, time.monotonic() - started)


async def updates_of(
    bot: BotUnderTest, click: Click, *, within: float = 10.0
) -> list[SentActivity]:
    """Wait for the bot's background work to end; then what it PUT over the clicked card."""
    await no_card_work_left(within=within)
    return [
        sent
        for sent in bot.connector.sent
        if sent.reply_to_id == click.card_id and sent.body.get("id") == click.card_id
    ]


def card_work() -> list[asyncio.Task[Any]]:
    return [
        task
        for task in asyncio.all_tasks()
        if task.get_name().startswith(TASK_PREFIX) and not task.done()
    ]


async def no_card_work_left(*, within: float) -> None:
    loop = asyncio.get_running_loop()
    until = loop.time() + within
    while card_work():
        assert loop.time() < until, card_work()
        await asyncio.sleep(0.05)

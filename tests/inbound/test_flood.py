"""Issue 13, D1: while several clients post 1 MiB bodies without a token, the bot keeps working.

/healthz answers and a seller's authenticated Confirm applies the change exactly once, while the
flood is under way; the bot refuses every flood request from its headers (one
`adapter.unauthorized` each) and runs no turn for any. The flooding client mostly sees its
connection closed while it is still sending: the bot answers 401 and closes without reading
the rest, and the reset that follows can overtake the 401 (a small body, as a real client
with an expired token sends, is read whole first and gets its 401).
How fast they answer under the flood is shown by `python -m bench.flood`, not here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiohttp
import pytest

from bench.flood import FLOOD_CONVERSATION, flood_body
from bot.cards.confirm_change import CONFIRM_VERB
from emulators.channel_keys import ChannelKeyServer
from emulators.server import RunningEmulators
from tests.inbound.raw_http import raw_connection
from tests.inbound.served import JSON, served_bot, valid_token
from tests.support.bot import BotUnderTest
from tests.support.e2e import propose, text_of
from tests.support.emulators import PartnerCenterView

FLOODERS = 4


async def flood(
    bot: BotUnderTest, stop: asyncio.Event, outcomes: list[str], answered: asyncio.Event
) -> None:
    """Unauthenticated 1 MiB posts, one after another, until `stop`; `answered` after one."""
    body = flood_body(bot._connector_url)
    headers = JSON | {"Content-Length": str(len(body))}
    while not stop.is_set():
        try:
            async with raw_connection(bot.base_url) as connection:
                connection.send_head("/api/messages", headers)
                connection.send(body)
                outcomes.append(str(await connection.status()))
        except ConnectionError:  # closed while the body was still being sent
            outcomes.append("closed")
        answered.set()


async def test_health_and_an_authenticated_confirm_are_answered_during_a_flood(
    fresh: RunningEmulators,
    keys: ChannelKeyServer,
    session: aiohttp.ClientSession,
    partner_center: PartnerCenterView,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.inbound.adapter")
    async with served_bot(fresh, keys) as bot:
        bot.headers = valid_token(bot, keys)
        _, pending_id = await propose(bot, "mark 123 won")
        stop = asyncio.Event()
        outcomes: list[list[str]] = [[] for _ in range(FLOODERS)]
        answered = [asyncio.Event() for _ in range(FLOODERS)]
        flooders = [
            asyncio.create_task(flood(bot, stop, mine, event))
            for mine, event in zip(outcomes, answered, strict=True)
        ]
        try:  # every flooder has had an answer: the flood is under way
            await asyncio.wait_for(asyncio.gather(*(event.wait() for event in answered)), 60)

            async with session.get(f"{bot.base_url}/healthz") as health:
                health_status = health.status
            confirmed = await bot.click(CONFIRM_VERB, {"pendingId": pending_id})
            still_flooding = all(not task.done() for task in flooders)
        finally:
            stop.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*flooders), 60)

        assert still_flooding
        assert health_status == 200
        assert confirmed.status == 200
        assert "Won" in text_of(confirmed.card)
        assert len(await partner_center.patches()) == 1
        refused = [outcome for mine in outcomes for outcome in mine]
        assert set(refused) <= {"401", "closed"}, refused
        unauthorized = [r for r in caplog.records if r.getMessage().startswith("adapter.unauth")]
        assert len(unauthorized) == len(refused) >= FLOODERS
        sent = [activity.conversation_id for activity in bot.connector.sent]
        assert FLOOD_CONVERSATION not in sent

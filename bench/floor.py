"""`python -m bench.floor [--stock]`: the floor, a bare echo bot on the same adapter as the bot.

Same `ReferralAdapter` (with its SDK fixes: kept connector clients replying over aiohttp,
`bot.inbound.sdk_speedups`), auth disabled as in demo mode; it replies with text. `--stock` runs
the same
echo bot on botbuilder's own `CloudAdapter` with none of those fixes: the "before" of the SDK
fixes. It prints its URL the way `python -m bot` does, so the benchmark starts every server the
same way.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Protocol

from aiohttp import web
from botbuilder.core import ActivityHandler, Bot, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bot.inbound.adapter import BotFrameworkConfig, ReferralAdapter
from bot.settings import BotSettings


class EchoBot(ActivityHandler):  # type: ignore[misc]  # botbuilder ships no types
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"echo: {turn_context.activity.text}")


class Adapter(Protocol):
    async def process(self, request: web.Request, bot: Bot) -> web.Response | None: ...


def _adapter(*, stock: bool) -> Adapter:
    if not stock:
        return ReferralAdapter.from_settings(BotSettings(), authenticate=False)
    config = BotFrameworkConfig.of(BotSettings(), authenticate=False)
    stock_adapter: Adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))
    return stock_adapter


def create_floor_app(*, stock: bool = False) -> web.Application:
    adapter = _adapter(stock=stock)
    bot = EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        return await adapter.process(request, bot) or web.Response(status=201)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def close_clients(_: web.Application) -> None:
        """The kept connector clients and their aiohttp session, as the bot's app closes them."""
        if isinstance(adapter, ReferralAdapter):
            await adapter.connector_clients.aclose()

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.on_cleanup.append(close_clients)
    return app


async def serve(*, stock: bool) -> None:
    runner = web.AppRunner(create_floor_app(stock=stock), access_log=None, handle_signals=False)
    await runner.setup()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        print(f"Echo bot listening on http://{host}:{port}/api/messages", flush=True)
        await stop.wait()
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(serve(stock="--stock" in sys.argv[1:]))

"""`python -m bench.floor`: the floor, a bare echo bot on the same adapter class as the bot.

Same `ReferralAdapter` (with its fixes), auth disabled as in demo mode; it replies with text.
It prints its URL the way `python -m bot` does, so the benchmark starts both the same way.
"""

from __future__ import annotations

import asyncio
import signal

from aiohttp import web
from botbuilder.core import ActivityHandler, TurnContext

from bot.adapter import ReferralAdapter
from bot.settings import BotSettings


class EchoBot(ActivityHandler):  # type: ignore[misc]  # botbuilder ships no types
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"echo: {turn_context.activity.text}")


def create_floor_app() -> web.Application:
    adapter = ReferralAdapter.from_settings(BotSettings(), authenticate=False)
    bot = EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        return await adapter.process(request, bot)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    return app


async def serve() -> None:
    runner = web.AppRunner(create_floor_app(), access_log=None, handle_signals=False)
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
    asyncio.run(serve())

"""`python -m bot`: read Settings from the environment, serve the bot, print where it listens.

Port 0 picks a free port; the printed URL is the real one. Ctrl-C (or SIGTERM) stops it cleanly.
Served through `bot.inbound.serving`: a header deadline and a cap on unauthenticated connections.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web
from pydantic import ValidationError

from bot.app import create_app
from bot.inbound.serving import start_serving
from bot.logging import configure_logging
from bot.settings import ENV_PREFIX, Settings


def _settings_or_exit() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        for problem in error.errors():
            variable = ENV_PREFIX + "__".join(str(part).upper() for part in problem["loc"])
            where = f"{variable}: " if problem["loc"] else ""
            message = str(problem["msg"]).removeprefix("Value error, ")
            print(f"referral-bot: {where}{message}", file=sys.stderr)
        raise SystemExit(2) from None


@asynccontextmanager
async def served(settings: Settings) -> AsyncIterator[web.AppRunner]:
    """The bot served as in production, until the block ends; `python -m demo` serves it so too."""
    runner = await start_serving(
        create_app(settings),
        settings.host,
        settings.port,
        settings.inbound,
        access_log=None,
        handle_signals=False,
    )
    try:
        yield runner
    finally:
        await runner.cleanup()


async def serve(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with served(settings) as runner:
        host, port = runner.addresses[0][:2]
        print(f"Referral Bot listening on http://{host}:{port}/api/messages", flush=True)
        await stop.wait()


def main() -> None:
    settings = _settings_or_exit()
    configure_logging(
        settings.log_level,
        library_level=settings.log.library_level,
        show_storage_ids=settings.log.show_storage_ids,
    )
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()

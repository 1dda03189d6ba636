"""A local webhook receiver for the emulator's deliveries: records what arrives, answers as told."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web
from multidict import CIMultiDict


@dataclass(frozen=True)
class Received:
    headers: CIMultiDict[str]
    body: bytes


@dataclass
class Receiver:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    statuses: deque[int] = field(default_factory=deque)  # answers in order, then 200
    delays: deque[float] = field(default_factory=deque)  # per request, before answering
    gate: asyncio.Event | None = None  # when set up, every request waits for it
    in_flight: int = 0
    most_in_flight: int = 0
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def until(self, ready: Callable[[Receiver], bool], within: float = 5.0) -> None:
        """Wait until `ready(self)` holds (checked whenever a request arrives)."""
        async with asyncio.timeout(within), self.changed:
            await self.changed.wait_for(lambda: ready(self))

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(Received(CIMultiDict(request.headers), await request.read()))
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        async with self.changed:
            self.changed.notify_all()
        try:
            if self.delays:
                await asyncio.sleep(self.delays.popleft())
            if self.gate is not None:
                await self.gate.wait()
            return web.Response(status=self.statuses.popleft() if self.statuses else 200)
        finally:
            self.in_flight -= 1


@asynccontextmanager
async def receiving(path: str = "/api/partner-center/events") -> AsyncIterator[Receiver]:
    """A receiver on 127.0.0.1, port 0, in the test's event loop; stopped on exit."""
    receiver = Receiver()
    app = web.Application()
    app.router.add_post(path, receiver.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    receiver.url = f"http://127.0.0.1:{port}{path}"
    try:
        yield receiver
    finally:
        if receiver.gate is not None:
            receiver.gate.set()
        await runner.cleanup()

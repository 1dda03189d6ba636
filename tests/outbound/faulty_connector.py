"""`FaultyConnector` is `tests.support.bot.FakeConnector` plus a script of refusals (429 with or
without Retry-After, 403, 503 …) and a log of every request with its arrival time, so tests can
count what the bot sent, when, and what was delivered. Arrival times are read on `clock`: the
bot's `SkippedTime` in tests/outbound/conftest.py, so the waits it skipped count."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from tests.support.bot import FakeConnector


@dataclass(frozen=True)
class Fault:
    """Answer the next `method` request with `status` (and a Retry-After header, if given)."""

    status: int
    method: str = "POST"
    retry_after: str | None = None


@dataclass(frozen=True)
class Seen:
    method: str
    at: float  # `clock()` on arrival: real time plus the waits the bot skipped
    text: str
    status: int


@dataclass
class FaultyConnector(FakeConnector):
    clock: Callable[[], float] = time.monotonic
    faults: list[Fault] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)

    def posts(self) -> list[Seen]:
        return [request for request in self.seen if request.method == "POST"]

    async def _record(self, request: web.Request) -> web.Response:
        arrived = self.clock()
        body = await request.json()
        fault = next((f for f in self.faults if f.method == request.method), None)
        status = fault.status if fault else 200
        self.seen.append(Seen(request.method, arrived, str(body.get("text") or ""), status))
        if fault is None:
            return await super()._record(request)
        self.faults.remove(fault)
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
        error = {"error": {"code": "Throttled" if status == 429 else "Refused", "message": "no"}}
        return web.json_response(error, status=status, headers=headers)

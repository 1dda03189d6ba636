"""A fake Bot Framework connector that throttles as Teams documents, for the fan-out bench.

Teams' "Rate limiting for bots" (learn.microsoft.com/microsoftteams/platform/bots/how-to/
rate-limit): per bot per thread (conversation), send to conversation 7 per 1 s, 8 per 2 s, 60 per
30 s, 1,800 per hour; and "the global limit per app per tenant is 50 Requests Per Second" (some
revisions of the page said 30). Past any of them Teams answers 429. This connector counts every
accepted send, reply and update per conversation and per tenant by its arrival, answers 429
with `Retry-After` (whole seconds until a slot frees) past a limit, and counts each 429.

It records every accepted activity with its arrival time (wall clock, comparable with the
emulator's delivery times), answers the member lookup an install makes (`members`), and may
answer after `latency` seconds (Teams' own is not documented) so the bot's concurrency shows:
`max_in_flight` is the most requests it was answering at once.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Final

from aiohttp import web

ADAPTIVE_CARD: Final = "application/vnd.microsoft.card.adaptive"


@dataclass(frozen=True)
class Limit:
    """At most `operations` arrivals in any `seconds`."""

    operations: int
    seconds: float


PER_CONVERSATION: Final = (Limit(7, 1.0), Limit(8, 2.0), Limit(60, 30.0), Limit(1800, 3600.0))
PER_TENANT_RPS: Final = 50
CONVERSATION, TENANT = "conversation", "tenant"


class SlidingLog:
    """The arrivals one key accepted, as many as its largest limit needs."""

    def __init__(self, limits: Iterable[Limit]) -> None:
        self._limits = tuple(limits)
        self._arrivals: deque[float] = deque(maxlen=max(x.operations for x in self._limits))

    def wait(self, now: float) -> float:
        """Seconds until one more arrival fits every limit (0: it fits now)."""
        due = [
            self._arrivals[-x.operations] + x.seconds - now
            for x in self._limits
            if len(self._arrivals) >= x.operations
        ]
        return max([0.0, *due])

    def add(self, now: float) -> None:
        self._arrivals.append(now)


@dataclass(frozen=True)
class Posted:
    """One accepted activity: where, when (time.time()), how, and whether it carries a card."""

    conversation: str
    at: float
    method: str
    cards: int
    text: str


def _tenant(body: dict[str, Any]) -> str:
    conversation = body.get("conversation") or {}
    data = body.get("channelData") or {}
    tenant = conversation.get("tenantId") or (data.get("tenant") or {}).get("id")
    return str(tenant or "")


def _cards(body: dict[str, Any]) -> int:
    attachments = body.get("attachments") or []
    return sum(1 for a in attachments if a.get("contentType") == ADAPTIVE_CARD)


@dataclass
class TeamsConnector:
    """Teams' connector as a bot sees it under load: throttled, recorded, counted."""

    conversation_limits: tuple[Limit, ...] = PER_CONVERSATION
    tenant_limits: tuple[Limit, ...] = (Limit(PER_TENANT_RPS, 1.0),)
    latency: float = 0.0
    clock: Callable[[], float] = time.monotonic
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    posted: list[Posted] = field(default_factory=list)
    throttled: Counter[str] = field(default_factory=Counter)
    in_flight: int = 0
    max_in_flight: int = 0
    _logs: dict[tuple[str, str], SlidingLog] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        route = "/v3/conversations/{conversation}/activities"
        app.router.add_post(route, self._activity)
        app.router.add_post(route + "/{reply_to}", self._activity)
        app.router.add_put(route + "/{reply_to}", self._activity)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        return app

    def add_member(self, teams_id: str, name: str, upn: str, aad_object_id: str) -> None:
        self.members[teams_id] = {
            "id": teams_id,
            "name": name,
            "aadObjectId": aad_object_id,
            "email": upn,
            "userPrincipalName": upn,
            "userRole": "user",
        }

    def start_counting(self) -> None:
        """Forget what was recorded and counted so far; the limits' windows go on."""
        self.posted.clear()
        self.throttled.clear()
        self.max_in_flight = self.in_flight

    def cards_per_conversation(self) -> Counter[str]:
        return Counter(p.conversation for p in self.posted if p.method == "POST" and p.cards)

    def _log(self, kind: str, key: str) -> SlidingLog:
        found = self._logs.get((kind, key))
        if found is None:
            limits = self.conversation_limits if kind == CONVERSATION else self.tenant_limits
            found = self._logs[(kind, key)] = SlidingLog(limits)
        return found

    def _admit(self, conversation: str, tenant: str) -> web.Response | None:
        """None: the activity is within every limit (and counted); else the 429 to answer."""
        now = self.clock()
        logs = {CONVERSATION: self._log(CONVERSATION, conversation)}
        if self.tenant_limits:
            logs[TENANT] = self._log(TENANT, tenant)
        waits = {kind: log.wait(now) for kind, log in logs.items()}
        kind, wait = max(waits.items(), key=lambda item: item[1])
        if wait > 0:
            self.throttled[kind] += 1
            error = {"error": {"code": "Throttled", "message": f"Too many requests ({kind})"}}
            headers = {"Retry-After": str(max(1, math.ceil(wait)))}
            return web.json_response(error, status=429, headers=headers)
        for log in logs.values():
            log.add(now)
        return None

    async def _activity(self, request: web.Request) -> web.Response:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            body = await request.json()
            conversation = request.match_info["conversation"]
            refused = self._admit(conversation, _tenant(body))
            if refused is not None:
                return refused
            posted = Posted(
                conversation, time.time(), request.method, _cards(body), str(body.get("text") or "")
            )
            self.posted.append(posted)
            if self.latency:
                await asyncio.sleep(self.latency)
            if request.method == "PUT":
                return web.json_response({"id": request.match_info["reply_to"]})
            return web.json_response({"id": f"activity-{next(self._ids)}"})
        finally:
            self.in_flight -= 1

    async def _member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["member"])
        if member is None:
            error = {"error": {"code": "MemberNotFoundInConversation", "message": "not found"}}
            return web.json_response(error, status=404)
        return web.json_response(member)


@asynccontextmanager
async def running_teams_connector(
    connector: TeamsConnector,
) -> AsyncIterator[str]:
    """`connector` on 127.0.0.1:0; yields its base URL (the activities' serviceUrl)."""
    runner = web.AppRunner(connector.app(), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        yield f"http://{host}:{port}/"
    finally:
        await runner.cleanup()

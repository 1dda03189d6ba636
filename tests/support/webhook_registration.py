"""A stand-in for Partner Center's webhook registration API, shaped as its docs show it, for the
client and CLI tests until the emulator serves it: one registration per tenant, the supported
event names, test events with their status. It records every request and can be told to fail
the next ones (`fail_next`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

SUPPORTED = (
    "test-created",
    "subscription-updated",
    "referral-created",
    "referral-updated",
    "related-referral-created",
    "related-referral-updated",
)
BASE = "/webhooks/v1/registration"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    body: Any
    headers: dict[str, str]


@dataclass
class RegistrationApi:
    """`accepts(token)` decides whether a bearer token is good enough (401 otherwise)."""

    accepts: Callable[[str], bool]
    registration: dict[str, Any] | None = None
    requests: list[Recorded] = field(default_factory=list)
    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    test_results: list[dict[str, Any]] = field(
        default_factory=lambda: [
            {
                "responseCode": "OK",
                "responseMessage": "",
                "systemError": False,
                "dateTimeUtc": "2026-03-02T09:15:01.2386997",
            }
        ]
    )
    _server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return str(self._server.make_url(BASE))

    def writes(self) -> list[Recorded]:
        return [r for r in self.requests if r.method != "GET"]

    def fail_next(self, status: int, headers: dict[str, str] | None = None, times: int = 1) -> None:
        self.failures += [(status, headers or {})] * times

    async def start(self) -> None:
        app = web.Application(middlewares=[self._checked])
        app.router.add_get(f"{BASE}/events", self._events)
        app.router.add_route("*", BASE, self._registration)
        app.router.add_post(f"{BASE}/validationEvents", self._send_test)
        app.router.add_get(f"{BASE}/validationEvents/{{id}}", self._test_status)
        self._server = TestServer(app, host="127.0.0.1", port=0)
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    @web.middleware
    async def _checked(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        raw = await request.read()
        body = json.loads(raw) if raw else None
        self.requests.append(Recorded(request.method, request.path, body, dict(request.headers)))
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or not self.accepts(token):
            return web.json_response({"code": 401, "description": "Unauthorized"}, status=401)
        if self.failures:
            status, headers = self.failures.pop(0)
            return web.json_response({"code": status}, status=status, headers=headers)
        return await handler(request)

    async def _events(self, request: web.Request) -> web.Response:
        return web.json_response(list(SUPPORTED))

    async def _registration(self, request: web.Request) -> web.Response:
        if request.method == "GET":
            if self.registration is None:
                return web.json_response({"code": 404}, status=404)
            return web.json_response(self.registration)
        if request.method == "DELETE":
            self.registration = None
            return web.Response(status=204)
        body = await request.json()
        self.registration = {
            "SubscriberId": "e82cac64-dc67-4cd3-849b-78b6127dd57d",
            "WebhookUrl": body["WebhookUrl"],
            "WebhookEvents": body["WebhookEvents"],
        }
        return web.json_response(self.registration)

    async def _send_test(self, request: web.Request) -> web.Response:
        return web.json_response({"correlationId": "04af2aea-d413-42db-824e-f328001484d1"})

    async def _test_status(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "correlationId": request.match_info["id"],
                "partnerId": "00234d9d-8c2d-4ff5-8c18-39f8afc6f7f3",
                "status": "completed",
                "callbackUrl": (self.registration or {}).get("WebhookUrl"),
                "results": self.test_results,
            }
        )

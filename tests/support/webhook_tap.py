"""A tap on Partner Center's webhook deliveries: registered as the `WebhookUrl` in the bot's
place, it keeps each delivery's exact bytes and signing headers and passes it on, unchanged, to
every target at once (one bot, or several instances: each gets the same signed delivery).

Its answer to the emulator is 200 when every target answered 2xx, else the first other status,
so the emulator's retries behave as with one receiver. `post(...)` sends a kept delivery again
(a replay), or changed bytes and headers (a forgery), to any URL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.support.event_signing import SigningCertificate

SIGNING_HEADERS = (
    "Content-Type",
    "Authorization",
    "x-ms-signature",
    "x-ms-certificate-url",
    "x-ms-signature-algorithm",
)


@dataclass(frozen=True)
class Captured:
    """One delivery as the emulator sent it."""

    body: bytes
    headers: dict[str, str]

    def resigned(self, body: bytes, signer: SigningCertificate, certificate_url: str) -> Captured:
        """`body` signed by `signer`, pointing at `certificate_url` (an impostor's delivery)."""
        headers = {
            **{name: value for name, value in self.headers.items() if name != "Authorization"},
            "Authorization": f"Signature {signer.sign(body)}",
            "x-ms-certificate-url": certificate_url,
        }
        return Captured(body, headers)


@dataclass
class WebhookTap:
    targets: list[str]
    captured: list[Captured] = field(default_factory=list)
    answers: list[list[int]] = field(default_factory=list)  # per delivery, each target's status
    url: str = ""
    _session: aiohttp.ClientSession | None = None

    async def _tap(self, request: web.Request) -> web.Response:
        delivery = Captured(
            await request.read(),
            {name: request.headers[name] for name in SIGNING_HEADERS if name in request.headers},
        )
        self.captured.append(delivery)
        assert self._session is not None
        statuses = list(
            await asyncio.gather(*(post(self._session, url, delivery) for url in self.targets))
        )
        self.answers.append(statuses)
        failed = [status for status in statuses if not 200 <= status < 300]
        return web.Response(status=failed[0] if failed else 200)


async def post(session: aiohttp.ClientSession, url: str, delivery: Captured) -> int:
    async with session.post(url, data=delivery.body, headers=delivery.headers) as answer:
        await answer.read()
        return answer.status


@asynccontextmanager
async def tapping(*targets: str) -> AsyncIterator[WebhookTap]:
    """A tap on 127.0.0.1:0 passing deliveries on to `targets` (the bots' event URLs)."""
    tap = WebhookTap(list(targets))
    app = web.Application()
    app.router.add_post("/events", tap._tap)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        tap._session = session
        tap.url = str(server.make_url("/events"))
        try:
            yield tap
        finally:
            await server.close()


def signing_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {name: headers[name] for name in SIGNING_HEADERS if name in headers}

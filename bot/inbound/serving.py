"""How the bot is served: a header deadline and a cap on connections without a valid token.

Issue 13, D8: 2,000 half-sent requests stayed open for 130 s (+2,000 file handles, +17 MiB).
What bounds a connection now (defaults in `bot.settings.InboundSettings`):

- Headers: aiohttp closes a connection that has not sent complete request headers within its
  keep-alive timeout, counted from when it opened or from its previous answer; that timeout is
  set to `header_timeout_seconds` (15 s). It is also how long an idle keep-alive connection is
  kept, so a proxy in front must close idle connections to the bot sooner than that.
- Bodies: a request without a valid token is answered 401 from its headers and its connection
  closed, unread (bot.inbound.adapter); an authenticated body must arrive within
  `body_read_timeout_seconds` (10 s), else 408 and close (bot.inbound.body).
- Count: at most `max_unauthenticated_connections` (256) connections may be open that have not
  yet carried a request with a valid channel token (health probes and the demo's loopback
  clients count too); beyond that a new connection is closed as soon as it is accepted. This
  bounds file handles and memory, not availability: an attacker who keeps 256 connections busy
  still delays new callers by up to `header_timeout_seconds`, so per-client-address limits
  belong in the reverse proxy (nginx `limit_conn`, Azure Front Door / Application Gateway).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.log import server_logger

from bot.settings import InboundSettings

logger = logging.getLogger(__name__)

ProtocolFactory = Callable[[], asyncio.Protocol]


@dataclass
class ConnectionGuard:
    """Counts open connections that have not authenticated; refuses those beyond `limit`."""

    limit: int
    refused: int = 0
    _unauthenticated: set[asyncio.BaseTransport] = field(default_factory=set)
    _warned: bool = False

    @property
    def unauthenticated(self) -> int:
        return len(self._unauthenticated)

    def wrap(self, factory: ProtocolFactory) -> ProtocolFactory:
        return lambda: _GuardedProtocol(self, factory())

    def authenticated(self, transport: asyncio.BaseTransport | None) -> None:
        """A request on `transport` carried a valid channel token: it no longer counts."""
        if transport is not None:
            self._unauthenticated.discard(transport)

    def _admit(self, transport: asyncio.BaseTransport) -> bool:
        if len(self._unauthenticated) >= self.limit:
            self.refused += 1
            if not self._warned:  # once per episode: a flood must not flood the log too
                logger.warning("serving.connections_refused limit=%d", self.limit)
                self._warned = True
            return False
        self._warned = False
        self._unauthenticated.add(transport)
        return True

    def _closed(self, transport: asyncio.BaseTransport) -> None:
        self._unauthenticated.discard(transport)


CONNECTION_GUARD = web.AppKey("connection_guard", ConnectionGuard)


def connection_authenticated(request: web.Request) -> None:
    """Called once a request's token is verified; a no-op when the app is not guarded."""
    guard = request.config_dict.get(CONNECTION_GUARD)
    if guard is not None:
        guard.authenticated(request.transport)


class _GuardedProtocol(asyncio.Protocol):
    """aiohttp's protocol for one connection, admitted by the guard or closed on accept."""

    def __init__(self, guard: ConnectionGuard, inner: asyncio.Protocol) -> None:
        self._guard = guard
        self._inner = inner
        self._transport: asyncio.BaseTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if not self._guard._admit(transport):
            transport.abort()  # type: ignore[attr-defined]  # a socket transport
            return
        self._transport = transport
        self._inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._transport is None:  # refused on accept: aiohttp never saw it
            return
        self._guard._closed(self._transport)
        self._inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()


class GuardedSite(web.TCPSite):
    """`web.TCPSite` whose connections go through a `ConnectionGuard` first."""

    def __init__(self, runner: web.BaseRunner, host: str, port: int, guard: ConnectionGuard):
        super().__init__(runner, host, port)
        self._guard = guard

    async def start(self) -> None:
        await web.BaseSite.start(self)  # registers the site with its runner
        server = self._runner.server
        assert server is not None
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._guard.wrap(server), self._host, self._port)
        self._bound_port = self._server.sockets[0].getsockname()[1]


def runner_options(inbound: InboundSettings) -> dict[str, Any]:
    """`web.AppRunner` keyword arguments that bound a connection's header phase, and aiohttp's
    server logger with client errors told apart from faults (`ClientErrorsQuiet`)."""
    return {
        "keepalive_timeout": inbound.header_timeout_seconds,
        "logger": ClientErrorsQuiet(server_logger),
    }


class ClientErrorsQuiet(logging.LoggerAdapter):  # type: ignore[type-arg]  # generic in typeshed only
    """aiohttp's server logger, but a request its HTTP parser refused (a malformed request line
    or header, an encoding it cannot decode such as `br` without Brotli: the client's fault,
    answered 4xx before any handler or token check) is one INFO line without a traceback.

    aiohttp logs those at ERROR with a 40-line traceback, so anyone who can reach the port
    could fill the log with tracebacks (issue 13, D5). Everything else passes unchanged."""

    def exception(self, msg: object, *args: object, exc_info: Any = True, **kwargs: Any) -> None:
        error = exc_info if isinstance(exc_info, BaseException) else None
        if isinstance(error, HttpProcessingError) and 400 <= error.code < 500:
            self.info(
                "http.refused status=%d reason=%s", error.code, type(error).__name__, **kwargs
            )
            return
        super().exception(msg, *args, exc_info=exc_info, **kwargs)


async def start_serving(
    app: web.Application, host: str, port: int, inbound: InboundSettings, **runner: Any
) -> web.AppRunner:
    """The app served on host:port with the inbound limits; `await runner.cleanup()` stops it."""
    guard = ConnectionGuard(inbound.max_unauthenticated_connections)
    app[CONNECTION_GUARD] = guard
    app_runner = web.AppRunner(app, **(runner_options(inbound) | runner))
    await app_runner.setup()
    try:
        await GuardedSite(app_runner, host, port, guard).start()
    except BaseException:
        await app_runner.cleanup()
        raise
    return app_runner

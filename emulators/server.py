"""Start both emulators on loopback sockets, in this event loop or in a thread of their own.

A thread of their own matters: msal is blocking, and an identity provider on the same event
loop as a blocking msal call deadlocks.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

from emulators.certs import (
    WEBHOOK_CERTIFICATE_NAME,
    WEBHOOK_CERTIFICATE_PATH,
    WEBHOOK_ISSUER_ORGANIZATION,
    LocalTls,
    WebhookSigningChain,
)
from emulators.config import EmulatorConfig, TokenTrust
from emulators.entra.app import create_identity_app
from emulators.entra.keys import KeyRing
from emulators.entra.state import IDENTITY
from emulators.partner_center.app import create_referrals_app
from emulators.token_service.app import create_token_service_app


@dataclass(frozen=True)
class RunningEmulators:
    referrals_base_url: str  # http://127.0.0.1:P  (API under /v1.0/engagements/referrals)
    identity_base_url: str  # https://127.0.0.1:Q (authority = base/tenant)
    ca_file: Path
    keys: KeyRing
    # http://127.0.0.1:R — the Bot Framework token service emulation (the bot's OAUTH_URL)
    token_service_url: str = ""
    # Webhook signing (docs/webhooks.md): the root CA receivers trust for the signing chain,
    # where the signing certificate is served (x-ms-certificate-url; HTTPS, trusted through
    # `ca_file`), and the DNS name the certificate is issued to.
    webhook_ca_file: Path | None = None
    webhook_certificate_url: str = ""
    webhook_certificate_name: str = WEBHOOK_CERTIFICATE_NAME
    webhook_issuer_organization: str = WEBHOOK_ISSUER_ORGANIZATION

    @property
    def referrals_url(self) -> str:
        return f"{self.referrals_base_url}/v1.0/engagements/referrals"

    @property
    def webhooks_url(self) -> str:
        """Partner Center's `{baseURL}/webhooks/v1/registration`, served by the Referrals app."""
        return f"{self.referrals_base_url}/webhooks/v1/registration"

    @property
    def webhook_certificate_host(self) -> str:
        """`host:port` of the certificate URL: the allowed certificate host for a receiver."""
        return urlsplit(self.webhook_certificate_url).netloc

    def authority(self, tenant_id: str) -> str:
        return f"{self.identity_base_url}/{tenant_id}"


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


_SHUTDOWN_SECONDS = 2.0


class EmulatorStack:
    def __init__(
        self,
        config: EmulatorConfig,
        *,
        referrals_port: int = 0,
        identity_port: int = 0,
        ca_dir: Path | None = None,
        token_service_port: int = 0,
    ) -> None:
        self._config = config
        self._ports = (referrals_port, identity_port)
        self._token_service_port = token_service_port
        self._ca_dir = ca_dir
        self._runners: list[web.AppRunner] = []
        self._tls: LocalTls | None = None
        self._signing: WebhookSigningChain | None = None

    async def start(self) -> RunningEmulators:
        host = self._config.host
        tls = self._tls = LocalTls(self._ca_dir)
        signing = self._signing = WebhookSigningChain(self._ca_dir)
        keys = KeyRing()
        identity_sock = _bind(host, self._ports[1])
        referrals_sock = _bind(host, self._ports[0])
        identity_base = f"https://{host}:{identity_sock.getsockname()[1]}"
        referrals_base = f"http://{host}:{referrals_sock.getsockname()[1]}"
        trust = TokenTrust(
            issuer_base=identity_base,
            jwks_url=f"{identity_base}/common/discovery/v2.0/keys",
            ssl_context=tls.client_context(),
        )
        certificate_url = f"{identity_base}{WEBHOOK_CERTIFICATE_PATH}"
        identity = create_identity_app(self._config, keys, identity_base)
        signing.add_route(identity)
        referrals = create_referrals_app(
            self._config, trust, referrals_base, signer=signing, certificate_url=certificate_url
        )
        await self._serve(identity, identity_sock, tls)
        await self._serve(referrals, referrals_sock, None)
        token_service_url = await self._serve_token_service(identity)
        return RunningEmulators(
            referrals_base,
            identity_base,
            tls.ca_file,
            keys,
            token_service_url,
            webhook_ca_file=signing.ca_file,
            webhook_certificate_url=certificate_url,
        )

    async def _serve_token_service(self, identity: web.Application) -> str:
        """The Bot Framework token service emulation, minting through the identity emulator."""
        sock = _bind(self._config.host, self._token_service_port)
        app = create_token_service_app(
            identity[IDENTITY],
            client_id=next(iter(self._config.clients), ""),
            test_controls=self._config.test_controls,
        )
        await self._serve(app, sock, None)
        return f"http://{self._config.host}:{sock.getsockname()[1]}"

    async def _serve(self, app: web.Application, sock: socket.socket, tls: LocalTls | None) -> None:
        runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=_SHUTDOWN_SECONDS
        )
        await runner.setup()
        self._runners.append(runner)
        ssl_context = tls.server_context() if tls else None
        await web.SockSite(runner, sock, ssl_context=ssl_context).start()

    async def stop(self) -> None:
        for runner in reversed(self._runners):
            # A TLS connection a client keeps alive waits for the peer's close_notify, which an
            # idle pooled client never sends: abort what is left so no socket outlives the stop.
            server = runner.server
            handlers = list(server.connections) if server else []
            transports = [h.transport for h in handlers if h.transport is not None]
            await runner.cleanup()
            for transport in transports:
                transport.abort()
            await asyncio.sleep(0)  # let the aborted transports run connection_lost
        self._runners.clear()
        if self._tls is not None:
            self._tls.close()
        if self._signing is not None:
            self._signing.close()


@contextmanager
def emulators_in_thread(config: EmulatorConfig) -> Iterator[RunningEmulators]:
    """Run the emulators on their own event loop in a daemon thread (tests, msal callers)."""
    loop = asyncio.new_event_loop()
    stack = EmulatorStack(config)
    thread = threading.Thread(target=loop.run_forever, name="emulators", daemon=True)
    thread.start()
    try:
        running = asyncio.run_coroutine_threadsafe(stack.start(), loop).result(timeout=30)
        yield running
    finally:
        asyncio.run_coroutine_threadsafe(stack.stop(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        loop.close()

"""A local Bot Framework OpenID endpoint (metadata + JWKS) and a channel token minter.

The keys server is aiohttp on 127.0.0.1:0 in the test's own loop: bot.inbound.channel_token fetches
with aiohttp, never blocking. It counts JWKS fetches so tests can prove "one refresh, then 401".
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from aiohttp.test_utils import TestServer
from botframework.connector.auth import ServiceClientCredentialsFactory
from botframework.connector.auth.app_credentials import AppCredentials

from emulators.entra.keys import SigningKey

ISSUER = "https://api.botframework.com"
CHANNEL = "msteams"


@dataclass
class ChannelKeyServer:
    """Publishes `published` keys, each endorsed for `endorsements`; counts JWKS fetches."""

    published: list[SigningKey] = field(default_factory=lambda: [SigningKey.generate()])
    endorsements: list[str] = field(default_factory=lambda: [CHANNEL])
    jwks_fetches: int = 0
    delay_seconds: float = 0.0  # a slow metadata endpoint
    base_url: str = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/v1/keys", self._keys)
        return app

    @property
    def metadata_url(self) -> str:
        return f"{self.base_url}/v1/.well-known/openidconfiguration"

    async def _metadata(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.delay_seconds)
        return web.json_response({"issuer": ISSUER, "jwks_uri": f"{self.base_url}/v1/keys"})

    async def _keys(self, request: web.Request) -> web.Response:
        self.jwks_fetches += 1
        keys = [k.public_jwk() | {"endorsements": list(self.endorsements)} for k in self.published]
        return web.json_response({"keys": keys})


@asynccontextmanager
async def serving(server: ChannelKeyServer) -> AsyncIterator[ChannelKeyServer]:
    test_server = TestServer(server.app(), host="127.0.0.1", port=0)
    await test_server.start_server()
    try:
        server.base_url = str(test_server.make_url("")).rstrip("/")
        yield server
    finally:
        await test_server.close()


@dataclass(frozen=True)
class TokenMinter:
    """Channel tokens as the Bot Framework would sign them (RS256, kid), with overrides."""

    key: SigningKey
    app_id: str

    def claims(self, service_url: str, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": self.app_id,
            "serviceurl": service_url,
            "nbf": now - 5,
            "iat": now - 5,
            "exp": now + 3600,
        }
        return {name: value for name, value in (claims | overrides).items() if value is not None}

    def token(
        self,
        service_url: str,
        *,
        key: SigningKey | None = None,
        kid: str | None = None,
        **claims: Any,
    ) -> str:
        signer = key or self.key
        headers = {"kid": kid or signer.kid}
        payload = self.claims(service_url, **claims)
        return jwt.encode(payload, signer.private_key, algorithm="RS256", headers=headers)


class FixedCredentials(AppCredentials):  # type: ignore[misc]
    """Outbound replies get a fixed token: no msal, no network beyond the fake connector."""

    def get_access_token(self, force_refresh: bool = False) -> str:
        return "outbound-test-token"


class FixedCredentialsFactory(ServiceClientCredentialsFactory):  # type: ignore[misc]
    def __init__(self, app_id: str) -> None:
        self._app_id = app_id

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == self._app_id

    async def is_authentication_disabled(self) -> bool:
        return False

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> AppCredentials:
        return FixedCredentials(app_id=app_id, oauth_scope=oauth_scope)


def authorization(bot: Any, minter: TokenMinter) -> dict[str, str]:
    """A valid `Authorization` header for activities whose serviceUrl is the bot's connector."""
    return {"Authorization": f"Bearer {minter.token(bot._connector_url)}"}

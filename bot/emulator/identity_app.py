"""Identity emulator: a stand-in for Microsoft Entra ID that the unmodified msal talks to."""

from __future__ import annotations

from aiohttp import web

from bot.emulator.config import EmulatorConfig
from bot.emulator.keys import KeyRing


def create_identity_app(config: EmulatorConfig, keys: KeyRing, base_url: str) -> web.Application:
    app = web.Application()

    async def jwks(_: web.Request) -> web.Response:
        return web.json_response(keys.jwks())

    app.router.add_get("/{tenant}/discovery/v2.0/keys", jwks)
    return app

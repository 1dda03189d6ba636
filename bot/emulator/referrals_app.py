"""Partner Center Referrals API emulator: routes, auth, If-Match/ETag, Prefer, JSON Patch rules."""

from __future__ import annotations

from aiohttp import web

from bot.emulator.config import EmulatorConfig, TokenTrust


def create_referrals_app(
    config: EmulatorConfig, trust: TokenTrust, base_url: str
) -> web.Application:
    app = web.Application()

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app.router.add_get("/healthz", healthz)
    return app

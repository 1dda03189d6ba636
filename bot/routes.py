"""HTTP routes: the Bot Framework endpoint and a health check. Collaborators come from AppKeys."""

from __future__ import annotations

from aiohttp import web

from bot.inbound.activity_handler import ReferralBot
from bot.inbound.adapter import ReferralAdapter

ADAPTER = web.AppKey("adapter", ReferralAdapter)
BOT = web.AppKey("bot", ReferralBot)


async def messages(request: web.Request) -> web.StreamResponse:
    return await request.app[ADAPTER].process(request, request.app[BOT])


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def add_routes(app: web.Application) -> None:
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)

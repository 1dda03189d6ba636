"""HTTP routes: the Bot Framework endpoint, Partner Center's webhook events and a health check.
Collaborators come from AppKeys."""

from __future__ import annotations

from aiohttp import web

from bot.inbound.activity_handler import ReferralBot
from bot.inbound.adapter import ReferralAdapter
from bot.inbound.partner_center_events import PartnerCenterEvents

ADAPTER = web.AppKey("adapter", ReferralAdapter)
BOT = web.AppKey("bot", ReferralBot)
EVENTS = web.AppKey("partner_center_events", PartnerCenterEvents)


async def messages(request: web.Request) -> web.StreamResponse:
    return await request.app[ADAPTER].process(request, request.app[BOT])


async def partner_center_events(request: web.Request) -> web.StreamResponse:
    return await request.app[EVENTS].handle(request)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def add_routes(app: web.Application, *, events_path: str | None = None) -> None:
    """`events_path`: where Partner Center posts webhook events; None = not served."""
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    if events_path is not None:
        app.router.add_post(events_path, partner_center_events)

"""The fake Bot Framework connector the servers reply to (like tests.support.bot's)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.cards.confirm_change import CONFIRM_VERB


def _confirm_data(node: Any) -> dict[str, Any] | None:
    """The data of the Confirm button somewhere in a card."""
    if isinstance(node, dict):
        if node.get("verb") == CONFIRM_VERB:
            data: dict[str, Any] = node.get("data") or {}
            return data
        node = list(node.values())
    if isinstance(node, list):
        for item in node:
            if (found := _confirm_data(item)) is not None:
                return found
    return None


@dataclass
class FakeConnector:
    """Counts replies and keeps the latest Confirm button data per conversation."""

    replies: int = 0
    confirm_data: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        app = web.Application()
        route = "/v3/conversations/{conversation}/activities"
        app.router.add_post(route, self._record)
        app.router.add_post(route + "/{reply_to}", self._record)
        app.router.add_put(route + "/{reply_to}", self._record)
        return app

    async def _record(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.replies += 1
        for attachment in body.get("attachments") or []:
            if (data := _confirm_data(attachment.get("content"))) is not None:
                self.confirm_data[request.match_info["conversation"]] = data
        return web.json_response({"id": f"activity-{next(self._ids)}"})


@asynccontextmanager
async def running_connector() -> AsyncIterator[tuple[FakeConnector, str]]:
    """The connector on 127.0.0.1:0 and its base URL (the activities' serviceUrl)."""
    connector = FakeConnector()
    runner = web.AppRunner(connector.app(), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        yield connector, f"http://{host}:{port}/"
    finally:
        await runner.cleanup()

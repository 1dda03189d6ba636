"""Connector clients are kept across turns: one client, one kept-alive connection.

Why: docs/performance.md, "The stock SDK's costs".
"""

from __future__ import annotations

from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.routes import ADAPTER
from emulators.server import RunningEmulators
from tests.support.activities import message_payload
from tests.support.bot import demo_settings


async def test_one_connector_client_serves_every_turn_over_one_connection(
    fresh: RunningEmulators,
) -> None:
    peers: list[Any] = []

    async def record(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername") if request.transport else None)
        await request.read()
        return web.json_response({"id": f"a{len(peers)}"})

    connector = web.Application()
    connector.router.add_post("/v3/conversations/{c}/activities/{r}", record)
    connector.router.add_post("/v3/conversations/{c}/activities", record)
    app = create_app(demo_settings(fresh))
    async with (
        TestServer(connector, host="127.0.0.1", port=0) as conn_server,
        TestServer(app, host="127.0.0.1", port=0) as bot_server,
        aiohttp.ClientSession() as session,
    ):
        service_url = str(conn_server.make_url("/"))
        for n in range(3):
            payload = message_payload("help") | {"serviceUrl": service_url, "id": f"m{n}"}
            async with session.post(bot_server.make_url("/api/messages"), json=payload) as answer:
                assert answer.status in (200, 201)
        clients = app[ADAPTER].connector_clients
        assert len(clients) == 1

    assert len(peers) == 3  # three replies …
    assert len(set(peers)) == 1  # … on one kept-alive connection
    assert len(clients) == 0  # closed with the app

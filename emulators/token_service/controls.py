"""Test controls of the token-service emulation: a user completes or revokes a sign-in.

`sign-in` plays the seller finishing the sign-in card: the channel user id (`from.id`) is bound
to a fixture user (AAD object id). With `"magic_code": true` the sign-in waits for the code the
user would type or Teams would send in `signin/verifyState`; otherwise it is complete at once.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from emulators.token_service.state import TOKEN_SERVICE

USAGE = (
    'send {"user_id": "<channel user id>", "oid": "<AAD object id>", "tenant_id"?: "...", '
    '"connection_name"?: "...", "magic_code"?: true|false}'
)


def _problem(message: str, status: int = 400) -> web.Response:
    return web.json_response(
        {"error": {"code": "invalidControlRequest", "message": message}}, status=status
    )


async def _body(request: web.Request) -> dict[str, Any] | None:
    try:
        body = json.loads(await request.text() or "{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


async def sign_in(request: web.Request) -> web.Response:
    state = request.app[TOKEN_SERVICE]
    body = await _body(request)
    if body is None or not all(isinstance(body.get(k), str) for k in ("user_id", "oid")):
        return _problem(USAGE)
    user = state.identity.config.fixtures.user_by_oid(body["oid"])
    if user is None:
        return _problem("no such fixture user", status=404)
    connection = body.get("connection_name") or request.query.get("connection")
    if not isinstance(connection, str) or not connection:
        return _problem(USAGE)
    key = (body["user_id"], connection)
    code = state.start_sign_in(
        key, user.oid, user.tenant_id, with_code=bool(body.get("magic_code"))
    )
    return web.json_response({"magic_code": code})


async def sign_out(request: web.Request) -> web.Response:
    body = await _body(request)
    if body is None or not isinstance(body.get("user_id"), str):
        return _problem('send {"user_id": "<channel user id>"}')
    count = request.app[TOKEN_SERVICE].sign_out(body["user_id"], body.get("connection_name"))
    return web.json_response({"signed_out": count})


def add_token_service_controls(app: web.Application) -> None:
    app.router.add_post("/_emulator/token-service/sign-in", sign_in)
    app.router.add_post("/_emulator/token-service/sign-out", sign_out)

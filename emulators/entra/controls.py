"""Test controls of the identity emulator (only with `test_controls`), all JSON:

- POST /_emulator/users/{upn} {"consent_required": bool, "disabled": bool}  → the user's switches
- POST /_emulator/keys/rotate {"keep_previous": bool (default true)}         → {"kid", "kids"}
- POST /_emulator/sso-token {"upn": …, "client_id"?: bot app id, "mfa"?: bool}
      or {"oid": <AAD object id>, "tenant_id"?: …, …} (how a bot knows the user)
      → a Teams SSO token response (same as the developer grant), e.g.
      curl -s --cacert <ca.pem> -H 'Content-Type: application/json' \
        -d '{"upn":"megan.bowen@contoso.com"}' https://127.0.0.1:<port>/_emulator/sso-token
- POST /_emulator/reset, GET|DELETE /_emulator/requests (the shared `EmulatorControls`):
  reset clears the switches and refresh tokens; keys stay as they are.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from emulators.entra.grants import parse_mfa, teams_sso_token
from emulators.entra.state import IDENTITY

SWITCHES = ("consent_required", "disabled")


def _bad_request(message: str, status: int = 400) -> web.Response:
    return web.json_response(
        {"error": {"code": "invalidControlRequest", "message": message}}, status=status
    )


async def _json_object(request: web.Request) -> dict[str, Any] | None:
    text = await request.text()
    if not text.strip():
        return {}
    try:
        body = json.loads(text)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


async def set_user(request: web.Request) -> web.Response:
    ctx = request.app[IDENTITY]
    user = ctx.config.fixtures.user_by_upn(request.match_info["upn"])
    if user is None:
        return _bad_request("no such fixture user", status=404)
    body = await _json_object(request)
    if body is None or set(body) - set(SWITCHES):
        return _bad_request(f"send a JSON object with any of {list(SWITCHES)}")
    if not all(isinstance(value, bool) for value in body.values()):
        return _bad_request("switches are true or false")
    switches = ctx.state.set_switches(user, **body)
    return web.json_response(
        {
            "upn": user.upn,
            "consent_required": switches.consent_required,
            "disabled": switches.disabled,
        }
    )


async def rotate_keys(request: web.Request) -> web.Response:
    body = await _json_object(request)
    keep_previous = True if body is None else body.get("keep_previous", True)
    if body is None or not isinstance(keep_previous, bool):
        return _bad_request('send {"keep_previous": true|false}')
    keys = request.app[IDENTITY].keys
    new = keys.rotate(keep_previous=keep_previous)
    return web.json_response({"kid": new.kid, "kids": [k["kid"] for k in keys.jwks()["keys"]]})


async def sso_token(request: web.Request) -> web.Response:
    ctx = request.app[IDENTITY]
    body = await _json_object(request)
    named = {key: body.get(key) for key in ("upn", "oid", "tenant_id")} if body else {}
    if body is None or not any(isinstance(named[key], str) for key in ("upn", "oid")):
        return _bad_request(
            'send {"upn": "<fixture user>" or "oid": "<AAD object id>", '
            '"client_id"?: "<bot app id>"}'
        )
    client_id = body.get("client_id") or next(iter(ctx.config.clients), "")
    text = {key: value if isinstance(value, str) else None for key, value in named.items()}
    answer = teams_sso_token(ctx, client_id=str(client_id), mfa=parse_mfa(body.get("mfa")), **text)
    return web.json_response(answer, headers={"Cache-Control": "no-store"})


def add_identity_controls(app: web.Application) -> None:
    app.router.add_post("/_emulator/users/{upn}", set_user)
    app.router.add_post("/_emulator/keys/rotate", rotate_keys)
    app.router.add_post("/_emulator/sso-token", sso_token)

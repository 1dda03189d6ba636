"""A local emulation of the Bot Framework token service, backed by the identity emulator.

The bot reaches it through its token-service URL setting (`OAUTH_URL` of the SDK's
parameterized authentication), exactly as it reaches https://api.botframework.com in
production, so `OAuthPrompt`, SSO token exchange and sign-out run unmodified. Tokens are real
Teams SSO tokens for the bot's own app, minted by the identity emulator for the fixture user
bound to the channel user id; the bot trades them on-behalf-of the seller as usual.

Routes (plain HTTP on loopback; paths, parameters and JSON as botframework-connector 4.17.1):
- GET    /api/usertoken/GetToken?userId&connectionName&channelId&code  200 TokenResponse | 404
- POST   /api/usertoken/exchange?userId&connectionName&channelId {uri, token}  200 | 400 | 404
- DELETE /api/usertoken/SignOut?userId&connectionName?&channelId          200
- GET    /api/usertoken/GetTokenStatus?userId&channelId&include          200 [TokenStatus]
- POST   /api/usertoken/GetAadTokens?userId&connectionName {resourceUrls}  200 {url: TokenResponse}
- GET    /api/botsignin/GetSignInResource?state&finalRedirect           200 SignInUrlResponse
Test controls (with `test_controls`), the user completing or revoking a sign-in:
- POST /_emulator/token-service/sign-in {"user_id", "oid", "tenant_id"?, "connection_name"?,
       "magic_code"?: bool} → {"magic_code": str | null}
- POST /_emulator/token-service/sign-out {"user_id"} → {"signed_out": n}
- plus the shared `EmulatorControls` (/_emulator/requests, /_emulator/reset).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt
from aiohttp import web
from jwt.algorithms import RSAAlgorithm

from emulators.controls import EmulatorControls
from emulators.entra.errors import EntraError
from emulators.entra.state import IdentityContext
from emulators.token_service.controls import add_token_service_controls
from emulators.token_service.state import TOKEN_SERVICE, SignIn, TokenServiceState

DEFAULT_CONNECTION = "ReferralBotSso"


def _key(request: web.Request) -> tuple[str, str]:
    query = request.query
    user_id, connection = query.get("userId"), query.get("connectionName")
    if not user_id or not connection:
        raise web.HTTPBadRequest(text="userId and connectionName are required")
    return user_id, connection


def _error(code: str, message: str, status: int) -> web.Response:
    body = {"error": {"code": code, "message": message}}
    return web.json_response(body, status=status)


def _with_channel(answer: dict[str, Any], request: web.Request) -> dict[str, Any]:
    return answer | {"channelId": request.query.get("channelId")}


async def get_token(request: web.Request) -> web.Response:
    state = request.app[TOKEN_SERVICE]
    try:
        answer = state.token_for(_key(request), request.query.get("code"))
    except EntraError:
        answer = None  # the user was disabled or removed since signing in
    if answer is None:
        return _error("TokenNotFound", "no token for this user and connection", 404)
    return web.json_response(_with_channel(answer, request))


def _verified_claims(ctx: IdentityContext, token: str) -> dict[str, Any] | None:
    """The claims of an SSO token the identity emulator signed, or None."""
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        jwk = next(k for k in ctx.keys.jwks()["keys"] if k.get("kid") == kid)
        key: Any = RSAAlgorithm.from_jwk(json.dumps(jwk))
        claims: dict[str, Any] = jwt.decode(
            token, key, algorithms=["RS256"], options={"verify_aud": False}
        )
    except (jwt.PyJWTError, StopIteration, ValueError):
        return None
    return claims


async def exchange(request: web.Request) -> web.Response:
    """Teams SSO: trade the token Teams gave the bot for the connection's token."""
    state = request.app[TOKEN_SERVICE]
    key = _key(request)
    try:
        body = await request.json()
    except ValueError:
        body = None
    token = body.get("token") if isinstance(body, dict) else None
    claims = _verified_claims(state.identity, token) if isinstance(token, str) else None
    if claims is None or not isinstance(claims.get("oid"), str):
        return _error("ExchangeFailed", "the token cannot be exchanged", 400)
    sign_in = SignIn(str(claims["oid"]), str(claims.get("tid") or ""))
    try:
        answer = state.mint(key, sign_in)
    except EntraError:
        return _error("ExchangeFailed", "the user cannot sign in", 400)
    state.sign_ins[key] = sign_in
    return web.json_response(_with_channel(answer, request))


async def sign_out(request: web.Request) -> web.Response:
    user_id = request.query.get("userId")
    if not user_id:
        raise web.HTTPBadRequest(text="userId is required")
    request.app[TOKEN_SERVICE].sign_out(user_id, request.query.get("connectionName"))
    return web.json_response({})


async def token_status(request: web.Request) -> web.Response:
    user_id = request.query.get("userId") or ""
    state = request.app[TOKEN_SERVICE]
    statuses = [
        {
            "channelId": request.query.get("channelId"),
            "connectionName": connection,
            "hasToken": sign_in.pending_code is None,
            "serviceProviderDisplayName": "Azure Active Directory v2",
        }
        for (owner, connection), sign_in in state.sign_ins.items()
        if owner == user_id
    ]
    return web.json_response(statuses)


async def aad_tokens(request: web.Request) -> web.Response:
    state = request.app[TOKEN_SERVICE]
    body = await request.json()
    urls = body.get("resourceUrls") if isinstance(body, dict) else None
    answer = state.token_for(_key(request), None)
    if answer is None or not isinstance(urls, list):
        return _error("TokenNotFound", "no token for this user and connection", 404)
    return web.json_response({str(url): _with_channel(answer, request) for url in urls})


def _decoded_state(state: str) -> dict[str, Any]:
    try:
        decoded = json.loads(base64.b64decode(state + "=" * (-len(state) % 4)))
    except ValueError:
        decoded = None
    return decoded if isinstance(decoded, dict) else {}


async def sign_in_resource(request: web.Request) -> web.Response:
    exchange_state = _decoded_state(request.query.get("state", ""))
    connection = str(exchange_state.get("ConnectionName") or DEFAULT_CONNECTION)
    client_id = request.app[TOKEN_SERVICE].client_id
    base = f"{request.scheme}://{request.host}"
    return web.json_response(
        {
            "signInLink": f"{base}/_emulator/token-service/sign-in?connection={connection}",
            "tokenExchangeResource": {
                "id": connection,
                "uri": f"api://{client_id}/access_as_user",
                "providerId": "emulated-aad-v2",
            },
        }
    )


def create_token_service_app(
    identity: IdentityContext, *, client_id: str, test_controls: bool
) -> web.Application:
    state = TokenServiceState(identity, client_id)
    controls = None
    if test_controls:
        controls = EmulatorControls(on_reset=state.reset, recorded_prefix="/api/")
    app = web.Application(middlewares=[controls.middleware] if controls else [])
    app[TOKEN_SERVICE] = state
    app.router.add_get("/api/usertoken/GetToken", get_token)
    app.router.add_post("/api/usertoken/exchange", exchange)
    app.router.add_delete("/api/usertoken/SignOut", sign_out)
    app.router.add_get("/api/usertoken/GetTokenStatus", token_status)
    app.router.add_post("/api/usertoken/GetAadTokens", aad_tokens)
    app.router.add_get("/api/botsignin/GetSignInResource", sign_in_resource)
    if controls is not None:
        controls.add_routes(app)
        add_token_service_controls(app)
    return app

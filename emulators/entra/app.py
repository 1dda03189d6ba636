"""Identity emulator: a stand-in for Microsoft Entra ID that the unmodified msal talks to.

Routes (HTTPS on loopback; `{tenant}` is a fixture tenant id, `organizations` or `common`):
- GET  /{tenant}/v2.0/.well-known/openid-configuration   OpenID discovery (identity_discovery)
- GET  /{tenant}/discovery/v2.0/keys                      JWKS (the Referrals emulator reads
                                                          /common/discovery/v2.0/keys)
- POST /{tenant}/oauth2/v2.0/token                        grants (identity_grants): on-behalf-of,
                                                          refresh_token, client_credentials, and
                                                          with test controls the developer grant
                                                          urn:referral-bot:grant-type:dev-teams-sso
- /_emulator/*                                            test controls (identity_controls)

Errors are Entra-shaped (identity_errors). Per-run state (user switches, refresh tokens) sits
in the app under `IDENTITY`; requests are recorded by the shared `EmulatorControls`, which
redacts secrets (`client_secret`, `assertion`, `refresh_token`) from recorded form bodies.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from emulators.config import EmulatorConfig
from emulators.controls import EmulatorControls
from emulators.entra.controls import add_identity_controls
from emulators.entra.discovery import checked_tenant, discovery, jwks
from emulators.entra.errors import EntraError, render_error
from emulators.entra.grants import TokenRequest, grant
from emulators.entra.keys import KeyRing
from emulators.entra.state import IDENTITY, IdentityContext, IdentityState

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@web.middleware
async def entra_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except EntraError as error:
        return render_error(error, request, request.app[IDENTITY].base_url)


async def token(request: web.Request) -> web.Response:
    ctx = request.app[IDENTITY]
    tenant = checked_tenant(ctx, request.match_info["tenant"])
    form = await request.post() if request.content_type.endswith("form-urlencoded") else {}
    fields = {name: value for name, value in form.items() if isinstance(value, str)}
    answer = grant(TokenRequest(ctx, tenant, fields, request.headers.get("Authorization")))
    return web.json_response(answer, headers=NO_STORE)


def create_identity_app(config: EmulatorConfig, keys: KeyRing, base_url: str) -> web.Application:
    state = IdentityState()
    middlewares: list[Middleware] = [entra_errors]
    controls = None
    if config.test_controls:
        controls = EmulatorControls(on_reset=state.reset, recorded_prefix="/")
        middlewares.insert(0, controls.middleware)
    app = web.Application(middlewares=middlewares)
    app[IDENTITY] = IdentityContext(config, keys, base_url.rstrip("/"), state)
    app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", discovery)
    app.router.add_get("/{tenant}/discovery/v2.0/keys", jwks)
    app.router.add_post("/{tenant}/oauth2/v2.0/token", token)
    if controls is not None:
        controls.add_routes(app)
        add_identity_controls(app)
    return app

"""Who may call the webhook API, as "Partner Center webhooks" documents it.

The docs: every call carries a bearer token for `https://api.partnercenter.microsoft.com`
(the token the rest of the Partner Center API takes, not the Referrals API's
`https://api.partner.microsoft.com`); both App-only and App+User credentials are accepted;
the appropriate roles are Global admin, Billing admin, Admin agent, Sales agent and Helpdesk
agent. A registration belongs to the token's tenant (`tid`).

The token itself is checked as for the Referrals API (`token_check.TokenVerifier`: RS256
against the identity emulator's keys, issuer, audience, lifetime) → 401 `unauthenticated`.
**Decisions:** an App+User caller needs one of those roles (403 `accessDenied`) and, when MFA
is enforced, the MFA claim (401), as for referrals; an App-only token needs no role.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from emulators.config import PARTNER_CENTER_REST_AUDIENCE, EmulatorConfig, TokenTrust
from emulators.partner_center.errors import ApiError, access_denied, unauthenticated
from emulators.partner_center.token_check import SessionVerifier

WEBHOOK_PREFIX = "/webhooks/"
WEBHOOK_ROLES = frozenset(
    {"globaladmin", "billingadmin", "adminagent", "salesagent", "helpdeskagent"}
)


@dataclass(frozen=True)
class WebhookCaller:
    tenant_id: str
    app_only: bool


WEBHOOK_CALLER = web.RequestKey("webhook_caller", WebhookCaller)


def webhook_caller_of(request: web.Request) -> WebhookCaller:
    return request[WEBHOOK_CALLER]


def _role_key(role: object) -> str:
    return str(role).replace(" ", "").replace("_", "").casefold()


def resolve_webhook_caller(claims: Mapping[str, Any], config: EmulatorConfig) -> WebhookCaller:
    tenant_id = str(claims.get("tid", ""))
    if claims.get("idtyp") == "app" or not claims.get("scp"):
        return WebhookCaller(tenant_id, app_only=True)
    amr = claims.get("amr") or []
    if config.enforce_mfa and (not isinstance(amr, list) or "mfa" not in amr):
        raise unauthenticated("Multi-factor authentication (MFA) is required for this API.")
    user = config.fixtures.user_by_oid(str(claims.get("oid", "")))
    token_roles = claims.get("roles")
    roles = user.roles if user else token_roles if isinstance(token_roles, list) else []
    if not WEBHOOK_ROLES.intersection(_role_key(role) for role in roles):
        raise access_denied(
            "The user needs the Global admin, Billing admin, Admin agent, Sales agent or "
            "Helpdesk agent role."
        )
    return WebhookCaller(tenant_id, app_only=False)


class WebhookGuard:
    def __init__(self, config: EmulatorConfig, trust: TokenTrust) -> None:
        self._config = config
        self._tokens = SessionVerifier(
            dataclasses.replace(trust, audience=PARTNER_CENTER_REST_AUDIENCE)
        )
        self.session_context = self._tokens.session_context

    @property
    def middleware(self) -> Middleware:
        @web.middleware
        async def webhook_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
            if not request.path.startswith(WEBHOOK_PREFIX):
                return await handler(request)
            try:
                claims = await self._tokens.verify(request.headers.get("Authorization"))
                request[WEBHOOK_CALLER] = resolve_webhook_caller(claims, self._config)
            except ApiError as exc:
                return exc.response()
            return await handler(request)

        return webhook_guard

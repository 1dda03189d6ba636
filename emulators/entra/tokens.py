"""Token responses as Entra's v2 token endpoint shapes them, and the scopes it grants.

For Partner Center's `.default` Entra answers `scope` with the consented scopes plus
`.default` itself (`…/user_impersonation …/.default`); msal files the access token under those
scopes, which is what lets `acquire_token_silent([…/.default])` find it again.
`client_info` (`{"uid": oid, "utid": tid}`, base64url) is returned only when the request asked
for it (`client_info=1`, as msal always does); msal builds the cached account from it and from
the `id_token`, which comes only with the `openid` scope.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from emulators.config import PARTNER_CENTER_AUDIENCE
from emulators.entra.claims import app_only_claims, partner_center_claims, user_claims
from emulators.entra.errors import EntraError, invalid_scope
from emulators.entra.state import IdentityContext
from emulators.fixtures import FixtureUser

OIDC_SCOPES = frozenset({"openid", "profile", "offline_access", "email"})
USER_IMPERSONATION = f"{PARTNER_CENTER_AUDIENCE}/user_impersonation"
DEFAULT_SCOPE = f"{PARTNER_CENTER_AUDIENCE}/.default"
_ID_TOKEN_CLAIMS = ("aud", "iss", "iat", "nbf", "exp", "name", "oid", "preferred_username")
_ID_TOKEN_CLAIMS_MORE = ("sub", "tid", "ver")


@dataclass(frozen=True)
class DelegatedScopes:
    granted: tuple[str, ...]  # what `scope` says in the answer
    openid: bool
    offline: bool


def parse_delegated_scopes(raw: str) -> DelegatedScopes:
    """Only Partner Center is a known resource; its `.default` grants `user_impersonation`."""
    requested = raw.split()
    resource = [scope for scope in requested if scope not in OIDC_SCOPES]
    if not resource or any(scope not in (USER_IMPERSONATION, DEFAULT_SCOPE) for scope in resource):
        raise invalid_scope(raw)
    granted = (
        (USER_IMPERSONATION, DEFAULT_SCOPE) if DEFAULT_SCOPE in resource else (USER_IMPERSONATION,)
    )
    return DelegatedScopes(granted, "openid" in requested, "offline_access" in requested)


def client_credentials_audience(raw: str) -> str:
    """Client credentials take exactly one `{resource}/.default`, as in Entra."""
    scopes = raw.split()
    if len(scopes) != 1 or not scopes[0].endswith("/.default"):
        raise EntraError(
            "invalid_scope",
            1002012,
            f"The provided value for scope {raw} is not valid. Client credential flows must "
            "have a scope value with /.default suffixed to the resource identifier.",
        )
    return scopes[0].removesuffix("/.default")


def encode_client_info(user: FixtureUser) -> str:
    raw = json.dumps({"uid": user.oid, "utid": user.tenant_id}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _id_token(ctx: IdentityContext, user: FixtureUser, client_id: str) -> str:
    claims = user_claims(
        user,
        identity_base_url=ctx.base_url,
        audience=client_id,
        client_id=client_id,
        scope="",
        lifetime_seconds=ctx.config.token_lifetime_seconds,
    )
    wanted = _ID_TOKEN_CLAIMS + _ID_TOKEN_CLAIMS_MORE
    return ctx.keys.sign({name: claims[name] for name in wanted})


def _lifetimes(ctx: IdentityContext) -> dict[str, Any]:
    lifetime = ctx.config.token_lifetime_seconds
    return {"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime}


def user_token_response(
    ctx: IdentityContext,
    user: FixtureUser,
    *,
    client_id: str,
    scopes: DelegatedScopes,
    amr: tuple[str, ...],
    client_info: bool,
) -> dict[str, Any]:
    """A Partner Center token for `user`, plus what msal needs to cache and refresh it."""
    claims = partner_center_claims(
        user,
        identity_base_url=ctx.base_url,
        client_id=client_id,
        lifetime_seconds=ctx.config.token_lifetime_seconds,
    )
    claims["amr"] = list(amr)
    body = {
        **_lifetimes(ctx),
        "scope": " ".join(scopes.granted),
        "access_token": ctx.keys.sign(claims),
    }
    if scopes.offline:
        body["refresh_token"] = ctx.state.issue_refresh_token(client_id, user, amr)
    if scopes.openid:
        body["id_token"] = _id_token(ctx, user, client_id)
    if client_info:
        body["client_info"] = encode_client_info(user)
    return body


def app_token_response(
    ctx: IdentityContext, tenant_id: str, *, client_id: str, audience: str
) -> dict[str, Any]:
    claims = app_only_claims(
        tenant_id,
        identity_base_url=ctx.base_url,
        client_id=client_id,
        audience=audience,
        lifetime_seconds=ctx.config.token_lifetime_seconds,
    )
    return {**_lifetimes(ctx), "access_token": ctx.keys.sign(claims)}

"""The grants of `POST /{tenant}/oauth2/v2.0/token`: on-behalf-of, refresh, client credentials.

Plus, only with test controls on, a developer grant that issues a fixture user's Teams SSO
token (audience = the bot's app id), the token Teams would hand the bot:

    POST /{tenant}/oauth2/v2.0/token
    grant_type=urn:referral-bot:grant-type:dev-teams-sso&upn=<upn>&client_id=<bot app id>
    [&mfa=true|false]   (default: the fixture user's own `mfa`; true = has completed MFA)

The user may be named by `oid` (the AAD object id a Teams activity carries as
`from.aadObjectId`) instead of `upn`, optionally with `tenant_id`, which must then be theirs.

Confidential clients authenticate with `client_id` + `client_secret` in the body (msal's way)
or HTTP Basic. Checks run in Entra's order: client, scope, assertion, user, consent, MFA.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from emulators.entra.assertions import verify_assertion
from emulators.entra.claims import teams_sso_claims
from emulators.entra.discovery import GENERIC_TENANTS
from emulators.entra.errors import (
    EntraError,
    consent_required,
    invalid_assertion,
    mfa_required,
    missing_parameter,
    user_disabled,
    user_not_found,
)
from emulators.entra.state import IdentityContext
from emulators.entra.tokens import (
    DEFAULT_SCOPE,
    app_token_response,
    client_credentials_audience,
    parse_delegated_scopes,
    user_token_response,
)
from emulators.fixtures import FixtureUser

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
DEV_TEAMS_SSO = "urn:referral-bot:grant-type:dev-teams-sso"
MFA_POLICY_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "referral-bot:require-mfa-for-partner-center"))
MFA_CLAIMS_CHALLENGE = json.dumps(
    {"access_token": {"capolids": {"essential": True, "values": [MFA_POLICY_ID]}}},
    separators=(",", ":"),
)
PARTNER_CENTER_RESOURCE = "https://api.partner.microsoft.com"


@dataclass(frozen=True)
class TokenRequest:
    ctx: IdentityContext
    tenant: str  # the authority's tenant segment: a tenant id, organizations or common
    form: Mapping[str, str]
    authorization: str | None = None  # the Authorization header, for HTTP Basic clients

    def require(self, name: str) -> str:
        value = self.form.get(name, "")
        if not value:
            raise missing_parameter(name)
        return value

    def client_secret(self) -> tuple[str, str | None]:
        client_id, secret = self.form.get("client_id", ""), self.form.get("client_secret")
        scheme, _, encoded = (self.authorization or "").partition(" ")
        if scheme.lower() == "basic":
            try:
                basic_id, _, basic_secret = base64.b64decode(encoded).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError) as exc:
                raise EntraError("invalid_client", 7000216, "Bad client auth.", status=401) from exc
            client_id, secret = unquote_plus(basic_id), unquote_plus(basic_secret)
        return client_id, secret


def _unknown_app(client_id: str) -> EntraError:
    return EntraError(
        "unauthorized_client",
        700016,
        f"Application with identifier '{client_id}' was not found in the directory.",
    )


def authenticate_client(request: TokenRequest) -> str:
    client_id, secret = request.client_secret()
    if not client_id:
        raise missing_parameter("client_id")
    expected = request.ctx.config.clients.get(client_id)
    if expected is None:
        raise _unknown_app(client_id)
    if not secret:
        raise EntraError(
            "invalid_client",
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or "
            "'client_secret'.",
            status=401,
        )
    if not hmac.compare_digest(secret.encode(), expected.encode()):
        raise EntraError(
            "invalid_client",
            7000215,
            "Invalid client secret provided. Ensure the secret being sent in the request is the "
            f"client secret value, not the client secret ID, for a secret added to app "
            f"'{client_id}'.",
            status=401,
        )
    return client_id


def _check_tenant(request: TokenRequest, user_tenant: str) -> None:
    if request.tenant not in GENERIC_TENANTS and request.tenant != user_tenant:
        raise invalid_assertion("[Reason - The assertion was issued by another tenant.]")


def _check_user(
    request: TokenRequest, user: FixtureUser, client_id: str, amr: tuple[str, ...]
) -> None:
    switches = request.ctx.state.switches_for(user)
    if switches.disabled:
        raise user_disabled()
    if switches.consent_required:
        raise consent_required(client_id, PARTNER_CENTER_RESOURCE)
    if request.ctx.config.enforce_mfa and "mfa" not in amr:
        raise mfa_required(PARTNER_CENTER_RESOURCE, MFA_CLAIMS_CHALLENGE)


def on_behalf_of(request: TokenRequest) -> dict[str, Any]:
    client_id = authenticate_client(request)
    assertion, scope = request.require("assertion"), request.require("scope")
    if request.form.get("requested_token_use") != "on_behalf_of":
        raise missing_parameter("requested_token_use")
    scopes = parse_delegated_scopes(scope)
    claims = verify_assertion(request.ctx, assertion, client_id=client_id)
    _check_tenant(request, str(claims["tid"]))
    user = request.ctx.config.fixtures.user_by_oid(str(claims["oid"]))
    if user is None or user.tenant_id != claims["tid"]:
        raise user_not_found()
    amr = tuple(str(method) for method in claims.get("amr", ()))
    _check_user(request, user, client_id, amr)
    return user_token_response(
        request.ctx,
        user,
        client_id=client_id,
        scopes=scopes,
        amr=amr,
        client_info=request.form.get("client_info") == "1",
    )


def refresh_token(request: TokenRequest) -> dict[str, Any]:
    client_id = authenticate_client(request)
    grant = request.ctx.state.refresh_tokens.get(request.require("refresh_token"))
    if grant is None or grant.client_id != client_id:
        raise EntraError("invalid_grant", 9002313, "Invalid request. Request is malformed.")
    if grant.expires_at <= time.time():
        raise EntraError("invalid_grant", 700082, "The refresh token has expired.")
    scopes = parse_delegated_scopes(request.form.get("scope") or f"{DEFAULT_SCOPE} openid")
    _check_tenant(request, grant.user.tenant_id)
    _check_user(request, grant.user, client_id, grant.amr)
    return user_token_response(
        request.ctx,
        grant.user,
        client_id=client_id,
        scopes=scopes,
        amr=grant.amr,
        client_info=request.form.get("client_info") == "1",
    )


def client_credentials(request: TokenRequest) -> dict[str, Any]:
    """App-only tokens, for tests proving Partner Center refuses them for referrals."""
    client_id = authenticate_client(request)
    audience = client_credentials_audience(request.require("scope"))
    tenant_id = request.tenant
    if tenant_id in GENERIC_TENANTS:
        users = request.ctx.config.fixtures.users
        tenant_id = users[0].tenant_id if users else tenant_id
    return app_token_response(request.ctx, tenant_id, client_id=client_id, audience=audience)


def parse_mfa(raw: object) -> bool | None:
    if raw is None or raw == "":
        return None
    return str(raw).strip().casefold() in {"true", "1", "yes"}


def _sso_user(
    ctx: IdentityContext, upn: str | None, oid: str | None, tenant_id: str | None
) -> FixtureUser:
    fixtures = ctx.config.fixtures
    user = fixtures.user_by_upn(upn) if upn else fixtures.user_by_oid(oid) if oid else None
    if user is None or (tenant_id and user.tenant_id != tenant_id):
        raise user_not_found()
    return user


def teams_sso_token(
    ctx: IdentityContext,
    *,
    client_id: str,
    mfa: bool | None,
    upn: str | None = None,
    oid: str | None = None,
    tenant_id: str | None = None,
) -> dict[str, Any]:
    """A fixture user's Teams SSO token for the bot app `client_id` (test controls only).

    The user is named by `upn` or by `oid` (+ optional `tenant_id`), as a bot knows them.
    """
    if client_id not in ctx.config.clients:
        raise _unknown_app(client_id)
    user = _sso_user(ctx, upn, oid, tenant_id)
    if ctx.state.switches_for(user).disabled:
        raise user_disabled()
    lifetime = ctx.config.token_lifetime_seconds
    claims = teams_sso_claims(
        user, identity_base_url=ctx.base_url, bot_app_id=client_id, lifetime_seconds=lifetime
    )
    if mfa is not None:
        claims["amr"] = ["pwd", "mfa"] if mfa else ["pwd"]
    return {
        "token_type": "Bearer",
        "scope": f"api://{client_id}/access_as_user",
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": ctx.keys.sign(claims),
    }


def dev_teams_sso(request: TokenRequest) -> dict[str, Any]:
    oid = request.form.get("oid")
    return teams_sso_token(
        request.ctx,
        upn=None if oid else request.require("upn"),
        oid=oid,
        tenant_id=request.form.get("tenant_id"),
        client_id=request.require("client_id"),
        mfa=parse_mfa(request.form.get("mfa")),
    )


def grant(request: TokenRequest) -> dict[str, Any]:
    """Dispatch on `grant_type`; the developer grant exists only with test controls on."""
    grant_type = request.require("grant_type")
    if grant_type == JWT_BEARER:
        return on_behalf_of(request)
    if grant_type == "refresh_token":
        return refresh_token(request)
    if grant_type == "client_credentials":
        return client_credentials(request)
    if grant_type == DEV_TEAMS_SSO and request.ctx.config.test_controls:
        return dev_teams_sso(request)
    raise EntraError(
        "unsupported_grant_type",
        70003,
        f"The app requested an unsupported grant type '{grant_type}'.",
    )

"""OpenID discovery and JWKS, per tenant, shaped like Entra's v2 documents.

For `organizations` and `common` the issuer holds Entra's `{tenantid}` placeholder (msal does
not check the issuer of an Entra-style authority); the token endpoint keeps the requested
segment, because msal files cached tokens under the tenant it reads from that URL.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from emulators.entra.errors import EntraError
from emulators.entra.state import IDENTITY, IdentityContext

GENERIC_TENANTS = frozenset({"organizations", "common"})


def checked_tenant(ctx: IdentityContext, tenant: str) -> str:
    """The tenant path segment, if Entra would know it: a fixture tenant id or a generic one."""
    if tenant in GENERIC_TENANTS or tenant in ctx.known_tenants():
        return tenant
    raise EntraError(
        "invalid_tenant",
        90002,
        f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID.",
    )


def openid_configuration(base_url: str, tenant: str) -> dict[str, Any]:
    root = f"{base_url}/{tenant}"
    issuer_tenant = "{tenantid}" if tenant in GENERIC_TENANTS else tenant
    return {
        "issuer": f"{base_url}/{issuer_tenant}/v2.0",
        "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
        "token_endpoint": f"{root}/oauth2/v2.0/token",
        "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
        "end_session_endpoint": f"{root}/oauth2/v2.0/logout",
        "jwks_uri": f"{root}/discovery/v2.0/keys",
        "token_endpoint_auth_methods_supported": [
            "client_secret_post",
            "private_key_jwt",
            "client_secret_basic",
        ],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "claims_supported": [
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "nbf",
            "name",
            "oid",
            "tid",
            "preferred_username",
            "ver",
        ],
        "request_uri_parameter_supported": False,
        "tenant_region_scope": None,
        "cloud_instance_name": "microsoftonline.com",
    }


async def discovery(request: web.Request) -> web.Response:
    ctx = request.app[IDENTITY]
    tenant = checked_tenant(ctx, request.match_info["tenant"])
    return web.json_response(openid_configuration(ctx.base_url, tenant))


async def jwks(request: web.Request) -> web.Response:
    ctx = request.app[IDENTITY]
    checked_tenant(ctx, request.match_info["tenant"])
    return web.json_response(ctx.keys.jwks())

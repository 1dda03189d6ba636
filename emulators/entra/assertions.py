"""Checking an on-behalf-of assertion the way Entra does before it trades it in.

The assertion must be a user token this emulator signed (any published key), issued by
`{base}/{tid}/v2.0`, not expired, and addressed to the app that presents it (its app id or
an `api://…/{app id}` URI).
"""

from __future__ import annotations

from typing import Any

import jwt

from emulators.entra.claims import issuer
from emulators.entra.errors import (
    EntraError,
    expired_assertion,
    foreign_audience,
    invalid_assertion,
)
from emulators.entra.state import IdentityContext


def _public_key(ctx: IdentityContext, assertion: str) -> Any:
    try:
        kid = jwt.get_unverified_header(assertion).get("kid")
    except jwt.PyJWTError as exc:
        raise invalid_assertion("[Reason - The assertion is not a JWT.]") from exc
    for jwk in ctx.keys.jwks()["keys"]:
        if jwk.get("kid") == kid:
            return jwt.PyJWK(jwk).key
    raise invalid_assertion("[Reason - The key was not found.]")


def _unverified_tenant(assertion: str) -> str:
    try:
        claims = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise invalid_assertion("[Reason - The assertion is not a JWT.]") from exc
    return str(claims.get("tid", ""))


def addressed_to(audience: object, client_id: str) -> bool:
    if audience == client_id:
        return True
    return (
        isinstance(audience, str)
        and audience.startswith("api://")
        and audience.rstrip("/").endswith(client_id)
    )


def verify_assertion(ctx: IdentityContext, assertion: str, *, client_id: str) -> dict[str, Any]:
    """The assertion's claims, or the `EntraError` Entra would answer."""
    key = _public_key(ctx, assertion)
    expected_issuer = issuer(ctx.base_url, _unverified_tenant(assertion))
    try:
        claims: dict[str, Any] = jwt.decode(
            assertion,
            key,
            algorithms=["RS256"],
            issuer=expected_issuer,
            options={"require": ["exp", "iat", "iss", "tid", "oid"], "verify_aud": False},
        )
    except (jwt.ExpiredSignatureError, jwt.ImmatureSignatureError) as exc:
        raise expired_assertion() from exc
    except jwt.InvalidIssuerError as exc:
        raise invalid_assertion("[Reason - The issuer is not trusted.]") from exc
    except jwt.PyJWTError as exc:
        raise invalid_assertion("[Reason - The signature or claims are invalid.]") from exc
    if not addressed_to(claims.get("aud"), client_id):
        raise foreign_audience()
    if claims.get("idtyp") == "app" or not claims.get("scp"):
        raise EntraError("invalid_grant", 50013, "Assertion is not a delegated user token.")
    return claims

"""The claims the identity emulator puts in tokens, shaped like Entra's v2 access tokens."""

from __future__ import annotations

import time
import uuid
from typing import Any

from emulators.config import PARTNER_CENTER_AUDIENCE, TEAMS_CLIENT_APP_ID
from emulators.fixtures import FixtureUser


def issuer(identity_base_url: str, tenant_id: str) -> str:
    return f"{identity_base_url}/{tenant_id}/v2.0"


def _times(lifetime_seconds: int, now: float | None) -> dict[str, int]:
    issued = int(time.time() if now is None else now)
    return {"iat": issued, "nbf": issued, "exp": issued + lifetime_seconds}


def user_claims(
    user: FixtureUser,
    *,
    identity_base_url: str,
    audience: str,
    client_id: str,
    scope: str,
    lifetime_seconds: int = 3600,
    now: float | None = None,
) -> dict[str, Any]:
    """A delegated (App+User) token for `user`, issued to `client_id`, for `audience`."""
    return {
        "aud": audience,
        "iss": issuer(identity_base_url, user.tenant_id),
        **_times(lifetime_seconds, now),
        "tid": user.tenant_id,
        "oid": user.oid,
        "sub": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{client_id}:{user.oid}")),
        "upn": user.upn,
        "preferred_username": user.upn,
        "name": user.name,
        "roles": list(user.roles),
        "scp": scope,
        "amr": ["pwd", "mfa"] if user.mfa else ["pwd"],
        "azp": client_id,
        "appid": client_id,
        "idtyp": "user",
        "uti": uuid.uuid4().hex,
        "ver": "2.0",
    }


def partner_center_claims(
    user: FixtureUser, *, identity_base_url: str, client_id: str, **kwargs: Any
) -> dict[str, Any]:
    return user_claims(
        user,
        identity_base_url=identity_base_url,
        audience=PARTNER_CENTER_AUDIENCE,
        client_id=client_id,
        scope="user_impersonation",
        **kwargs,
    )


def teams_sso_claims(
    user: FixtureUser, *, identity_base_url: str, bot_app_id: str, **kwargs: Any
) -> dict[str, Any]:
    """What Teams gets for the bot's app (`access_as_user`), which the bot exchanges by OBO."""
    return user_claims(
        user,
        identity_base_url=identity_base_url,
        audience=bot_app_id,
        client_id=TEAMS_CLIENT_APP_ID,
        scope="access_as_user",
        **kwargs,
    )


def app_only_claims(
    tenant_id: str,
    *,
    identity_base_url: str,
    client_id: str,
    audience: str,
    lifetime_seconds: int = 3600,
    now: float | None = None,
) -> dict[str, Any]:
    """Client credentials: no user, no scp; Partner Center refuses these for referrals."""
    return {
        "aud": audience,
        "iss": issuer(identity_base_url, tenant_id),
        **_times(lifetime_seconds, now),
        "tid": tenant_id,
        "oid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"sp:{client_id}")),
        "sub": str(uuid.uuid5(uuid.NAMESPACE_URL, f"sp:{client_id}")),
        "roles": [],
        "azp": client_id,
        "appid": client_id,
        "idtyp": "app",
        "uti": uuid.uuid4().hex,
        "ver": "2.0",
    }

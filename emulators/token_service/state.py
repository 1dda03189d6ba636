"""What the token-service emulation remembers: who signed in, under which channel user id.

The real Bot Framework token service binds a sign-in to the channel user id that asked for it
(`from.id`), so only the requester can use a sign-in card. Here a test control plays the user
completing that card: it names the fixture user (AAD object id) behind the channel user id.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from emulators.entra.grants import teams_sso_token
from emulators.entra.state import IdentityContext

Key = tuple[str, str]  # (channel user id, connection name)


@dataclass(frozen=True)
class SignIn:
    """A fixture user bound to a channel user id; `pending_code` until the code is redeemed."""

    oid: str
    tenant_id: str
    pending_code: str | None = None


@dataclass
class TokenServiceState:
    identity: IdentityContext
    client_id: str
    sign_ins: dict[Key, SignIn] = field(default_factory=dict)

    def start_sign_in(self, key: Key, oid: str, tenant_id: str, *, with_code: bool) -> str | None:
        code = f"{secrets.randbelow(10**6):06d}" if with_code else None
        self.sign_ins[key] = SignIn(oid, tenant_id, pending_code=code)
        return code

    def token_for(self, key: Key, code: str | None) -> dict[str, Any] | None:
        """A fresh SSO token for a completed sign-in (redeeming `code` completes a pending one)."""
        sign_in = self.sign_ins.get(key)
        if sign_in is None:
            return None
        if sign_in.pending_code is not None:
            if not code or not secrets.compare_digest(code, sign_in.pending_code):
                return None
            sign_in = self.sign_ins[key] = SignIn(sign_in.oid, sign_in.tenant_id)
        return self.mint(key, sign_in)

    def mint(self, key: Key, sign_in: SignIn) -> dict[str, Any]:
        granted = teams_sso_token(
            self.identity,
            client_id=self.client_id,
            mfa=None,
            oid=sign_in.oid,
            tenant_id=sign_in.tenant_id,
        )
        expires = datetime.now(UTC) + timedelta(seconds=int(granted["expires_in"]))
        return {
            "channelId": None,
            "connectionName": key[1],
            "token": granted["access_token"],
            "expiration": expires.isoformat(),
        }

    def sign_out(self, user_id: str, connection_name: str | None) -> int:
        doomed = [k for k in self.sign_ins if k[0] == user_id and connection_name in (None, k[1])]
        for key in doomed:
            del self.sign_ins[key]
        return len(doomed)

    def reset(self) -> None:
        self.sign_ins.clear()


TOKEN_SERVICE = web.AppKey("token_service", TokenServiceState)

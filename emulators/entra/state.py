"""What the identity emulator remembers during a run: per-user switches and refresh tokens.

It lives in the app (`IDENTITY` AppKey), never in module globals, so two emulators in one
process (parallel tests) never share a user's consent or a refresh token.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field, replace

from aiohttp import web

from emulators.config import EmulatorConfig
from emulators.entra.keys import KeyRing
from emulators.fixtures import FixtureUser

REFRESH_TOKEN_LIFETIME_SECONDS = 24 * 3600


@dataclass(frozen=True)
class UserSwitches:
    """Test controls for one user: has not consented yet, or is disabled in the directory."""

    consent_required: bool = False
    disabled: bool = False


@dataclass(frozen=True)
class RefreshGrant:
    """What a refresh token stands for; the token itself is an opaque random string."""

    client_id: str
    user: FixtureUser
    amr: tuple[str, ...]
    expires_at: float


@dataclass
class IdentityState:
    switches: dict[str, UserSwitches] = field(default_factory=dict)  # by casefolded upn
    refresh_tokens: dict[str, RefreshGrant] = field(default_factory=dict)

    def switches_for(self, user: FixtureUser) -> UserSwitches:
        return self.switches.get(user.upn.casefold(), UserSwitches())

    def set_switches(self, user: FixtureUser, **changes: bool) -> UserSwitches:
        updated = replace(self.switches_for(user), **changes)
        self.switches[user.upn.casefold()] = updated
        return updated

    def issue_refresh_token(self, client_id: str, user: FixtureUser, amr: tuple[str, ...]) -> str:
        now = time.time()
        self.refresh_tokens = {
            token: grant for token, grant in self.refresh_tokens.items() if grant.expires_at > now
        }
        token = "rt." + secrets.token_urlsafe(32)
        expires_at = now + REFRESH_TOKEN_LIFETIME_SECONDS
        self.refresh_tokens[token] = RefreshGrant(client_id, user, amr, expires_at)
        return token

    def reset(self) -> None:
        self.switches.clear()
        self.refresh_tokens.clear()


@dataclass(frozen=True)
class IdentityContext:
    """Everything a handler needs, reached through `request.app[IDENTITY]`."""

    config: EmulatorConfig
    keys: KeyRing
    base_url: str
    state: IdentityState

    def known_tenants(self) -> frozenset[str]:
        return frozenset(user.tenant_id for user in self.config.fixtures.users)


IDENTITY = web.AppKey("identity", IdentityContext)

"""Talk to the identity emulator over real HTTPS, as a test: tokens, switches, recorded requests."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import aiohttp
from pydantic import SecretStr

from bot.domain.assertion import UserAssertion
from bot.settings import IdentitySettings
from emulators.config import DEMO_BOT_APP_ID, DEMO_BOT_APP_SECRET
from emulators.entra.claims import teams_sso_claims
from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators

PARTNER_CENTER_DEFAULT = "https://api.partner.microsoft.com/.default"
OBO_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
DEV_SSO_GRANT = "urn:referral-bot:grant-type:dev-teams-sso"


def identity_settings(
    running: RunningEmulators,
    *,
    tenant: str = "organizations",
    client_secret: str = DEMO_BOT_APP_SECRET,
    scope: str = PARTNER_CENTER_DEFAULT,
    ca_file: Path | None = None,
) -> IdentitySettings:
    return IdentitySettings(
        authority_host=running.identity_base_url,
        tenant_id=tenant,
        client_id=DEMO_BOT_APP_ID,
        client_secret=SecretStr(client_secret),
        ca_file=ca_file or running.ca_file,
        partner_center_scope=scope,
    )


def signed_sso_token(running: RunningEmulators, user: FixtureUser, **overrides: Any) -> str:
    """A Teams SSO token signed by the emulator's key, for the bot app; overrides win."""
    claims = teams_sso_claims(
        user, identity_base_url=running.identity_base_url, bot_app_id=DEMO_BOT_APP_ID
    )
    claims.update(overrides)
    return running.keys.sign({k: v for k, v in claims.items() if v is not None})


class IdentityClient:
    """Raw HTTP to the identity emulator (no msal), trusting only its CA."""

    def __init__(self, running: RunningEmulators, session: aiohttp.ClientSession) -> None:
        self.running = running
        self.base = running.identity_base_url
        self._session = session
        self._ssl = ssl.create_default_context(cafile=str(running.ca_file))

    async def get(self, path: str) -> tuple[int, Any]:
        async with self._session.get(self.base + path, ssl=self._ssl) as response:
            return response.status, await response.json(content_type=None)

    async def post_form(
        self, path: str, form: dict[str, str], headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        async with self._session.post(
            self.base + path, data=form, headers=headers, ssl=self._ssl
        ) as response:
            return response.status, await response.json(content_type=None)

    async def post_json(self, path: str, body: Any) -> tuple[int, Any]:
        """Status and JSON body (None when the answer is empty or not JSON)."""
        async with self._session.post(self.base + path, json=body, ssl=self._ssl) as response:
            if response.content_type != "application/json":
                return response.status, None
            return response.status, await response.json()

    async def token(self, form: dict[str, str], tenant: str = "organizations") -> tuple[int, Any]:
        return await self.post_form(f"/{tenant}/oauth2/v2.0/token", form)

    async def sso_token(self, user: FixtureUser, **extra: Any) -> str:
        status, body = await self.post_json("/_emulator/sso-token", {"upn": user.upn, **extra})
        assert status == 200, body
        return str(body["access_token"])

    async def obo(self, assertion: str, **overrides: str) -> tuple[int, Any]:
        form = {
            "grant_type": OBO_GRANT,
            "requested_token_use": "on_behalf_of",
            "client_id": DEMO_BOT_APP_ID,
            "client_secret": DEMO_BOT_APP_SECRET,
            "assertion": assertion,
            "scope": f"{PARTNER_CENTER_DEFAULT} openid profile offline_access",
            "client_info": "1",
            **overrides,
        }
        return await self.token({k: v for k, v in form.items() if v})

    async def set_user(self, user: FixtureUser, **switches: bool) -> None:
        status, body = await self.post_json(f"/_emulator/users/{user.upn}", switches)
        assert status == 200, body

    async def reset(self) -> None:
        status, _ = await self.post_json("/_emulator/reset", {})
        assert status == 204

    async def recorded(self) -> list[dict[str, Any]]:
        """Identity requests recorded since the last reset (the controls themselves excluded)."""
        status, body = await self.get("/_emulator/requests")
        assert status == 200, body
        return list(body["requests"])


def assertion_for(user: FixtureUser, token: str) -> UserAssertion:
    return UserAssertion(tenant_id=user.tenant_id, user_id=user.oid, token=token)

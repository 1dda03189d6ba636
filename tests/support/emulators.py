"""Start the emulators for a test, mint tokens the way the identity emulator would, and read what
the Referrals emulator holds and recorded (`PartnerCenterView`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp

from emulators.config import DEMO_BOT_APP_ID, PARTNER_CENTER_REST_AUDIENCE, EmulatorConfig
from emulators.entra.claims import app_only_claims, partner_center_claims, user_claims
from emulators.fixtures import DEFAULT_TENANT_ID, Fixtures, FixtureUser
from emulators.server import RunningEmulators, emulators_in_thread
from tests.support.emulator_controls import add_fault, recorded_requests

ADMIN = FixtureUser.from_json(
    {"upn": "admin@contoso.example", "name": "Ada Admin", "roles": ["Referral Admin"]}
)
GLOBAL_ADMIN = FixtureUser.from_json(
    {"upn": "global@contoso.example", "name": "Gil Global", "roles": ["Global Admin"]}
)
SELLER = FixtureUser.from_json(
    {"upn": "seller@contoso.example", "name": "Sam Seller", "roles": ["Referral User"]}
)
OTHER_SELLER = FixtureUser.from_json(
    {"upn": "other@contoso.example", "name": "Olga Other", "roles": ["Referral User"]}
)
NO_ROLE = FixtureUser.from_json({"upn": "guest@contoso.example", "name": "Nora Norole"})
NO_MFA = FixtureUser.from_json(
    {"upn": "nomfa@contoso.example", "name": "Max Nomfa", "roles": ["Referral Admin"], "mfa": False}
)
USERS = (ADMIN, GLOBAL_ADMIN, SELLER, OTHER_SELLER, NO_ROLE, NO_MFA)


@contextmanager
def running_emulators(
    referrals: list[dict[str, Any]] | None = None,
    users: tuple[FixtureUser, ...] = USERS,
    **config: Any,
) -> Iterator[RunningEmulators]:
    fixtures = Fixtures.of(users, referrals or [])
    config.setdefault("test_controls", True)
    with emulators_in_thread(EmulatorConfig(fixtures=fixtures, **config)) as running:
        yield running


def mint_partner_center_token(
    running: RunningEmulators, user: FixtureUser, **overrides: Any
) -> str:
    """A Partner Center token for `user` signed by the emulator's active key; overrides win."""
    claims = partner_center_claims(
        user, identity_base_url=running.identity_base_url, client_id=DEMO_BOT_APP_ID
    )
    claims.update(overrides)
    return running.keys.sign({k: v for k, v in claims.items() if v is not None})


def mint_webhook_api_token(
    running: RunningEmulators,
    user: FixtureUser | None = None,
    *,
    tenant_id: str = DEFAULT_TENANT_ID,
    **overrides: Any,
) -> str:
    """A token for Partner Center's webhook API (`https://api.partnercenter.microsoft.com`):
    App-only for `tenant_id` when `user` is None (what client credentials give the bot's app),
    else App+User for `user`."""
    if user is None:
        claims = app_only_claims(
            tenant_id,
            identity_base_url=running.identity_base_url,
            client_id=DEMO_BOT_APP_ID,
            audience=PARTNER_CENTER_REST_AUDIENCE,
        )
    else:
        claims = user_claims(
            user,
            identity_base_url=running.identity_base_url,
            audience=PARTNER_CENTER_REST_AUDIENCE,
            client_id=DEMO_BOT_APP_ID,
            scope="user_impersonation",
        )
    claims.update(overrides)
    return running.keys.sign({k: v for k, v in claims.items() if v is not None})


class PartnerCenterView:
    """What the Referrals emulator holds and recorded, read as an admin (not through the bot)."""

    def __init__(self, session: aiohttp.ClientSession, running: RunningEmulators) -> None:
        self._session = session
        self._running = running

    async def referral(self, referral_id: str) -> dict[str, Any]:
        token = mint_partner_center_token(self._running, ADMIN)
        url = f"{self._running.referrals_url}/{referral_id}"
        headers = {"Authorization": f"Bearer {token}"}
        async with self._session.get(url, headers=headers) as answer:
            assert answer.status == 200, await answer.text()
            document: dict[str, Any] = await answer.json()
            return document

    async def patches(self, *, status: int | None = None) -> list[dict[str, Any]]:
        """PATCH requests the emulator answered (only those with `status`, when given)."""
        found = await recorded_requests(
            self._session, self._running.referrals_base_url, method="PATCH"
        )
        return [r for r in found if status is None or r["status"] == status]

    async def add_fault(self, kind: str, **rule: Any) -> None:
        await add_fault(self._session, self._running.referrals_base_url, kind, **rule)

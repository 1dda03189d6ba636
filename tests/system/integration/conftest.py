"""The emulators once for the package (reset before each test); the bot app per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators
from tests.support.emulator_controls import add_fault, recorded_requests
from tests.support.emulators import (
    ADMIN,
    OTHER_SELLER,
    SELLER,
    mint_partner_center_token,
    running_emulators,
)
from tests.support.identity import IdentityClient

REFERRAL_ID = "123"
CONTOSO_DEAL = "Contoso cloud migration"


def member(user: FixtureUser) -> dict[str, Any]:
    return {"firstName": user.first_name, "lastName": user.last_name, "email": user.upn}


def seed() -> list[dict[str, Any]]:
    return [
        {
            "id": REFERRAL_ID,
            "name": CONTOSO_DEAL,
            "status": "Active",
            "substatus": "Accepted",
            "createdDateTime": "2026-01-05T09:00:00Z",
            "customerProfile": {"name": "Contoso Ltd"},
            "team": [member(SELLER), member(OTHER_SELLER)],
            "details": {"dealValue": 50000, "currency": "USD", "notes": "first call done"},
        },
        {
            "id": "4711",
            "name": "Fabrikam renewal",
            "status": "Active",
            "substatus": "Accepted",
            "createdDateTime": "2026-01-05T09:00:00Z",
            "customerProfile": {"name": "Fabrikam"},
            "team": [member(SELLER), member(OTHER_SELLER)],
        },
        *(
            {
                "id": referral_id,
                "name": name,
                "status": "Active",
                "substatus": "Accepted",
                "createdDateTime": "2026-01-05T09:00:00Z",
                "customerProfile": {"name": "Northwind Traders"},
                "team": [member(SELLER), member(OTHER_SELLER)],
            }
            for referral_id, name in (("501", "Northwind ERP rollout"), ("502", "Northwind BI"))
        ),
    ]


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


@pytest.fixture(scope="package")
def running() -> Iterator[RunningEmulators]:
    with running_emulators(referrals=seed()) as emulators:
        yield emulators


@pytest.fixture
async def identity(running: RunningEmulators, session: aiohttp.ClientSession) -> IdentityClient:
    """The identity emulator, reset (switches, refresh tokens, recorded requests)."""
    client = IdentityClient(running, session)
    await client.reset()
    return client


@pytest.fixture
async def fresh(
    running: RunningEmulators, session: aiohttp.ClientSession, identity: IdentityClient
) -> RunningEmulators:
    """Both emulators as seeded: referrals, faults and recorded requests reset."""
    async with session.post(f"{running.referrals_base_url}/_emulator/reset") as answer:
        assert answer.status == 204
    return running


@pytest.fixture
async def partner_center(
    fresh: RunningEmulators, session: aiohttp.ClientSession
) -> PartnerCenterView:
    return PartnerCenterView(session, fresh)

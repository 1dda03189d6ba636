"""The client against the real Referrals emulator over loopback, with fast retry timings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from bot.partner_center.client import ReferralsClient
from bot.partner_center.retry import RetryPolicy
from bot.settings import PartnerCenterSettings
from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators
from tests.support.emulators import OTHER_SELLER, SELLER, running_emulators
from tests.support.partner_center import EmulatorControl, FakeTokenProvider

OPEN_ID = "r-open"
CLOSED_ID = "r-closed"
OTHERS_ID = "r-others"


def member(user: FixtureUser) -> dict[str, Any]:
    return {"firstName": user.first_name, "lastName": user.last_name, "email": user.upn}


def seed() -> list[dict[str, Any]]:
    return [
        {
            "id": OPEN_ID,
            "name": "Contoso cloud migration",
            "team": [member(SELLER)],
            "details": {"dealValue": 5000, "currency": "USD", "notes": "first call done"},
        },
        {"id": CLOSED_ID, "status": "Closed", "substatus": "Won", "team": [member(SELLER)]},
        {"id": OTHERS_ID, "name": "Fabrikam renewal", "team": [member(OTHER_SELLER)]},
    ]


def make_settings(running: RunningEmulators, **overrides: Any) -> PartnerCenterSettings:
    values: dict[str, Any] = {
        "base_url": f"{running.referrals_base_url}/v1.0/engagements",
        "attempt_timeout_seconds": 2.0,
        "deadline_seconds": 5.0,
        "max_attempts": 4,
        "max_retry_after_seconds": 30.0,
    }
    return PartnerCenterSettings(**(values | overrides))


def make_client(
    session: aiohttp.ClientSession,
    running: RunningEmulators,
    tokens: FakeTokenProvider | None = None,
    **overrides: Any,
) -> ReferralsClient:
    settings = make_settings(running, **overrides)
    policy = RetryPolicy.from_settings(settings, backoff_initial=0.05)
    return ReferralsClient(
        session, settings, tokens or FakeTokenProvider(running), retry_policy=policy
    )


@pytest.fixture
def running() -> Iterator[RunningEmulators]:
    with running_emulators(referrals=seed()) as emulators:
        yield emulators


@pytest.fixture
def client(session: aiohttp.ClientSession, running: RunningEmulators) -> ReferralsClient:
    return make_client(session, running)


@pytest.fixture
def control(session: aiohttp.ClientSession, running: RunningEmulators) -> EmulatorControl:
    return EmulatorControl(session, running)

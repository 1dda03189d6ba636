"""A small seeded Partner Center for the service and card-action tests, with fixed dates.

"Today" is 2026-03-14 10:00 in Berlin (UTC+1 until 29 March, then UTC+2), so month and quarter
edges differ between the seller's calendar and UTC on purpose.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.domain.assertion import AccessTokenProvider
from bot.partner_center.client import ReferralsClient
from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators
from tests.support import partner_center
from tests.support.emulators import OTHER_SELLER, SELLER, running_emulators
from tests.support.referral_documents import member, seed_referral

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 14, 10, 0, tzinfo=BERLIN)

AZURE = "123"  # Contoso Azure migration, closing 20 March
PHARMA = "4711"  # Contoso Pharma, closing 1 March 00:30 Berlin = 28 February UTC
RETAIL = "c-retail"  # Contoso Retail: a new incoming lead
BANK = "c-bank"  # Contoso Bank: the other seller's
FABRIKAM = "fab-1"  # closing 1 April 00:30 Berlin = 31 March UTC
NORTHWIND = "nw-1"  # a new incoming lead (Received)
TAILSPIN = "tail-1"  # Closed/Won, closing in March
WOODGROVE = "wood-1"  # closing 15 January: this quarter, not this month
WOODGROVE_Q1 = "wood-2"  # closing 31 March 23:00 Berlin
LITWARE = "litware"  # a quote in both names
VISIBLE_TO_SELLER = {
    AZURE,
    PHARMA,
    RETAIL,
    FABRIKAM,
    NORTHWIND,
    TAILSPIN,
    WOODGROVE,
    WOODGROVE_Q1,
    LITWARE,
}
CONTOSO_FOR_SELLER = {AZURE, PHARMA, RETAIL}


def _referral(
    referral_id: str,
    name: str,
    customer: str,
    state: str = "Active/Accepted",
    *,
    closing: str | None = None,
    direction: str = "Outgoing",
    crm: str | None = None,
    seller: FixtureUser = SELLER,
) -> dict[str, Any]:
    details: dict[str, Any] = {"dealValue": 50_000, "currency": "USD", "notes": "First call."}
    if closing:
        details["closingDateTime"] = closing
    extra = {"externalReferenceId": crm} if crm else {}
    return seed_referral(
        referral_id,
        state,
        name=name,
        customer=customer,
        team=[member(seller)],
        details=details,
        direction=direction,
        createdDateTime="2026-01-05T09:00:00.0000000Z",
        **extra,
    )


def seed() -> list[dict[str, Any]]:
    return [
        _referral(
            AZURE,
            "Contoso Azure migration",
            "Contoso Ltd",
            closing="2026-03-20T12:00:00Z",
            crm="CRM-0001",
        ),
        _referral(
            PHARMA,
            "Contoso Pharma data platform",
            "Contoso Pharmaceuticals",
            closing="2026-02-28T23:30:00Z",
            crm="CRM-0002",
        ),
        _referral(
            RETAIL,
            "Contoso Retail security review",
            "Contoso Retail",
            "New/Pending",
            direction="Incoming",
        ),
        _referral(
            BANK,
            "Contoso Bank Teams rollout",
            "Contoso Bank",
            seller=OTHER_SELLER,
            closing="2026-03-18T12:00:00Z",
        ),
        _referral(
            FABRIKAM,
            "Fabrikam modern workplace",
            "Fabrikam Inc",
            closing="2026-03-31T22:30:00Z",
            crm="CRM-0004",
        ),
        _referral(
            NORTHWIND,
            "Northwind Traders analytics",
            "Northwind Traders",
            "New/Received",
            direction="Incoming",
        ),
        _referral(
            TAILSPIN,
            "Tailspin Toys e-commerce",
            "Tailspin Toys",
            "Closed/Won",
            closing="2026-03-10T12:00:00Z",
        ),
        _referral(
            WOODGROVE,
            "Woodgrove Bank fraud detection",
            "Woodgrove Bank",
            closing="2026-01-15T12:00:00Z",
        ),
        _referral(
            WOODGROVE_Q1,
            "Woodgrove Bank Q1 expansion",
            "Woodgrove Bank",
            closing="2026-03-31T21:00:00Z",
        ),
        _referral(LITWARE, "Litware O'Brien dev platform", "O'Brien & Sons"),
    ]


WORLD_CONFIG: dict[str, Any] = {
    "throttle_per_minute": 100_000,
}


@contextmanager
def running_world() -> Iterator[RunningEmulators]:
    with running_emulators(referrals=seed(), **WORLD_CONFIG) as running:
        yield running


def make_client(
    session: aiohttp.ClientSession,
    running: RunningEmulators,
    tokens: AccessTokenProvider | None = None,
) -> ReferralsClient:
    """The client of tests/support/partner_center.py with three attempts and a shorter backoff."""
    return partner_center.make_client(
        session, running, tokens, backoff_initial=0.01, max_attempts=3
    )


async def reset(session: aiohttp.ClientSession, running: RunningEmulators) -> None:
    async with session.post(f"{running.referrals_base_url}/_emulator/reset") as answer:
        assert answer.status == 204


@pytest.fixture(name="session")
async def world_session(running: RunningEmulators) -> AsyncIterator[aiohttp.ClientSession]:
    """The `session` of a folder over this world: the emulator reset before the test."""
    async with aiohttp.ClientSession() as client_session:
        await reset(client_session, running)
        yield client_session

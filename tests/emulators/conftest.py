"""Shared fixtures for the Referrals API emulator tests: a small seeded world and raw HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest

from emulators.server import RunningEmulators
from tests.support.emulators import running_emulators
from tests.support.referrals_http import ReferralsHttp

LEAD = "123"  # incoming New/Received, on the seller's team
DEAL = "124"  # outgoing Active/Accepted, on the seller's team
WON = "125"  # outgoing Closed/Won, on the seller's team
OTHERS = "200"  # incoming New/Pending, on the other seller's team
UNASSIGNED = "7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09"  # incoming New/Pending, nobody's
ALL_IDS = {LEAD, DEAL, WON, OTHERS, UNASSIGNED}
OUTGOING_CLOSABLE = DEAL


def _member(email: str, first: str, last: str) -> dict[str, Any]:
    return {"firstName": first, "lastName": last, "email": email, "phoneNumber": "+1 555 0100"}


def make_referrals() -> list[dict[str, Any]]:
    """Partial fixtures, as a fixture file would hold them; the store fills the rest."""
    seller = _member("SELLER@Contoso.Example", "Sam", "Seller")  # case differs on purpose
    other = _member("other@contoso.example", "Olga", "Other")
    return [
        {
            "id": LEAD,
            "name": "Contoso lead",
            "status": "New",
            "substatus": "Received",
            "direction": "Incoming",
            "createdDateTime": "2026-01-10T08:00:00.0000000Z",
            "team": [seller],
            "details": {"notes": "Inbound from Microsoft.", "dealValue": 1000, "currency": "USD"},
        },
        {
            "id": DEAL,
            "name": "Fabrikam deal",
            "status": "Active",
            "substatus": "Accepted",
            "direction": "Outgoing",
            "team": [seller],
            "details": {"notes": "Workshop done.", "dealValue": 5000, "currency": "EUR"},
        },
        {
            "id": WON,
            "name": "Tailspin deal",
            "status": "Closed",
            "substatus": "Won",
            "direction": "Outgoing",
            "team": [seller],
        },
        {"id": OTHERS, "status": "New", "substatus": "Pending", "team": [other]},
        {"id": UNASSIGNED, "status": "New", "substatus": "Pending"},
    ]


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulators]:
    """One emulator per test module (starting one costs key and certificate generation)."""
    with running_emulators(make_referrals(), throttle_per_minute=100_000) as running:
        yield running


@pytest.fixture
async def api(emulator: RunningEmulators) -> AsyncIterator[ReferralsHttp]:
    """Raw HTTP to a freshly reset emulator (store, faults, records and throttle buckets)."""
    async with aiohttp.ClientSession() as session:
        http = ReferralsHttp(emulator, session)
        await http.reset()
        yield http

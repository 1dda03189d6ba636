"""The happy paths against the emulator: typed results that rebuild the service's JSON exactly."""

from __future__ import annotations

from decimal import Decimal

import aiohttp

from bot.domain.referral import Direction, Status, Substatus
from bot.partner_center.client import ReferralsClient
from emulators.server import RunningEmulators
from tests.support.emulators import ADMIN, SELLER, mint_partner_center_token
from tests.support.partner_center import EmulatorControl, assertion_for
from tests.support.seeds import OPEN_ID


async def test_get_returns_the_referral_and_its_etag_and_rebuilds_the_document(
    client: ReferralsClient, session: aiohttp.ClientSession, running: RunningEmulators
) -> None:
    token = mint_partner_center_token(running, ADMIN)
    async with session.get(
        f"{running.referrals_url}/{OPEN_ID}", headers={"Authorization": f"Bearer {token}"}
    ) as response:
        raw = await response.json()

    got = await client.get(OPEN_ID, user=assertion_for(ADMIN))

    assert got.etag == raw["eTag"]
    assert got.value.to_document() == raw
    assert got.value.details is not None
    assert got.value.details.deal_value == Decimal(5000)


async def test_the_seed_documents_first_sample_patch_works(client: ReferralsClient) -> None:
    user = assertion_for(SELLER)
    before = await client.get(OPEN_ID, user=user)
    operations = [
        {"op": "replace", "path": "/details/dealValue", "value": "10000"},
        {"op": "replace", "path": "/details/notes", "value": "Lorem ipsum dolor sit amet."},
    ]

    updated = await client.patch(OPEN_ID, operations, if_match=before.etag, user=user)

    assert updated.value.details is not None
    assert updated.value.details.deal_value == Decimal(10000)
    assert updated.value.details.notes == "Lorem ipsum dolor sit amet."
    assert updated.etag == updated.value.e_tag != before.etag


async def test_closing_as_won_in_one_patch(client: ReferralsClient) -> None:
    user = assertion_for(ADMIN)
    before = await client.get(OPEN_ID, user=user)
    operations = [
        {"op": "replace", "path": "/status", "value": Status.CLOSED},
        {"op": "replace", "path": "/substatus", "value": Substatus.WON},
    ]

    updated = await client.patch(OPEN_ID, operations, if_match=before.etag, user=user)

    assert (updated.value.status, updated.value.substatus) == (Status.CLOSED, Substatus.WON)
    assert updated.value.closed_date_time is not None


async def test_create_returns_an_accepted_outgoing_deal(
    client: ReferralsClient, control: EmulatorControl
) -> None:
    document = {
        "name": "Northwind expansion",
        "type": "Independent",
        "customerProfile": {"name": "Northwind", "address": {"country": "US"}},
        "consent": {"consentToContact": True},
        "details": {"dealValue": 20000, "currency": "USD", "notes": "via the bot"},
    }

    created = await client.create(document, user=assertion_for(SELLER))

    assert (created.value.status, created.value.substatus) == (Status.ACTIVE, Substatus.ACCEPTED)
    assert created.value.direction == Direction.OUTGOING
    assert created.etag == created.value.e_tag
    assert (await client.get(created.value.id, user=assertion_for(SELLER))).etag == created.etag
    assert [r["method"] for r in await control.requests()] == ["POST", "GET"]

"""Whose access reads the referral an event names: the remembered "reads everything" seller
first, then the most recently installed, at most `max_readers` tries, silent tokens only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import aiohttp
import pytest

from bot.domain.proactive import Recipient
from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators
from tests.support.emulators import ADMIN, NO_ROLE, OTHER_SELLER, SELLER
from tests.support.identity import IdentityClient
from tests.support.lead_world import LEAD, LEAD_SOLO, NOW, LeadWorld, lead_world


def ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


async def test_sellers_are_tried_newest_first_until_one_read_succeeds(world: LeadWorld) -> None:
    await world.install(ADMIN, installed_at=ago(30))
    await world.install(SELLER, installed_at=ago(20))  # not on its team: 404
    await world.install(NO_ROLE, installed_at=ago(10))  # no role: 403

    read = await world.alerts.parts.readers.read(LEAD_SOLO)

    assert read is not None
    assert read.reader.user_id == ADMIN.oid
    assert read.referral.value.id == LEAD_SOLO
    assert world.tokens.issued == [NO_ROLE.oid, SELLER.oid, ADMIN.oid]


async def test_a_seller_who_read_outside_their_team_is_tried_first_next_time(
    world: LeadWorld,
) -> None:
    await world.install(ADMIN, installed_at=ago(30))
    await world.install(SELLER, installed_at=ago(20))
    await world.install(NO_ROLE, installed_at=ago(10))
    await world.alerts.parts.readers.read(LEAD_SOLO)
    world.tokens.issued.clear()

    read = await world.alerts.parts.readers.read(LEAD)

    assert read is not None
    assert read.reader.user_id == ADMIN.oid
    assert world.tokens.issued == [ADMIN.oid]
    assert await world.records.reader() == (ADMIN.tenant_id, ADMIN.oid)


async def test_a_team_member_who_reads_it_is_not_remembered_as_reading_everything(
    world: LeadWorld,
) -> None:
    await world.install(OTHER_SELLER)

    read = await world.alerts.parts.readers.read(LEAD_SOLO)

    assert read is not None
    assert read.reader.user_id == OTHER_SELLER.oid
    assert await world.records.reader() is None


async def test_a_remembered_reader_who_can_no_longer_read_is_forgotten(world: LeadWorld) -> None:
    await world.install(NO_ROLE, installed_at=ago(30))
    await world.install(OTHER_SELLER, installed_at=ago(40))
    await world.records.remember_reader(NO_ROLE.tenant_id, NO_ROLE.oid)

    read = await world.alerts.parts.readers.read(LEAD_SOLO)

    assert read is not None
    assert read.reader.user_id == OTHER_SELLER.oid
    assert world.tokens.issued == [NO_ROLE.oid, OTHER_SELLER.oid]
    assert await world.records.reader() is None


async def test_at_most_max_readers_are_tried_and_none_without_a_cached_token_is_sent(
    world: LeadWorld,
) -> None:
    for n in range(8):
        user = FixtureUser.from_json({"upn": f"seller{n}@contoso.example", "name": f"S {n}"})
        await world.install(user, signed_in=False, installed_at=ago(n))

    read = await world.alerts.parts.readers.read(LEAD)

    assert read is None
    assert len(world.tokens.issued) == world.settings.alerts.max_readers == 5
    assert await world.reads(LEAD) == 0  # no token: no request reached Partner Center


async def test_a_remembered_reader_who_reads_it_costs_no_listing_of_every_seller(
    world: LeadWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    await world.install(ADMIN, installed_at=ago(30))
    await world.install(SELLER, installed_at=ago(20))
    await world.records.remember_reader(ADMIN.tenant_id, ADMIN.oid)
    listed = 0
    listing = world.recipients.all

    def counted() -> AsyncIterator[Recipient]:
        nonlocal listed
        listed += 1
        return listing()

    monkeypatch.setattr(world.recipients, "all", counted)

    read = await world.alerts.parts.readers.read(LEAD)
    assert read is not None
    assert read.reader.user_id == ADMIN.oid
    assert listed == 0

    await world.records.forget_reader()  # nobody remembered: the newest installs are listed
    assert await world.alerts.parts.readers.read(LEAD) is not None
    assert listed == 1


async def test_a_configured_reader_is_tried_first_however_long_ago_they_installed(
    session: aiohttp.ClientSession, running: RunningEmulators, identity: IdentityClient
) -> None:
    async with lead_world(session, running, identity, readers=[ADMIN.upn.upper()]) as world:
        await world.install(ADMIN, installed_at=ago(300))  # the admin tried the bot first
        for n in range(6):  # then the sellers: the newest installs, none on the lead's team
            user = FixtureUser.from_json({"upn": f"seller{n}@contoso.example", "name": f"S {n}"})
            await world.install(user, signed_in=False, installed_at=ago(n))

        read = await world.alerts.parts.readers.read(LEAD_SOLO)

        assert read is not None
        assert read.reader.user_id == ADMIN.oid
        assert world.tokens.issued == [ADMIN.oid]
        assert await world.records.reader() == (ADMIN.tenant_id, ADMIN.oid)


async def test_without_the_setting_an_early_admin_is_never_tried(world: LeadWorld) -> None:
    await world.install(ADMIN, installed_at=ago(300))
    for n in range(6):
        user = FixtureUser.from_json({"upn": f"seller{n}@contoso.example", "name": f"S {n}"})
        await world.install(user, signed_in=False, installed_at=ago(n))

    assert await world.alerts.parts.readers.read(LEAD_SOLO) is None
    assert ADMIN.oid not in world.tokens.issued

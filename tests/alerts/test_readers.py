"""Whose access reads the referral an event names: the remembered "reads everything" seller
first, then the most recently installed, at most `max_readers` tries, silent tokens only."""

from __future__ import annotations

from datetime import datetime, timedelta

from emulators.fixtures import FixtureUser
from tests.support.emulators import ADMIN, NO_ROLE, OTHER_SELLER, SELLER
from tests.support.lead_world import LEAD, LEAD_SOLO, NOW, LeadWorld


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

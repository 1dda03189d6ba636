"""A lead decided elsewhere (Partner Center's own UI): its referral-updated event turns every
copy of its card into the decided card, each in its reader's time zone, none with details."""

from __future__ import annotations

import json

from bot.cards.lead_alert import LEAD_REFRESH_VERB
from bot.domain.leads import LeadDecision, LeadOutcome
from tests.support.activities import TeamsUser, channel_thread, personal_chat
from tests.support.cards import visible_text
from tests.support.emulators import OTHER_SELLER, SELLER
from tests.support.lead_world import (
    CUSTOMER_TEXTS,
    LEAD,
    LEAD_SOLO,
    NOW,
    LeadWorld,
    created,
    updated,
)

ACCEPT = [
    {"op": "replace", "path": "/status", "value": "Active"},
    {"op": "replace", "path": "/substatus", "value": "Accepted"},
]


async def alerted(world: LeadWorld) -> str:
    await world.install(SELLER, zone="Europe/Berlin")
    await world.install(OTHER_SELLER, zone="America/New_York")
    channel = await world.subscribe()
    await world.alerts.handle(created(LEAD))
    assert len(world.sender.sent) == 3
    return channel


async def test_a_lead_accepted_in_partner_center_updates_every_copy(world: LeadWorld) -> None:
    channel = await alerted(world)
    await world.patch_as_admin(LEAD, *ACCEPT)

    await world.alerts.handle(updated(LEAD))

    assert len(world.sender.updated) == 3
    for posted in world.sender.updated:
        original = next(p for p in world.sender.sent if p.conversation_id == posted.conversation_id)
        assert posted.activity_id == original.activity_id
        assert visible_text(posted.card).splitlines()[0] == "Accepted in Partner Center"
        dumped = json.dumps(posted.card, ensure_ascii=False)
        assert not any(text in dumped for text in CUSTOMER_TEXTS)
        assert posted.card["refresh"]["action"]["verb"] == LEAD_REFRESH_VERB
    [mine] = world.sender.updates_in(personal_chat(SELLER).id)
    assert mine["refresh"]["userIds"] == [TeamsUser.of(SELLER).id]
    [channels] = world.sender.updates_in(channel)
    assert set(channels["refresh"]["userIds"]) == {
        TeamsUser.of(SELLER).id,
        TeamsUser.of(OTHER_SELLER).id,
    }


async def test_a_lead_declined_in_partner_center_shows_the_reason(world: LeadWorld) -> None:
    await alerted(world)
    await world.patch_as_admin(
        LEAD,
        {"op": "replace", "path": "/status", "value": "Closed"},
        {"op": "replace", "path": "/substatus", "value": "Declined"},
        {"op": "replace", "path": "/statusReason", "value": "Outside our region"},
    )

    await world.alerts.handle(updated(LEAD))

    texts = [visible_text(p.card) for p in world.sender.updated]
    assert len(texts) == 3
    assert all(t.startswith("Declined in Partner Center") for t in texts)
    assert all("Reason: Outside our region" in t for t in texts)


async def test_a_decision_made_on_a_card_wins_over_what_the_event_reads(
    world: LeadWorld,
) -> None:
    channel = await alerted(world)
    decided = LeadDecision(LEAD, LeadOutcome.ACCEPTED, NOW, "Sam Seller", SELLER.oid)
    await world.records.decide(decided)
    await world.patch_as_admin(LEAD, *ACCEPT)

    await world.alerts.handle(updated(LEAD))

    [berlin] = world.sender.updates_in(personal_chat(SELLER).id)
    [new_york] = world.sender.updates_in(personal_chat(OTHER_SELLER).id)
    [utc] = world.sender.updates_in(channel)
    assert visible_text(berlin).splitlines()[0] == "Accepted by Sam Seller at 10:00"
    assert visible_text(new_york).splitlines()[0] == "Accepted by Sam Seller at 04:00"
    assert visible_text(utc).splitlines()[0] == "Accepted by Sam Seller at 09:00 UTC"


async def test_an_update_that_leaves_the_lead_new_changes_no_card(world: LeadWorld) -> None:
    await alerted(world)
    await world.patch_as_admin(LEAD, {"op": "replace", "path": "/name", "value": "Renamed"})

    await world.alerts.handle(updated(LEAD))

    assert world.sender.updated == []


async def test_an_update_of_a_lead_never_alerted_reads_nothing(world: LeadWorld) -> None:
    await world.install(OTHER_SELLER)

    await world.alerts.handle(updated(LEAD_SOLO))

    assert await world.reads(LEAD_SOLO) == 0
    assert world.sender.updated == []


async def test_a_copy_whose_reader_removed_the_app_is_not_updated_and_they_are_forgotten(
    world: LeadWorld,
) -> None:
    await alerted(world)
    world.sender.gone.add(personal_chat(SELLER).id)
    await world.patch_as_admin(LEAD, *ACCEPT)

    await world.alerts.handle(updated(LEAD))

    assert await world.recipients.get(SELLER.oid) is None
    assert world.sender.updates_in(personal_chat(SELLER).id) == []
    assert len(world.sender.updated) == 2
    assert world.sender.updates_in(channel_thread("leads").id)

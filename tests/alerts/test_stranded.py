"""An instance that claimed lead cards and died before sending them: the stranded-cards job on
another instance sends each once after the claim's lease ran out, built from what the reader's
access shows then, and drops what there is no longer anything to tell."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest

from bot.alerts.audience import lead_group, user_key
from bot.alerts.delivery import Delivered
from bot.alerts.stranded import StrandedCards
from bot.domain.proactive import ClaimResult, Notification, NotificationState
from emulators.fixtures import FixtureUser
from tests.support.activities import personal_chat
from tests.support.alert_fakes import HangingSender
from tests.support.cards import visible_text
from tests.support.lead_world import (
    DEAL_NAME,
    LEAD,
    NOW,
    OTHER_SELLER,
    SELLER,
    LeadWorld,
    created,
    personal_reference,
)

LEASE = timedelta(seconds=120)  # alert_settings(): REFERRAL_BOT_ALERTS__CLAIM_LEASE_SECONDS


async def died_sending(world: LeadWorld, cards: int) -> None:
    """Another instance handles the new lead, claims its `cards` and dies before any is sent."""
    hanging = HangingSender()
    dying = asyncio.create_task(world.another_instance(hanging).handle(created(LEAD)))
    await hanging.begun(cards)
    dying.cancel()
    await asyncio.gather(dying, return_exceptions=True)


def job(world: LeadWorld) -> StrandedCards:
    return StrandedCards(world.notifications, world.another_instance())


def posted_to(world: LeadWorld, *users: FixtureUser) -> list[int]:
    return [len(world.sender.cards_in(personal_chat(user).id)) for user in users]


async def test_cards_whose_sender_died_are_sent_once_after_the_lease_ran_out(
    world: LeadWorld,
) -> None:
    await world.install(SELLER)
    await world.install(OTHER_SELLER, zone="America/New_York")
    await died_sending(world, cards=2)
    redrive = job(world)

    world.clock.current = NOW + LEASE - timedelta(seconds=1)
    await redrive.run(world.clock.now())
    assert world.sender.sent == []  # the claims are still live: their holder may be sending

    world.clock.current = NOW + LEASE
    await redrive.run(world.clock.now())
    await redrive.run(world.clock.now())

    assert posted_to(world, SELLER, OTHER_SELLER) == [1, 1]
    [card] = world.sender.cards_in(personal_chat(OTHER_SELLER).id)
    assert DEAL_NAME in visible_text(card)
    assert "Expires in 3 days (Thu 10 Dec, 11:00)" in visible_text(card)  # her zone, from NOW
    copies = await world.notifications.copies(lead_group(LEAD))
    assert [copy.state for copy in copies] == [NotificationState.SENT] * 2
    assert await world.notifications.stranded(now=NOW + 2 * LEASE, limit=10) == []


async def test_without_the_job_nobody_sends_them(world: LeadWorld) -> None:
    """The gap the job closes: Partner Center delivered the event once, so nothing asks again."""
    await world.install(SELLER)
    await died_sending(world, cards=1)
    world.clock.current = NOW + 10 * LEASE

    stranded = await world.notifications.stranded(now=world.clock.now(), limit=10)

    assert [entry.key for entry in stranded] == [user_key(LEAD, SELLER.oid)]
    assert world.sender.sent == []


async def test_a_channel_card_is_sent_again_with_only_what_is_known(world: LeadWorld) -> None:
    await world.install(SELLER)
    channel = await world.subscribe()
    await died_sending(world, cards=2)
    world.clock.current = NOW + LEASE

    await job(world).run(world.clock.now())

    [card] = world.sender.cards_in(channel)
    assert DEAL_NAME not in str(card)
    assert "A new referral arrived in Partner Center." in visible_text(card)
    assert posted_to(world, SELLER) == [1]


async def test_a_lead_decided_meanwhile_is_dropped_not_sent(world: LeadWorld) -> None:
    await world.install(SELLER)
    await died_sending(world, cards=1)
    await world.patch_as_admin(
        LEAD, {"op": "replace", "path": "/status", "value": "Active"},
        {"op": "replace", "path": "/substatus", "value": "Accepted"},
    )  # fmt: skip
    world.clock.current = NOW + LEASE

    await job(world).run(world.clock.now())

    assert world.sender.sent == []
    assert await world.notifications.stranded(now=NOW + 2 * LEASE, limit=10) == []


async def test_a_recipient_who_removed_the_app_meanwhile_is_dropped(world: LeadWorld) -> None:
    await world.install(SELLER)
    await died_sending(world, cards=1)
    await world.recipients.forget(SELLER.oid)
    world.clock.current = NOW + LEASE

    outcome = await world.another_instance().resend(
        (await world.notifications.stranded(now=world.clock.now(), limit=1))[0]
    )

    assert outcome is Delivered.DROPPED
    assert world.sender.sent == []


async def test_a_stranded_reminder_is_left_to_its_own_job(world: LeadWorld) -> None:
    """Dropped (released): the reminders job claims it afresh while it is due."""
    await world.install(SELLER)
    reminder = Notification(
        key=f"reminder:{LEAD}:24h:user:{SELLER.oid}",
        group=lead_group(LEAD),
        reference=personal_reference(SELLER),
        state=NotificationState.CLAIMED,
        user_id=SELLER.oid,
    )
    await world.notifications.claim(reminder, owner="dead", now=NOW, lease=LEASE)
    world.clock.current = NOW + LEASE

    await job(world).run(world.clock.now())

    assert world.sender.sent == []
    claim = await world.notifications.claim(
        reminder, owner="reminders", now=world.clock.now(), lease=LEASE
    )
    assert claim is ClaimResult.WON


async def test_a_run_settles_at_most_its_share_and_logs_no_ids(
    world: LeadWorld, caplog: pytest.LogCaptureFixture
) -> None:
    await world.install(SELLER)
    await world.install(OTHER_SELLER)
    await died_sending(world, cards=2)
    world.clock.current = NOW + LEASE
    one_at_a_time = StrandedCards(world.notifications, world.another_instance(), per_run=1)

    with caplog.at_level(logging.INFO):
        await one_at_a_time.run(world.clock.now())
        assert len(world.sender.sent) == 1
        await one_at_a_time.run(world.clock.now())

    assert posted_to(world, SELLER, OTHER_SELLER) == [1, 1]
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot.alerts"))
    assert logged.count("alerts.stranded.run found=1 sent=1") == 2
    for secret in (LEAD, SELLER.oid, OTHER_SELLER.oid, DEAL_NAME):
        assert secret not in logged

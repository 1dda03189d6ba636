"""Every card through the outbox: sent once, the gone forgotten and never retried, a transient
failure retried with backoff, then given up with a log line."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest

from bot.alerts.delivery import Attempts, Delivered, Delivery
from bot.domain.proactive import ClaimResult, Notification, NotificationState
from tests.support.activities import personal_chat
from tests.support.emulators import OTHER_SELLER, SELLER
from tests.support.lead_world import LEAD, NOW, LeadWorld, created, personal_reference


def delivery(world: LeadWorld) -> Delivery:
    """Another instance's outbox sender over the same stores."""
    return Delivery(
        world.notifications,
        world.sender,
        world.recipients,
        world.channels,
        world.clock,
        lease=timedelta(minutes=2),
        attempts=Attempts(tries=1),
        sleep=world.sleeps,
    )


async def test_a_recipient_who_removed_the_app_is_forgotten_and_never_retried(
    world: LeadWorld,
) -> None:
    await world.install(SELLER)
    await world.install(OTHER_SELLER)
    gone = personal_chat(SELLER).id
    world.sender.gone.add(gone)

    await world.alerts.handle(created(LEAD))
    await world.alerts.handle(created(LEAD))

    assert world.sender.attempts.count(gone) == 1
    assert await world.recipients.get(SELLER.oid) is None
    copies = await world.notifications.copies(f"lead:{LEAD}")
    assert [copy.user_id for copy in copies] == [OTHER_SELLER.oid]  # theirs: gone, not sent
    assert world.sleeps.waits == []
    assert len(world.sender.cards_in(personal_chat(OTHER_SELLER).id)) == 1


async def test_a_channel_where_the_app_was_removed_is_unsubscribed(world: LeadWorld) -> None:
    await world.install(SELLER)
    channel = await world.subscribe()
    world.sender.gone.add(channel)

    await world.alerts.handle(created(LEAD))

    assert [subscription async for subscription in world.channels.all()] == []


async def test_a_transient_failure_is_retried_with_backoff_then_sent_once(
    world: LeadWorld,
) -> None:
    await world.install(SELLER)
    chat = personal_chat(SELLER).id
    world.sender.failing[chat] = 2

    await world.alerts.handle(created(LEAD))

    assert world.sender.attempts.count(chat) == 3
    assert len(world.sender.cards_in(chat)) == 1
    assert world.sleeps.waits == [1.0, 2.0]
    [copy] = await world.notifications.copies(f"lead:{LEAD}")
    assert (copy.key, copy.state, copy.activity_id) == (
        f"lead:{LEAD}:user:{SELLER.oid}",
        NotificationState.SENT,
        "1:1",
    )


async def test_a_card_that_keeps_failing_is_given_up_with_a_log_line(
    world: LeadWorld, caplog: pytest.LogCaptureFixture
) -> None:
    await world.install(SELLER)
    chat = personal_chat(SELLER).id
    world.sender.failing[chat] = 99

    with caplog.at_level(logging.INFO, logger="bot.alerts.delivery"):
        await world.alerts.handle(created(LEAD))

    tries = world.settings.alerts.send_retries + 1
    assert world.sender.attempts.count(chat) == tries == 3
    assert any("alerts.delivery.given_up" in r.getMessage() for r in caplog.records)
    assert await world.notifications.copies(f"lead:{LEAD}") == []
    world.sender.failing.clear()
    await world.alerts.handle(created(LEAD))  # Partner Center delivers the event again
    assert len(world.sender.cards_in(chat)) == 1  # the claim was released: sent now


async def test_a_card_another_instance_is_sending_is_left_to_it(world: LeadWorld) -> None:
    key = f"lead:{LEAD}:user:{SELLER.oid}"
    card = Notification(key, f"lead:{LEAD}", personal_reference(SELLER), NotificationState.CLAIMED)
    held = await world.notifications.claim(
        card, owner="other-instance", now=NOW, lease=timedelta(minutes=2)
    )
    assert held is ClaimResult.WON

    delivered = await delivery(world).deliver(card, {"type": "AdaptiveCard"})

    assert delivered is Delivered.BUSY
    assert world.sender.sent == []


async def test_a_claim_whose_holder_died_is_taken_over_after_its_lease(world: LeadWorld) -> None:
    key = f"lead:{LEAD}:user:{SELLER.oid}"
    card = Notification(key, f"lead:{LEAD}", personal_reference(SELLER), NotificationState.CLAIMED)
    await world.notifications.claim(card, owner="dead", now=NOW, lease=timedelta(minutes=2))
    world.clock.current = NOW + timedelta(minutes=3)

    delivered = await delivery(world).deliver(card, {"type": "AdaptiveCard"})

    assert delivered is Delivered.SENT
    assert len(world.sender.sent) == 1


class _PacedSender:
    """A sender whose sends to one conversation wait for the test to let each one go."""

    def __init__(self) -> None:
        self.gates: list[asyncio.Event] = []
        self.sent: list[str] = []

    async def send(self, reference: Mapping[str, Any], card: Mapping[str, Any]) -> str | None:
        gate = asyncio.Event()
        self.gates.append(gate)
        await gate.wait()
        self.sent.append(str(card["id"]))
        return f"activity-{len(self.sent)}"

    async def update(
        self, reference: Mapping[str, Any], activity_id: str, card: Mapping[str, Any]
    ) -> None:
        raise AssertionError("not used")


async def test_a_card_waiting_behind_another_to_the_same_chat_holds_no_claim(
    world: LeadWorld,
) -> None:
    sender = _PacedSender()
    outbox = Delivery(
        world.notifications,
        sender,
        world.recipients,
        world.channels,
        world.clock,
        lease=timedelta(minutes=2),
        attempts=Attempts(tries=1),
    )
    reference = personal_reference(SELLER)

    def card_to_chat(n: int) -> Notification:
        return Notification(f"card-{n}", "group", reference, NotificationState.CLAIMED)

    first = asyncio.create_task(outbox.deliver(card_to_chat(1), {"id": "1"}))
    second = asyncio.create_task(outbox.deliver(card_to_chat(2), {"id": "2"}))
    for _ in range(20):  # both tasks run as far as they can
        await asyncio.sleep(0)

    # the second card waits behind the first without a claim: another instance could take it
    other = delivery(world)
    assert len(sender.gates) == 1
    taken = await world.notifications.claim(
        card_to_chat(2), owner=other.owner, now=world.clock.now(), lease=timedelta(minutes=2)
    )
    assert taken is ClaimResult.WON
    sender.gates[0].set()
    assert await first is Delivered.SENT
    assert await second is Delivered.BUSY  # the other instance holds it: not sent twice
    assert sender.sent == ["1"]

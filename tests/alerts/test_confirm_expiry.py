"""The expiry job ends a group confirm card nobody confirmed: once, on one instance, even after
the pending change was swept; never a card a click ended or is ending."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta

import pytest

from bot.alerts.confirm_cards import ConfirmCards
from bot.alerts.confirm_expiry import ConfirmExpiry
from bot.domain.intent import ChangeIntent, Outcome
from bot.domain.pending import PendingChange, PendingState
from bot.state.pending_changes import MemoryPendingChanges
from tests.support.card_harness import FakeClock
from tests.support.cards import assert_valid_card, visible_text
from tests.support.outbox import CountingOutbox, RecordingUpdater

TTL = timedelta(minutes=30)
REFERENCE = {"conversation": {"id": "19:sales@thread.tacv2;messageid=1"}, "serviceUrl": "x"}
EXPIRED = "Expired — nobody confirmed within 30 minutes"


@dataclass
class World:
    clock: FakeClock
    pending: MemoryPendingChanges
    outbox: CountingOutbox
    updater: RecordingUpdater
    cards: ConfirmCards

    def job(self) -> ConfirmExpiry:
        """One instance's job (all share the state backend)."""
        cards = ConfirmCards(self.outbox, self.clock)
        return ConfirmExpiry(cards, self.pending, self.updater, ttl=TTL)

    async def post(self, activity_id: str = "activity-1") -> PendingChange:
        now = self.clock.now()
        change = PendingChange(
            id=secrets.token_urlsafe(16),
            proposer_id="megan",
            proposer_name="Megan Bowen",
            tenant_id="t",
            conversation_id="19:sales@thread.tacv2;messageid=1",
            referral_id="123",
            etag="e-1",
            intent=ChangeIntent(outcome=Outcome.WON),
            operations=({"op": "replace", "path": "/status", "value": "Closed"},),
            created_at=now,
            expires_at=now + TTL,
            card={"type": "AdaptiveCard"},
        )
        await self.pending.put(change)
        await self.cards.posted(change.id, change.expires_at, REFERENCE, activity_id)
        return change

    def shown(self) -> list[str]:
        for _, _, card in self.updater.updates:
            assert_valid_card(card)
        return [visible_text(card) for _, _, card in self.updater.updates]


@pytest.fixture
def world() -> World:
    clock, outbox = FakeClock(), CountingOutbox()
    return World(
        clock, MemoryPendingChanges(), outbox, RecordingUpdater(), ConfirmCards(outbox, clock)
    )


async def test_an_unconfirmed_card_expires_once_however_often_the_job_runs(world: World) -> None:
    await world.post()
    job = world.job()
    await job.run(world.clock.now() + timedelta(minutes=29))
    assert world.updater.updates == []

    world.clock.current += TTL
    await job.run(world.clock.now())
    await job.run(world.clock.now() + timedelta(minutes=5))

    [shown] = world.shown()
    assert shown.startswith(EXPIRED)
    assert world.updater.updates[0][1] == "activity-1"


async def test_two_instances_running_at_once_update_it_once(world: World) -> None:
    await world.post()
    world.clock.current += TTL

    await asyncio.gather(*(world.job().run(world.clock.now()) for _ in range(3)))

    assert len(world.updater.updates) == 1


async def test_a_card_a_click_ended_is_left_as_it_is(world: World) -> None:
    change = await world.post()
    ended = {"type": "AdaptiveCard"}
    await world.cards.settle(change.id, change.expires_at, ended, updater=world.updater)
    world.clock.current += TTL * 2

    await world.job().run(world.clock.now())

    assert len(world.updater.updates) == 1  # the click's update only


async def test_a_swept_change_nobody_ended_expired(world: World) -> None:
    change = await world.post()
    world.clock.current += TTL
    await world.pending.put(replace(change, id="later", created_at=world.clock.now()))  # sweeps
    assert await world.pending.get(change.id) is None

    await world.job().run(world.clock.now())

    assert world.shown()[0].startswith(EXPIRED)


async def test_a_change_being_saved_is_left_to_its_click(world: World) -> None:
    change = await world.post()
    _, claimed = await world.pending.claim(
        change.id, user_id="megan", now=world.clock.now(), lease=TTL * 2
    )
    assert claimed is not None
    world.clock.current += TTL

    await world.job().run(world.clock.now())
    assert world.updater.updates == []

    # The click saved it but died before updating the card: the job says what happened.
    await world.pending.finish(change.id, PendingState.APPLIED, owner=claimed.claim_owner)
    await world.job().run(world.clock.now())
    assert world.shown() == [
        "Saved by Megan Bowen\n" + "Open Partner Center to see the referral as it is now."
    ]


async def test_a_replaced_proposal_is_ended_without_touching_the_message(world: World) -> None:
    change = await world.post()
    await world.pending.put(replace(change, state=PendingState.SUPERSEDED))
    world.clock.current += TTL

    await world.job().run(world.clock.now())
    await world.job().run(world.clock.now())

    assert world.updater.updates == []  # it may show the new proposal already
    assert world.outbox.calls["claim"] == 2  # the posting, then one end: never tried again


async def test_a_failed_update_is_tried_again_on_the_next_run(world: World) -> None:
    await world.post()
    world.clock.current += TTL
    world.updater.failing.add("activity-1")

    await world.job().run(world.clock.now())
    world.updater.failing.clear()
    await world.job().run(world.clock.now())

    assert len(world.updater.updates) == 1


async def test_cards_older_than_the_catch_up_window_are_not_listed(world: World) -> None:
    await world.post()
    job = world.job()

    await job.run(world.clock.now() + TTL + timedelta(hours=3))

    assert world.updater.updates == []
    assert world.outbox.calls["claim"] == 1  # the posting only


async def test_a_run_reads_two_groups_per_quarter_hour_it_looks_back_over(world: World) -> None:
    await world.job().run(world.clock.now())

    assert world.outbox.calls == {"copies": 2 * 9}  # 2 h back and the current quarter hour

"""Issue 17 §4: a confirm card posted in a channel shows the buttons to its proposer only (the
card's refresh), and is updated once for everyone when the change ends."""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from bot.alerts.confirm_cards import ConfirmCards
from bot.card_actions.verbs import CardActions
from bot.cards.confirm_change import CANCEL_VERB, REFRESH_VERB
from bot.domain.intent import ChangeIntent, Money, Outcome
from bot.domain.pending import PendingChange, PendingState, batch_of
from bot.state.pending_changes import MemoryPendingChanges
from tests.support.activities import TeamsUser, channel_thread
from tests.support.answers import CARD, confirm_id, text_of
from tests.support.card_harness import Harness
from tests.support.cards import assert_valid_card, visible_text
from tests.support.emulators import OTHER_SELLER, SELLER
from tests.support.outbox import CountingOutbox, RecordingUpdater
from tests.support.world import AZURE, NOW, PHARMA

WON = ChangeIntent(outcome=Outcome.WON)
VALUE = ChangeIntent(deal_value=Money(Decimal("175000")))
THREAD = channel_thread()
REFERENCE = {"conversation": {"id": THREAD.id}, "serviceUrl": "https://smba.example/"}
AT = NOW.strftime("%H:%M")  # the proposer's time of day (Teams says Europe/Berlin)


class CountingPending(MemoryPendingChanges):
    """The pending-change store, counting each operation."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: Counter[str] = Counter()

    async def put(self, change: PendingChange) -> None:
        self.calls["put"] += 1
        await super().put(change)

    async def get(self, change_id: str) -> PendingChange | None:
        self.calls["get"] += 1
        return await super().get(change_id)

    async def claim(self, change_id: str, **kwargs: Any) -> Any:
        self.calls["claim"] += 1
        return await super().claim(change_id, **kwargs)

    async def finish(self, change_id: str, state: PendingState, *, owner: str) -> None:
        self.calls["finish"] += 1
        await super().finish(change_id, state, owner=owner)


@dataclass
class Channel:
    harness: Harness
    cards: ConfirmCards
    outbox: CountingOutbox
    updater: RecordingUpdater
    store: CountingPending

    async def post(self, referral_id: str, intent: ChangeIntent) -> PendingChange:
        """Proposed in the channel: stored with its card, its message recorded."""
        pending = await self.harness.propose(referral_id, intent, in_group=True)
        activity_id = f"activity-{pending.id[:4]}"
        await self.cards.posted(pending.id, pending.expires_at, REFERENCE, activity_id)
        return pending

    async def click(self, pending_id: str, **kwargs: Any) -> dict[str, Any]:
        return await self.harness.click(pending_id, **({"conversation": THREAD} | kwargs))

    def shared(self) -> list[str]:
        """What the posted messages were updated to, as everyone reads them."""
        for _, _, card in self.updater.updates:
            assert_valid_card(card)
        return [visible_text(card) for _, _, card in self.updater.updates]


@pytest.fixture
def channel(harness: Harness) -> Channel:
    store = CountingPending()
    services = replace(harness.services, pending=store)
    outbox, updater = CountingOutbox(), RecordingUpdater()
    cards = ConfirmCards(outbox, harness.clock)
    actions = CardActions(services, confirm_cards=cards, updater=updater)
    wired = replace(harness, services=services, actions=actions, store=store)
    return Channel(wired, cards, outbox, updater, store)


async def test_the_proposers_refresh_gets_the_buttons_and_nobody_elses_does(
    channel: Channel,
) -> None:
    pending = await channel.post(AZURE, WON)

    mine = await channel.click(pending.id, verb=REFRESH_VERB)
    theirs = await channel.click(pending.id, verb=REFRESH_VERB, user=OTHER_SELLER)
    impostor = TeamsUser(aad_object_id=SELLER.oid, name="Sam Seller", tenant_id="other-tenant")
    elsewhere = channel_thread(tenant_id="other-tenant")
    forged = await channel.click(
        pending.id, verb=REFRESH_VERB, user=impostor, conversation=elsewhere
    )

    assert confirm_id(mine) == pending.id
    assert "Only you can confirm or cancel it." in text_of(mine)
    for view in (theirs, forged):
        assert view["type"] == CARD
        assert confirm_id(view) is None
        assert CANCEL_VERB not in str(view)
        assert view["value"] == pending.card  # the posted card, as it is
    assert await channel.harness.patches() == []
    assert channel.outbox.writes() == 2  # the posting only: a refresh writes nothing


async def test_after_expiry_the_proposer_and_the_others_see_it_expired(channel: Channel) -> None:
    pending = await channel.post(AZURE, WON)
    channel.harness.clock.current = pending.expires_at

    mine = await channel.click(pending.id, verb=REFRESH_VERB)
    theirs = await channel.click(pending.id, verb=REFRESH_VERB, user=OTHER_SELLER)

    assert "This confirmation has expired" in text_of(mine)
    assert "Expired — nobody confirmed within 30 minutes" in text_of(theirs)
    assert confirm_id(mine) is None


async def test_confirm_updates_the_posted_message_once_for_everyone(channel: Channel) -> None:
    pending = await channel.post(AZURE, VALUE)

    answer = await channel.click(pending.id)
    again = await channel.click(pending.id)

    assert "Saved" in text_of(answer)  # the proposer's own answer, as in a personal chat
    assert "already saved" in text_of(again)
    [(conversation, activity_id, _)] = channel.updater.updates
    assert (conversation, activity_id) == (THREAD.id, f"activity-{pending.id[:4]}")
    [shown] = channel.shared()
    assert f"Saved by Sam Seller at {AT}" in shown
    assert "175,000" in shown
    assert CANCEL_VERB not in str(channel.updater.updates)
    assert "refresh" not in channel.updater.updates[0][2]  # over for everyone
    assert await channel.harness.patches() == [200]
    refreshed = await channel.click(pending.id, verb=REFRESH_VERB, user=OTHER_SELLER)
    assert "Saved by Sam Seller" in text_of(refreshed)  # a client that had not caught up


async def test_cancel_updates_the_posted_message_to_cancelled_by(channel: Channel) -> None:
    pending = await channel.post(AZURE, WON)

    answer = await channel.click(pending.id, verb=CANCEL_VERB)
    await channel.click(pending.id, verb=CANCEL_VERB)

    assert "Cancelled" in text_of(answer)
    assert channel.shared() == ["Cancelled by Sam Seller\nNothing was changed."]


async def test_another_members_click_changes_nothing_for_anyone(channel: Channel) -> None:
    pending = await channel.post(AZURE, WON)

    for verb in (None, CANCEL_VERB):
        kwargs = {"verb": verb} if verb else {}
        refused = await channel.click(pending.id, user=OTHER_SELLER, **kwargs)
        assert "Only Sam Seller" in text_of(refused)

    assert channel.updater.updates == []
    assert await channel.harness.state(pending.id) is PendingState.PENDING


async def test_a_refusal_that_ends_the_change_is_shown_to_everyone(channel: Channel) -> None:
    planned = await channel.harness.propose(AZURE, WON, in_group=True)
    bogus = replace(planned, operations=({"op": "replace", "path": "/status", "value": "Bogus"},))
    await channel.harness.services.pending.put(bogus)  # Partner Center answers 400
    await channel.cards.posted(bogus.id, bogus.expires_at, REFERENCE, "activity-bogus")

    answer = await channel.click(bogus.id)

    assert "refused that change" in text_of(answer)
    assert await channel.harness.state(bogus.id) is PendingState.CANCELLED
    [shown] = channel.shared()
    assert "Not changed" in shown
    assert "Partner Center refused the change Sam Seller proposed" in shown


async def test_a_412_puts_the_new_proposal_on_the_posted_message(channel: Channel) -> None:
    pending = await channel.post(AZURE, VALUE)
    await channel.harness.control.add_fault("bump_etag", method="PATCH", times=1)

    answer = await channel.click(pending.id)
    fresh_id = confirm_id(answer)

    assert fresh_id is not None
    assert fresh_id != pending.id
    [(_, activity_id, fresh_card)] = channel.updater.updates
    assert "actions" not in fresh_card  # everyone: the new card, still without buttons
    assert fresh_card["refresh"]["action"]["data"] == {"pendingId": fresh_id}
    fresh = await channel.harness.store.get(fresh_id)
    assert fresh is not None
    [moved] = await channel.cards.copies(fresh_id, fresh.expires_at)
    assert moved.activity_id == activity_id
    saved = await channel.click(fresh_id)
    assert "Saved" in text_of(saved)
    assert f"Saved by Sam Seller at {AT}" in channel.shared()[-1]
    assert [update[1] for update in channel.updater.updates] == [activity_id] * 2


async def test_a_batch_confirmed_in_a_channel_lists_each_outcome_for_everyone(
    channel: Channel,
) -> None:
    items = [await channel.harness.propose(r, VALUE) for r in (AZURE, PHARMA)]
    batch = replace(batch_of(items, secrets.token_urlsafe(16)), card={"type": "AdaptiveCard"})
    await channel.harness.services.pending.put(batch)
    await channel.cards.posted(batch.id, batch.expires_at, REFERENCE, "activity-batch")

    answer = await channel.click(batch.id)
    await channel.click(batch.id)

    assert text_of(answer).count("Saved.") == 2
    [shown] = channel.shared()
    assert f"Confirmed by Sam Seller at {AT}" in shown
    assert shown.count("Saved.") == 2
    assert channel.updater.updates[0][1] == "activity-batch"


async def test_a_batch_cancelled_in_a_channel_says_who_cancelled_it(channel: Channel) -> None:
    items = [await channel.harness.propose(r, VALUE) for r in (AZURE, PHARMA)]
    batch = replace(batch_of(items, secrets.token_urlsafe(16)), card={"type": "AdaptiveCard"})
    await channel.harness.services.pending.put(batch)
    await channel.cards.posted(batch.id, batch.expires_at, REFERENCE, "activity-batch")

    await channel.click(batch.id, verb=CANCEL_VERB)

    assert channel.shared() == ["Cancelled by Sam Seller\nNothing was changed."]


async def test_a_personal_chat_confirm_touches_no_outbox_and_no_extra_store_call(
    channel: Channel,
) -> None:
    pending = await channel.harness.propose(AZURE, VALUE)
    channel.store.calls.clear()

    answer = await channel.harness.click(pending.id)  # a personal chat

    assert "Saved" in text_of(answer)
    assert channel.outbox.calls == {}
    assert channel.updater.updates == []
    assert channel.store.calls == {"get": 1, "claim": 1, "finish": 1}


async def test_a_channel_confirm_costs_one_read_and_one_end_in_the_outbox(channel: Channel) -> None:
    pending = await channel.post(AZURE, VALUE)
    channel.outbox.calls.clear()
    channel.store.calls.clear()

    await channel.click(pending.id)

    assert channel.store.calls == {"get": 1, "claim": 1, "finish": 1}  # as in a personal chat
    assert channel.outbox.calls == {"copies": 1, "claim": 1, "sent": 1}


async def test_an_expired_click_leaves_the_card_to_the_expiry_job(channel: Channel) -> None:
    pending = await channel.post(AZURE, WON)
    channel.harness.clock.current = pending.expires_at + timedelta(seconds=1)

    answer = await channel.click(pending.id)

    assert "expired" in text_of(answer)
    assert channel.updater.updates == []

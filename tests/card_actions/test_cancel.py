"""Cancel ends a pending change for its proposer only, and never undoes a saved one."""

from __future__ import annotations

from bot.cards.confirm_change import CANCEL_VERB
from bot.domain.intent import ChangeIntent, Outcome
from bot.domain.pending import PendingState
from tests.support.answers import CARD, MESSAGE, text_of
from tests.support.card_harness import Harness
from tests.support.emulators import OTHER_SELLER
from tests.support.world import AZURE

WON = ChangeIntent(outcome=Outcome.WON)


async def test_the_proposer_cancels_and_nothing_is_changed(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    body = await harness.click(pending.id, verb=CANCEL_VERB)
    assert body["type"] == CARD
    assert "Cancelled — nothing was changed" in text_of(body)
    assert await harness.state(pending.id) is PendingState.CANCELLED
    assert await harness.patches() == []


async def test_a_cancelled_change_cannot_be_confirmed(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await harness.click(pending.id, verb=CANCEL_VERB)
    body = await harness.click(pending.id)
    assert "cancelled" in text_of(body)
    assert await harness.patches() == []


async def test_cancelling_twice_says_it_was_already_cancelled(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await harness.click(pending.id, verb=CANCEL_VERB)
    body = await harness.click(pending.id, verb=CANCEL_VERB)
    assert "was cancelled" in text_of(body)


async def test_someone_else_cannot_cancel(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    body = await harness.click(pending.id, verb=CANCEL_VERB, user=OTHER_SELLER)
    assert "Only Sam Seller can cancel this change" in text_of(body)
    assert await harness.state(pending.id) is PendingState.PENDING


async def test_a_saved_change_is_too_late_to_cancel(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await harness.click(pending.id)
    body = await harness.click(pending.id, verb=CANCEL_VERB)
    assert "Too late to cancel" in text_of(body)
    assert await harness.state(pending.id) is PendingState.APPLIED


async def test_a_change_being_saved_cannot_be_cancelled(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await harness.store.claim(pending.id, user_id=pending.proposer_id, now=pending.created_at)
    body = await harness.click(pending.id, verb=CANCEL_VERB)
    assert body["type"] == MESSAGE
    assert "being saved" in text_of(body)
    assert await harness.state(pending.id) is PendingState.CLAIMED


async def test_cancelling_an_unknown_change_reads_as_expired(harness: Harness) -> None:
    assert "expired" in text_of(await harness.click("never-issued", verb=CANCEL_VERB))

"""A Confirm whose holder vanished mid-save (crash, hang) is not stranded: once the claim's
lease runs out, the proposer's next click re-reads the referral and settles it (issue 13, D2).

The vanished holder is played by a claim taken straight in the store (and, when its PATCH
"landed", a PATCH sent with the change's If-Match); the clock moves instead of the test sleeping.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.cards.confirm_change import CANCEL_VERB
from bot.domain.change import plan_change
from bot.domain.intent import ChangeIntent, NoteEdit, Outcome
from bot.domain.pending import PendingChange, PendingState
from tests.support.answers import CARD, MESSAGE, confirm_id, text_of
from tests.support.card_harness import Harness
from tests.support.emulators import OTHER_SELLER, SELLER
from tests.support.partner_center import assertion_for
from tests.support.world import AZURE

WON = ChangeIntent(outcome=Outcome.WON)


async def _vanished_holder(harness: Harness, pending: PendingChange, *, landed: bool) -> None:
    """A click claimed the change and died; `landed`: after its PATCH reached Partner Center."""
    await harness.store.claim(
        pending.id,
        user_id=pending.proposer_id,
        now=harness.clock.now(),
        lease=harness.services.claim_lease,
    )
    if landed:
        await harness.services.referrals.apply(
            pending.referral_id,
            pending.operations,
            if_match=pending.etag,
            user=assertion_for(SELLER),
        )


def _after_the_lease(harness: Harness, extra: timedelta = timedelta(seconds=1)) -> None:
    harness.clock.current += harness.services.claim_lease + extra


async def test_within_the_lease_a_click_hears_it_is_being_saved(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await _vanished_holder(harness, pending, landed=False)
    harness.clock.current += harness.services.claim_lease - timedelta(seconds=1)
    body = await harness.click(pending.id)
    assert body["type"] == MESSAGE
    assert "being saved" in text_of(body)
    assert await harness.patches() == []


async def test_a_confirm_after_the_lease_applies_what_never_landed_once(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await _vanished_holder(harness, pending, landed=False)
    _after_the_lease(harness)
    body = await harness.click(pending.id)
    assert body["type"] == CARD
    assert "Saved" in text_of(body)
    assert "Won" in text_of(body)
    assert await harness.state(pending.id) is PendingState.APPLIED
    assert "already saved" in text_of(await harness.click(pending.id))
    assert await harness.patches() == [200]


async def test_a_confirm_after_the_lease_reports_what_landed_without_a_second_patch(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, WON)
    await _vanished_holder(harness, pending, landed=True)
    _after_the_lease(harness)
    body = await harness.click(pending.id)
    assert body["type"] == CARD
    assert "Saved" in text_of(body)
    assert "Won" in text_of(body)
    assert await harness.state(pending.id) is PendingState.APPLIED
    assert await harness.patches() == [200]  # the vanished holder's only


async def test_a_cancel_after_the_lease_cancels_what_never_landed(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await _vanished_holder(harness, pending, landed=False)
    _after_the_lease(harness)
    body = await harness.click(pending.id, verb=CANCEL_VERB)
    assert body["type"] == CARD
    assert "Cancelled — nothing was changed" in text_of(body)
    assert await harness.state(pending.id) is PendingState.CANCELLED
    assert "cancelled" in text_of(await harness.click(pending.id))
    assert await harness.patches() == []


async def test_a_cancel_after_the_lease_shows_what_landed_as_saved(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await _vanished_holder(harness, pending, landed=True)
    _after_the_lease(harness)
    body = await harness.click(pending.id, verb=CANCEL_VERB)
    assert body["type"] == CARD
    assert "Too late to cancel" in text_of(body)
    assert "Won" in text_of(body)
    assert await harness.state(pending.id) is PendingState.APPLIED
    assert await harness.patches() == [200]


async def test_past_its_expiry_a_change_that_never_landed_says_expired_not_saving(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, WON)
    await _vanished_holder(harness, pending, landed=False)
    _after_the_lease(harness, harness.services.pending_ttl)
    body = await harness.click(pending.id)
    assert body["type"] == CARD
    assert "expired" in text_of(body)
    assert "Nothing was changed" in text_of(body)
    assert "expired" in text_of(await harness.click(pending.id))
    assert await harness.patches() == []


async def test_past_its_expiry_a_change_that_landed_says_saved(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await _vanished_holder(harness, pending, landed=True)
    _after_the_lease(harness, harness.services.pending_ttl)
    body = await harness.click(pending.id)
    assert "Saved" in text_of(body)
    assert await harness.state(pending.id) is PendingState.APPLIED
    assert await harness.patches() == [200]


async def test_a_referral_changed_meanwhile_gets_a_fresh_confirm_card(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, WON)
    await _vanished_holder(harness, pending, landed=False)
    loaded = await harness.services.referrals.get(AZURE, user=assertion_for(SELLER))
    note = plan_change(
        loaded.value, ChangeIntent(note=NoteEdit("call back")), now=harness.clock.now()
    )
    await harness.services.referrals.apply(
        AZURE, note.operations, if_match=loaded.etag, user=assertion_for(SELLER)
    )
    _after_the_lease(harness)
    body = await harness.click(pending.id)
    fresh = confirm_id(body)
    assert fresh is not None
    assert fresh != pending.id
    assert await harness.state(pending.id) is PendingState.SUPERSEDED
    assert await harness.patches() == [200]  # the note only


async def test_a_colleague_cannot_take_over_an_ended_lease(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await _vanished_holder(harness, pending, landed=False)
    _after_the_lease(harness)
    for verb in ("referral.confirm", CANCEL_VERB):
        body = await harness.click(pending.id, verb=verb, user=OTHER_SELLER)
        assert "Only Sam Seller" in text_of(body)
    assert await harness.state(pending.id) is PendingState.CLAIMED
    assert await harness.patches() == []


async def test_concurrent_clicks_after_the_lease_apply_it_once(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await _vanished_holder(harness, pending, landed=False)
    _after_the_lease(harness)
    bodies = await asyncio.gather(*(harness.click(pending.id) for _ in range(5)))
    texts = [text_of(body) for body in bodies]
    assert sum("Saved" in text for text in texts) == 1
    assert sum("being saved" in text for text in texts) == 4
    assert await harness.patches() == [200]

"""Confirm applies a pending change at most once, for its proposer, never on a stale version."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

from bot.domain.intent import ChangeIntent, Money, Outcome
from bot.domain.pending import PendingState
from tests.support.activities import TeamsUser, channel_thread
from tests.support.answers import CARD, MESSAGE, confirm_id, text_of
from tests.support.card_harness import Harness
from tests.support.emulators import OTHER_SELLER, SELLER
from tests.support.partner_center import assertion_for
from tests.support.world import AZURE

WON = ChangeIntent(outcome=Outcome.WON)
VALUE = ChangeIntent(deal_value=Money(Decimal("175000")))


async def test_confirm_applies_the_change_and_answers_with_the_updated_referral(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, VALUE)
    body = await harness.click(pending.id)
    assert body["type"] == CARD
    assert "Saved" in text_of(body)
    assert "175,000" in text_of(body)
    assert await harness.patches() == [200]
    assert await harness.state(pending.id) is PendingState.APPLIED


async def test_three_concurrent_confirms_patch_exactly_once(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    bodies = await asyncio.gather(*(harness.click(pending.id) for _ in range(3)))
    assert await harness.patches() == [200]
    saved = [body for body in bodies if body["type"] == CARD and "Saved" in text_of(body)]
    busy = [body for body in bodies if body["type"] == MESSAGE]
    assert (len(saved), len(busy)) == (1, 2)
    assert all("being saved" in text_of(body) for body in busy)


async def test_a_repeated_confirm_shows_the_referral_again_without_patching(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, WON)
    await harness.click(pending.id)
    again = await harness.click(pending.id)
    assert again["type"] == CARD
    assert "already saved" in text_of(again)
    assert "Won" in text_of(again)
    assert await harness.patches() == [200]


async def test_another_sellers_click_changes_nothing_and_leaves_the_card_working(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, WON)
    refused = await harness.click(pending.id, user=OTHER_SELLER, conversation=channel_thread())
    assert "Only Sam Seller can confirm this change" in text_of(refused)
    assert confirm_id(refused) is None
    assert await harness.patches() == []
    assert await harness.state(pending.id) is PendingState.PENDING
    assert "Saved" in text_of(await harness.click(pending.id))


async def test_the_same_object_id_from_another_tenant_is_not_the_proposer(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, WON)
    impostor = TeamsUser(aad_object_id=SELLER.oid, name="Sam Seller", tenant_id="other-tenant")
    refused = await harness.click(pending.id, user=impostor)
    assert "Only Sam Seller" in text_of(refused)
    assert await harness.patches() == []
    assert await harness.state(pending.id) is PendingState.PENDING


async def test_an_expired_change_is_not_applied(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    harness.clock.current += timedelta(minutes=31)
    body = await harness.click(pending.id)
    assert "expired" in text_of(body)
    assert await harness.patches() == []


async def test_an_unknown_pending_id_reads_as_expired(harness: Harness) -> None:
    body = await harness.click("never-issued")
    assert body["type"] == CARD
    assert "expired" in text_of(body)


async def test_a_concurrent_edit_asks_again_on_the_current_version_then_applies_once(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, VALUE)
    await harness.control.add_fault("bump_etag", method="PATCH", times=1)
    body = await harness.click(pending.id)
    fresh_id = confirm_id(body)
    assert fresh_id is not None
    assert fresh_id != pending.id
    assert "Someone else changed this referral" in text_of(body)
    assert await harness.patches() == [412]
    assert await harness.state(pending.id) is PendingState.SUPERSEDED
    assert "out of date" in text_of(await harness.click(pending.id))
    assert "Saved" in text_of(await harness.click(fresh_id))
    assert await harness.patches() == [412, 200]


async def test_a_change_someone_else_already_made_is_not_applied_again(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, VALUE)
    seller = assertion_for(SELLER)
    current = await harness.services.referrals.get(AZURE, user=seller)
    await harness.services.referrals.apply(
        AZURE, pending.operations, if_match=current.etag, user=seller
    )
    body = await harness.click(pending.id)
    assert "already shows this change" in text_of(body)
    assert confirm_id(body) is None
    assert await harness.patches() == [200, 412]
    assert await harness.state(pending.id) is PendingState.SUPERSEDED


async def test_a_referral_closed_meanwhile_explains_why_nothing_changed(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, VALUE)
    lost = await harness.propose(AZURE, ChangeIntent(outcome=Outcome.LOST))
    await harness.click(lost.id)
    body = await harness.click(pending.id)
    assert "Someone else changed this referral" in text_of(body)
    assert confirm_id(body) is None
    assert await harness.patches() == [200, 412]
    assert await harness.state(pending.id) is PendingState.SUPERSEDED


async def test_throttling_keeps_the_card_and_a_later_confirm_works(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await harness.control.add_fault("throttle", method="PATCH", retry_after=60, times=1)
    body = await harness.click(pending.id)
    assert body["type"] == MESSAGE
    assert "try Confirm again in 60 seconds" in text_of(body)
    assert await harness.state(pending.id) is PendingState.PENDING
    assert "Saved" in text_of(await harness.click(pending.id))
    assert await harness.patches() == [429, 200]


async def test_a_signed_out_seller_is_asked_to_sign_in_and_can_confirm_after(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, WON)
    harness.assertions.signed_out.add(SELLER.oid)
    body = await harness.click(pending.id)
    assert body["type"] == MESSAGE
    assert "sign in" in text_of(body)
    assert await harness.state(pending.id) is PendingState.PENDING
    harness.assertions.signed_out.clear()
    assert "Saved" in text_of(await harness.click(pending.id))
    assert await harness.patches() == [200]


async def test_a_fresh_confirm_card_in_a_channel_says_whose_change_it_is(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, VALUE)
    await harness.control.add_fault("bump_etag", method="PATCH", times=1)
    body = await harness.click(pending.id, conversation=channel_thread())
    fresh = confirm_id(body)
    assert fresh is not None
    assert "Sam Seller proposes this change" in text_of(body)
    assert "Only you can confirm or cancel it." in text_of(body)  # the proposer's own view
    stored = await harness.store.get(fresh)
    assert stored is not None
    assert stored.card is not None  # what everyone else sees: the same, without buttons
    assert "actions" not in stored.card
    assert stored.card["refresh"]["action"]["data"] == {"pendingId": fresh}

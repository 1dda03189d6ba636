"""Issue 16 §4: one Confirm for several referrals applies each change at most once, each with its
own If-Match, whatever clicks race; a referral someone else changed gets a fresh card."""

from __future__ import annotations

import asyncio
import secrets
from collections import Counter
from decimal import Decimal

from bot.cards.confirm_change import CANCEL_VERB
from bot.domain.intent import ChangeIntent, Money
from bot.domain.pending import PendingChange, PendingState, batch_of
from tests.support.answers import CARD, MESSAGE, confirm_id, text_of
from tests.support.card_harness import Harness
from tests.support.emulators import OTHER_SELLER, SELLER
from tests.support.partner_center import assertion_for
from tests.support.world import AZURE, FABRIKAM, PHARMA

VALUE = ChangeIntent(deal_value=Money(Decimal("175000")))
OTHER_VALUE = ChangeIntent(deal_value=Money(Decimal("99000")))
REFERRALS = (AZURE, PHARMA, FABRIKAM)


async def propose_batch(
    harness: Harness, referral_ids: tuple[str, ...], intent: ChangeIntent = VALUE
) -> tuple[PendingChange, list[PendingChange]]:
    """As `dialogs/bulk_proposal.py` stores it: one pending change per referral, and the batch."""
    items = [await harness.propose(referral_id, intent) for referral_id in referral_ids]
    batch = batch_of(items, secrets.token_urlsafe(16))
    await harness.services.pending.put(batch)
    return batch, items


async def patches_per_referral(harness: Harness) -> Counter[tuple[str, int | None]]:
    """(referral id, status) of every PATCH the emulator received."""
    requests = await harness.control.requests("PATCH")
    return Counter((_referral_of(entry), entry["status"]) for entry in requests)


def _referral_of(entry: dict[str, object]) -> str:
    path = str(entry.get("path") or entry.get("url") or "")
    return path.rstrip("/").rsplit("/", 1)[-1]


async def test_one_confirm_applies_each_referral_once_and_lists_each_outcome(
    harness: Harness,
) -> None:
    batch, items = await propose_batch(harness, REFERRALS)
    body = await harness.click(batch.id)
    assert body["type"] == CARD
    text = text_of(body)
    assert all(f"Referral {referral_id}" in text for referral_id in REFERRALS)
    assert text.count("Saved.") == 3
    assert await patches_per_referral(harness) == Counter((r, 200) for r in REFERRALS)
    assert [await harness.state(item.id) for item in items] == [PendingState.APPLIED] * 3
    seller = assertion_for(SELLER)
    for referral_id in REFERRALS:
        current = await harness.services.referrals.get(referral_id, user=seller)
        assert current.value.details is not None
        assert current.value.details.deal_value == Decimal("175000")


async def test_a_repeated_confirm_patches_nothing_again(harness: Harness) -> None:
    batch, _ = await propose_batch(harness, REFERRALS)
    await harness.click(batch.id)
    again = await harness.click(batch.id)
    assert text_of(again).count("Already saved.") == 3
    assert await patches_per_referral(harness) == Counter((r, 200) for r in REFERRALS)


async def test_concurrent_confirms_patch_each_referral_exactly_once(harness: Harness) -> None:
    batch, items = await propose_batch(harness, REFERRALS)
    bodies = await asyncio.gather(*(harness.click(batch.id) for _ in range(4)))
    assert await patches_per_referral(harness) == Counter((r, 200) for r in REFERRALS)
    assert [await harness.state(item.id) for item in items] == [PendingState.APPLIED] * 3
    said = " ".join(text_of(body) for body in bodies)
    assert said.count("Saved.") == 3  # each referral is reported saved by exactly one click


async def test_one_referral_changed_by_someone_else_gets_a_fresh_card_the_others_save(
    harness: Harness,
) -> None:
    batch, items = await propose_batch(harness, REFERRALS)
    seller = assertion_for(SELLER)
    current = await harness.services.referrals.get(PHARMA, user=seller)
    other = await harness.propose(PHARMA, OTHER_VALUE)  # another writer saves first
    await harness.services.referrals.apply(
        PHARMA, other.operations, if_match=current.etag, user=seller
    )
    await harness.control.clear_requests()
    body = await harness.click(batch.id)
    text = text_of(body)
    assert text.count("Saved.") == 2
    assert "someone else changed it meanwhile" in text
    assert "Someone else changed this referral" in text  # the fresh card's own notice
    fresh_id = confirm_id(body)
    assert fresh_id is not None
    assert fresh_id not in {item.id for item in items}
    assert await patches_per_referral(harness) == Counter(
        {(AZURE, 200): 1, (FABRIKAM, 200): 1, (PHARMA, 412): 1}
    )
    states = [await harness.state(item.id) for item in items]
    assert states == [PendingState.APPLIED, PendingState.SUPERSEDED, PendingState.APPLIED]
    # The fresh card applies the change on the current version, once; the batch stays done.
    assert "Saved" in text_of(await harness.click(fresh_id))
    await harness.click(batch.id)
    assert await patches_per_referral(harness) == Counter(
        {(AZURE, 200): 1, (FABRIKAM, 200): 1, (PHARMA, 412): 1, (PHARMA, 200): 1}
    )


async def test_concurrent_confirms_with_a_412_still_patch_each_referral_at_most_once(
    harness: Harness,
) -> None:
    batch, _ = await propose_batch(harness, REFERRALS)
    await harness.control.add_fault("bump_etag", method="PATCH", times=1)
    bodies = await asyncio.gather(*(harness.click(batch.id) for _ in range(3)))
    per_referral = Counter(referral for referral, _ in await patches_per_referral(harness))
    assert set(per_referral) == set(REFERRALS)
    assert all(count == 1 for count in per_referral.values())
    said = " ".join(text_of(body) for body in bodies)
    assert said.count("Saved.") == 2
    assert said.count("someone else changed it meanwhile") == 1
    fresh = {confirm_id(body) for body in bodies} - {batch.id, None}
    assert len(fresh) == 1  # one fresh card; clicks that met an item being saved offer the rest


async def test_another_sellers_click_on_a_batch_changes_nothing(harness: Harness) -> None:
    batch, items = await propose_batch(harness, REFERRALS)
    refused = await harness.click(batch.id, user=OTHER_SELLER)
    assert "Not your change" in text_of(refused)
    assert await harness.patches() == []
    assert [await harness.state(item.id) for item in items] == [PendingState.PENDING] * 3


async def test_a_signed_out_seller_keeps_the_batch_card_and_can_confirm_after(
    harness: Harness,
) -> None:
    batch, _ = await propose_batch(harness, REFERRALS)
    harness.assertions.signed_out.add(SELLER.oid)
    asked = await harness.click(batch.id)
    assert asked["type"] == MESSAGE
    assert "sign in" in text_of(asked)
    harness.assertions.signed_out.clear()
    assert text_of(await harness.click(batch.id)).count("Saved.") == 3
    assert await harness.patches() == [200, 200, 200]


async def test_cancel_cancels_every_item_and_a_later_confirm_patches_nothing(
    harness: Harness,
) -> None:
    batch, items = await propose_batch(harness, REFERRALS)
    cancelled = await harness.click(batch.id, verb=CANCEL_VERB)
    assert "Cancelled" in text_of(cancelled)
    assert [await harness.state(item.id) for item in items] == [PendingState.CANCELLED] * 3
    after = await harness.click(batch.id)
    assert "Saved." not in text_of(after)
    assert await harness.patches() == []


async def test_cancel_after_some_were_saved_names_what_stays_saved(harness: Harness) -> None:
    batch, items = await propose_batch(harness, REFERRALS)
    await harness.click(items[0].id)  # one item confirmed on its own (a fresh card, say)
    body = await harness.click(batch.id, verb=CANCEL_VERB)
    text = text_of(body)
    assert "Too late to cancel" in text
    assert text.count("Cancelled") >= 2
    assert await harness.patches() == [200]


async def test_an_expired_batch_applies_nothing(harness: Harness) -> None:
    batch, _ = await propose_batch(harness, REFERRALS)
    harness.clock.current += harness.services.pending_ttl
    assert "expired" in text_of(await harness.click(batch.id))
    assert await harness.patches() == []

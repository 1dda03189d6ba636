"""Issue 16 §4, the property: a bulk Confirm applies each item at most once under duplicate and
concurrent clicks and per-item 412s.

Seeded random scenarios (the same ones on every run) over the real card actions and the
Referrals emulator: another writer changes some referrals first, some PATCHes meet a 412 from a
fault, then waves of one to three concurrent clicks on the same batch. Whatever happened, each
referral got at most one successful PATCH from the batch, exactly when its item is APPLIED; an
item that met a 412 is SUPERSEDED by a fresh card; each save is reported by exactly one click.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from decimal import Decimal

import pytest

from bot.domain.intent import ChangeIntent, Money
from bot.domain.pending import PendingState
from tests.card_actions.test_confirm_batch import REFERRALS, patches_per_referral, propose_batch
from tests.support.answers import text_of
from tests.support.card_harness import Harness
from tests.support.emulators import SELLER
from tests.support.partner_center import assertion_for

SCENARIOS = 24


def value(amount: int) -> ChangeIntent:
    return ChangeIntent(deal_value=Money(Decimal(amount)))


@pytest.mark.parametrize("seed", range(SCENARIOS))
async def test_each_referral_of_a_batch_is_written_at_most_once(
    harness: Harness, seed: int
) -> None:
    rng = random.Random(seed)
    amount = 100_000 + seed * 10
    batch, items = await propose_batch(harness, REFERRALS, value(amount))
    seller = assertion_for(SELLER)
    others: Counter[str] = Counter()
    for referral_id in REFERRALS:
        if rng.random() < 0.3:  # another writer saves first: this item's PATCH gets a 412
            current = await harness.services.referrals.get(referral_id, user=seller)
            other = await harness.propose(referral_id, value(amount + 1))
            await harness.services.referrals.apply(
                referral_id, other.operations, if_match=current.etag, user=seller
            )
            others[referral_id] += 1
    faults = rng.choice((0, 0, 1, 2))
    if faults:
        await harness.control.add_fault("bump_etag", method="PATCH", times=faults)
    bodies = []
    for _ in range(rng.randint(1, 4)):
        wave = rng.randint(1, 3)
        bodies += await asyncio.gather(*(harness.click(batch.id) for _ in range(wave)))

    patches = await patches_per_referral(harness)
    states = {item.referral_id: await harness.state(item.id) for item in items}
    for referral_id in REFERRALS:
        ours = patches[(referral_id, 200)] - others[referral_id]
        assert ours in (0, 1)
        assert states[referral_id] in (PendingState.APPLIED, PendingState.SUPERSEDED)
        assert (ours == 1) == (states[referral_id] is PendingState.APPLIED)
        if others[referral_id]:
            assert states[referral_id] is PendingState.SUPERSEDED
    said = " ".join(text_of(body) for body in bodies)
    applied = sum(state is PendingState.APPLIED for state in states.values())
    assert said.count("Saved.") == applied

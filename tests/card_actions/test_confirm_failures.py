"""When Partner Center fails, a Confirm click releases, cancels or keeps the claim by one rule:
did the write happen? The card never lets a change be applied twice."""

from __future__ import annotations

import dataclasses
import secrets

from bot.domain.intent import ChangeIntent, Outcome
from bot.domain.pending import PendingState
from tests.support.answers import CARD, MESSAGE, confirm_id, text_of
from tests.support.card_harness import Harness
from tests.support.emulators import ADMIN, OTHER_SELLER
from tests.support.partner_center import assertion_for
from tests.support.referral_documents import member
from tests.support.world import AZURE

WON = ChangeIntent(outcome=Outcome.WON)
ITEM = f"/v1.0/engagements/referrals/{AZURE}"


async def test_a_write_that_provably_did_not_land_releases_the_claim(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await harness.control.add_fault("error", method="PATCH", status=500, times=-1)
    body = await harness.click(pending.id)
    assert body["type"] == MESSAGE
    assert "nothing was changed" in text_of(body)
    assert await harness.state(pending.id) is PendingState.PENDING
    await harness.clear_faults()
    assert "Saved" in text_of(await harness.click(pending.id))
    assert (await harness.patches()).count(200) == 1


async def test_an_unknown_outcome_is_settled_by_the_next_click_never_twice(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, WON)
    await harness.control.add_fault("error", method="*", status=500, times=-1)
    body = await harness.click(pending.id)
    assert body["type"] == MESSAGE
    assert "can't tell yet whether your change was saved" in text_of(body)
    assert await harness.state(pending.id) is PendingState.PENDING  # the If-Match decides next

    await harness.clear_faults()
    assert "Saved" in text_of(await harness.click(pending.id))
    assert (await harness.patches()).count(200) == 1


async def test_an_unknown_outcome_that_had_landed_is_not_applied_again(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await harness.control.add_fault("drop_after_write", method="PATCH", times=1)
    await harness.control.add_fault("error", method="GET", status=500, times=-1)
    body = await harness.click(pending.id)
    assert "can't tell yet" in text_of(body)

    await harness.clear_faults()
    again = await harness.click(pending.id)
    assert "already shows this change" in text_of(again)
    assert "nothing was changed" not in text_of(again)
    assert await harness.patches() == [None, 412]  # the dropped one (landed), then refused


async def test_an_unknown_outcome_that_landed_is_reported_as_saved(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await harness.control.add_fault("drop_after_write", method="PATCH", times=1)
    await harness.control.add_fault("error", method="GET", status=500, times=3)
    body = await harness.click(pending.id)
    assert "Saved" in text_of(body)
    assert await harness.state(pending.id) is PendingState.APPLIED
    assert len(await harness.patches()) == 1


async def test_a_write_whose_result_cannot_be_read_is_still_applied(harness: Harness) -> None:
    pending = await harness.propose(AZURE, WON)
    await harness.control.add_fault("ignore_prefer", method="PATCH", times=1)
    await harness.control.add_fault("error", method="GET", status=500, times=-1)
    body = await harness.click(pending.id)
    assert "saved" in text_of(body)
    assert "couldn't load" in text_of(body)
    assert await harness.state(pending.id) is PendingState.APPLIED
    assert await harness.patches() == [204]


async def test_a_seller_removed_from_the_team_meanwhile_is_told_and_the_change_ends(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, WON)
    admin = assertion_for(ADMIN)
    current = await harness.services.referrals.get(AZURE, user=admin)
    team = [{"op": "replace", "path": "/team", "value": [member(OTHER_SELLER)]}]
    await harness.services.referrals.apply(AZURE, team, if_match=current.etag, user=admin)
    body = await harness.click(pending.id)
    assert body["type"] == CARD
    assert "can't find that referral" in text_of(body)
    assert confirm_id(body) is None
    assert await harness.state(pending.id) is PendingState.CANCELLED


async def test_a_change_partner_center_refuses_ends_without_a_retry(harness: Harness) -> None:
    planned = await harness.propose(AZURE, WON)
    bogus = dataclasses.replace(
        planned,
        id=secrets.token_urlsafe(16),
        operations=({"op": "replace", "path": "/status", "value": "Bogus"},),
    )
    await harness.services.pending.put(bogus)
    body = await harness.click(bogus.id)
    assert "refused that change" in text_of(body)
    assert await harness.state(bogus.id) is PendingState.CANCELLED
    assert await harness.patches() == [400]


async def test_throttling_while_rereading_after_a_conflict_keeps_the_card(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, WON)
    await harness.control.add_fault("bump_etag", method="PATCH", times=1)
    await harness.control.add_fault("throttle", method="GET", retry_after=60, times=1)
    body = await harness.click(pending.id)
    assert body["type"] == MESSAGE
    assert "60 seconds" in text_of(body)
    assert await harness.state(pending.id) is PendingState.PENDING
    fresh = await harness.click(pending.id)
    assert confirm_id(fresh) not in (None, pending.id)

"""A relative change ("push it out by 2 weeks") after a 412: planned again on the new version
when someone else changed the value, never applied twice when ours had landed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta

from bot.domain.formatting import format_date
from bot.domain.intent import ChangeIntent, Shift, ShiftUnit
from bot.domain.pending import PendingState
from tests.support.answers import confirm_id, text_of
from tests.support.card_harness import Harness
from tests.support.emulators import SELLER
from tests.support.partner_center import assertion_for
from tests.support.world import AZURE

TWO_WEEKS_LATER = ChangeIntent(close_date_shift=Shift(2, ShiftUnit.WEEKS))


async def _close_date(harness: Harness) -> date:
    current = await harness.services.referrals.get(AZURE, user=assertion_for(SELLER))
    assert current.value.details is not None
    assert current.value.details.closing_date_time is not None
    return current.value.details.closing_date_time.astimezone(UTC).date()


def _set_close_date(day: date) -> list[dict[str, Any]]:
    stamp = datetime(day.year, day.month, day.day, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return [{"op": "replace", "path": "/details/closingDateTime", "value": stamp}]


async def test_after_someone_else_moves_the_date_the_shift_applies_to_their_date(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, TWO_WEEKS_LATER)
    seller = assertion_for(SELLER)
    theirs = await _close_date(harness) + relativedelta(days=5)
    current = await harness.services.referrals.get(AZURE, user=seller)
    await harness.services.referrals.apply(
        AZURE, _set_close_date(theirs), if_match=current.etag, user=seller
    )

    body = await harness.click(pending.id)

    fresh_id = confirm_id(body)
    assert fresh_id is not None
    shown = text_of(body)
    assert "Someone else changed this referral" in shown
    assert format_date(theirs) in shown  # old: their date
    assert format_date(theirs + relativedelta(weeks=2)) in shown  # new: theirs + 2 weeks
    assert await harness.state(pending.id) is PendingState.SUPERSEDED
    assert "Saved" in text_of(await harness.click(fresh_id))
    assert await _close_date(harness) == theirs + relativedelta(weeks=2)


async def test_a_shift_that_had_landed_is_not_applied_again_after_a_412(
    harness: Harness,
) -> None:
    pending = await harness.propose(AZURE, TWO_WEEKS_LATER)
    landed = await _close_date(harness) + relativedelta(weeks=2)
    seller = assertion_for(SELLER)
    current = await harness.services.referrals.get(AZURE, user=seller)
    await harness.services.referrals.apply(
        AZURE, pending.operations, if_match=current.etag, user=seller
    )

    body = await harness.click(pending.id)

    assert "already shows this change" in text_of(body)
    assert confirm_id(body) is None  # not "+2 weeks" once more
    assert await harness.patches() == [200, 412]
    assert await _close_date(harness) == landed

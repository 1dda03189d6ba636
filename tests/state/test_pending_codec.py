"""A pending change survives the store exactly: every planned change, every value type."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from bot.domain.change import plan_change
from bot.domain.errors import DomainError
from bot.domain.intent import (
    ChangeIntent,
    MemberSpec,
    Money,
    NoteEdit,
    Outcome,
    Percent,
    Shift,
    ShiftUnit,
    ValueDelta,
)
from bot.domain.pending import PendingChange, PendingState
from bot.domain.referral import Referral
from bot.state import sqlite_codec
from bot.state.errors import UnsafeStateError
from bot.state.pending_codec import decode_pending, encode_pending
from tests.domain.test_plan_properties import NOW, documents, intents
from tests.support.referral_documents import make_referral_document

CREATED = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _pending(document: dict[str, Any], intent: ChangeIntent) -> PendingChange | None:
    try:
        change = plan_change(Referral.from_document(document), intent, now=NOW)
    except DomainError:
        return None
    return PendingChange(
        id="p-1",
        proposer_id="oid-1",
        proposer_name="Sam Seller",
        tenant_id="tenant-1",
        conversation_id="a:1",
        referral_id=change.referral_id,
        etag='"0a00-1"',
        intent=change.intent,
        operations=change.operations,
        created_at=CREATED,
        expires_at=CREATED + timedelta(minutes=30),
        state=PendingState.CLAIMED,
    )


def _types(value: Any) -> Any:
    """The value's shape with the exact type of every leaf (a Decimal must stay a Decimal)."""
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_types(item) for item in value]
    return type(value).__name__


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents(), intent=intents())
def test_every_planned_change_round_trips_exactly(
    document: dict[str, Any], intent: ChangeIntent
) -> None:
    pending = _pending(document, intent)
    if pending is None:
        return
    back = decode_pending(encode_pending(pending))

    assert back == pending
    assert _types(back.operations) == _types(pending.operations)  # what the PATCH will carry
    assert back.created_at.utcoffset() == timedelta(0)


def test_a_won_deal_with_value_note_and_member_round_trips() -> None:
    intent = ChangeIntent(
        outcome=Outcome.WON,
        deal_value=Money(Decimal("10500.50"), "EUR"),
        note=NoteEdit("signed today"),
        add_members=(MemberSpec(email="kim@contoso.example", first_name="Kim", last_name="Lee"),),
    )
    pending = _pending(make_referral_document(status="Active", substatus="Accepted"), intent)
    assert pending is not None

    back = decode_pending(encode_pending(pending))

    assert back == pending
    assert _types(back.operations) == _types(pending.operations)


def test_rows_written_by_the_generic_codec_before_are_still_read() -> None:
    legacy = PendingChange(
        "p-2", "oid", "Sam", "t", "a:1", "123", '"e"', ChangeIntent(), (), CREATED, CREATED
    )

    assert decode_pending(sqlite_codec.encode(legacy)) == legacy


@pytest.mark.parametrize(
    "stored",
    [
        json.dumps({"py/reduce": [{"py/function": "os.system"}, {"py/tuple": ["true"]}]}),
        '{"py/object": "subprocess.Popen"}',
        '{"id": "p"}',
        "not json",
        42,
    ],
)
def test_anything_else_is_refused_without_running_code(stored: Any) -> None:
    with pytest.raises(UnsafeStateError):
        decode_pending(stored)


@pytest.mark.parametrize(
    "intent",
    [
        ChangeIntent(close_date_shift=Shift(-2, ShiftUnit.WEEKS)),
        ChangeIntent(deal_value_delta=ValueDelta(Percent(Decimal("2.5")), -1)),
        ChangeIntent(deal_value_delta=ValueDelta(Money(Decimal("20000"), "USD"), 1)),
        ChangeIntent(stage_step=1),
    ],
)
def test_a_relative_intent_round_trips_for_a_replan_after_a_412(intent: ChangeIntent) -> None:
    """The union Money | Percent comes back as the type it was (a re-plan reads it)."""
    document = make_referral_document(status="Active", substatus="Accepted")
    document["salesStage"] = "Develop"
    document["details"] = {
        "dealValue": 100000,
        "currency": "USD",
        "closingDateTime": "2027-01-29T00:00:00Z",
    }
    pending = _pending(document, intent)
    assert pending is not None
    back = decode_pending(encode_pending(pending))
    assert back == pending
    assert back.intent.is_relative

"""Leads in the domain: open or not, how one was decided, and the decline reason's rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.domain.errors import InvalidChangeError
from bot.domain.leads import (
    LONG_REASON,
    NO_REASON,
    REASON_LIMIT,
    LeadOutcome,
    clean_reason,
    has_expired,
    is_open_lead,
    is_referral_id,
    seen_decision,
    with_reason,
)
from bot.domain.referral import Referral

EXPIRES = datetime(2026, 12, 10, 16, 0, tzinfo=UTC)


def referral(state: str = "New/Received", direction: str = "Incoming", **more: Any) -> Referral:
    status, substatus = state.split("/")
    document = {
        "id": "r1",
        "status": status,
        "substatus": substatus,
        "direction": direction,
        "expirationDateTime": "2026-12-10T16:00:00Z",
    }
    return Referral.from_document(document | more)


@pytest.mark.parametrize(
    ("state", "direction", "is_open"),
    [
        ("New/Received", "Incoming", True),
        ("New/Pending", "Incoming", True),
        ("New/Pending", "Outgoing", False),
        ("Active/Accepted", "Incoming", False),
        ("Closed/Declined", "Incoming", False),
    ],
)
def test_only_an_incoming_referral_still_new_is_an_open_lead(
    state: str, direction: str, is_open: bool
) -> None:
    assert is_open_lead(referral(state, direction)) is is_open


def test_a_lead_has_expired_from_its_expiration_on() -> None:
    lead = referral()
    assert not has_expired(lead, EXPIRES - timedelta(seconds=1))
    assert has_expired(lead, EXPIRES)
    assert not has_expired(referral(expirationDateTime=None), EXPIRES + timedelta(days=99))


@pytest.mark.parametrize(
    ("state", "outcome", "reason", "substatus"),
    [
        ("Active/Accepted", LeadOutcome.ACCEPTED, None, None),
        ("Closed/Declined", LeadOutcome.DECLINED, "No capacity", "Declined"),
        ("Closed/Expired", LeadOutcome.EXPIRED, None, "Expired"),
        ("Closed/Won", LeadOutcome.CLOSED, None, "Won"),
    ],
)
def test_a_decision_made_elsewhere_is_read_from_the_referral(
    state: str, outcome: LeadOutcome, reason: str | None, substatus: str | None
) -> None:
    decided = seen_decision(referral(state, statusReason="No capacity"))
    assert decided is not None
    assert (decided.outcome, decided.reason, decided.through_bot) == (outcome, reason, False)
    if substatus:
        assert decided.substatus == substatus


def test_a_lead_still_new_has_no_decision() -> None:
    assert seen_decision(referral()) is None


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("No capacity", "No capacity"),
        ("  Outside our\n region\t ", "Outside our region"),
        ("Not\u202eour\u0007area", "Not our area"),
        ("x" * REASON_LIMIT, "x" * REASON_LIMIT),
    ],
)
def test_a_reason_is_kept_on_one_clean_line(typed: str, kept: str) -> None:
    assert clean_reason(typed) == kept


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (None, NO_REASON),
        ("", NO_REASON),
        (" \n ", NO_REASON),
        (7, NO_REASON),
        ("y" * (REASON_LIMIT + 1), LONG_REASON),
    ],
)
def test_an_empty_or_long_reason_is_refused_with_a_sentence(typed: object, said: str) -> None:
    with pytest.raises(InvalidChangeError) as refused:
        clean_reason(typed)
    assert refused.value.user_message == said


def test_the_reason_is_added_to_a_declines_operations_once() -> None:
    moves = (
        {"op": "replace", "path": "/status", "value": "Closed"},
        {"op": "replace", "path": "/substatus", "value": "Declined"},
    )
    first = with_reason(moves, "No capacity")
    again = with_reason(first, "Outside our region")
    assert first == (*moves, {"op": "add", "path": "/statusReason", "value": "No capacity"})
    assert again[-1]["value"] == "Outside our region"
    assert len(again) == 3


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", True),
        ("4711", True),
        ("a.b_c~d-e", True),
        ("", False),
        ("../x", False),
        ("-x", False),
        ("a/b", False),
        ("a" * 129, False),
        (7, False),
        (None, False),
    ],
)
def test_a_referral_id_is_checked_before_it_is_read(value: object, valid: bool) -> None:
    assert is_referral_id(value) is valid

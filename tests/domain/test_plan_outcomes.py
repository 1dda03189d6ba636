"""Every status × outcome, with the exact operations or the refusal the seller reads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import jsonpatch
import pytest

from bot.domain.errors import (
    DomainError,
    NothingToChangeError,
    TransitionNotAllowedError,
)
from bot.domain.intent import Outcome
from tests.domain.planning import LABEL, NOW, in_state, make_referral, ops, plan, rows


def _to(status: str | None, substatus: str) -> list[dict[str, str]]:
    moves = [{"op": "replace", "path": "/status", "value": status}] if status else []
    return [*moves, {"op": "replace", "path": "/substatus", "value": substatus}]


_FINAL = "final in Partner Center"
_NOT_DECLINE = "Decline is only for new incoming leads"
_MATRIX: list[tuple[str, str, Outcome, object]] = [
    # New incoming leads: everything is possible.
    ("New/Pending", "Incoming", Outcome.WON, _to("Closed", "Won")),
    ("New/Pending", "Incoming", Outcome.LOST, _to("Closed", "Lost")),
    ("New/Pending", "Incoming", Outcome.DECLINED, _to("Closed", "Declined")),
    ("New/Pending", "Incoming", Outcome.ACCEPTED, _to("Active", "Accepted")),
    ("New/Received", "Incoming", Outcome.WON, _to("Closed", "Won")),
    ("New/Received", "Incoming", Outcome.LOST, _to("Closed", "Lost")),
    ("New/Received", "Incoming", Outcome.DECLINED, _to("Closed", "Declined")),
    ("New/Received", "Incoming", Outcome.ACCEPTED, _to("Active", "Accepted")),
    # A referral the partner sent: only its outcome.
    ("New/Pending", "Outgoing", Outcome.WON, _to("Closed", "Won")),
    ("New/Pending", "Outgoing", Outcome.LOST, _to("Closed", "Lost")),
    ("New/Pending", "Outgoing", Outcome.DECLINED, (TransitionNotAllowedError, _NOT_DECLINE)),
    ("New/Pending", "Outgoing", Outcome.ACCEPTED, (TransitionNotAllowedError, "Only incoming")),
    # Active deals, either direction.
    ("Active/Accepted", "Incoming", Outcome.WON, _to("Closed", "Won")),
    ("Active/Accepted", "Incoming", Outcome.LOST, _to("Closed", "Lost")),
    ("Active/Accepted", "Incoming", Outcome.DECLINED, (TransitionNotAllowedError, "mark it lost")),
    ("Active/Accepted", "Incoming", Outcome.ACCEPTED, (NothingToChangeError, "already accepted")),
    ("Active/Accepted", "Outgoing", Outcome.WON, _to("Closed", "Won")),
    ("Active/Accepted", "Outgoing", Outcome.LOST, _to("Closed", "Lost")),
    ("Active/Accepted", "Outgoing", Outcome.DECLINED, (TransitionNotAllowedError, "mark it lost")),
    ("Active/Accepted", "Outgoing", Outcome.ACCEPTED, (NothingToChangeError, "already accepted")),
    # Closed is final; repeating its own outcome is a no-op.
    ("Closed/Won", "Incoming", Outcome.WON, (NothingToChangeError, "is already won")),
    ("Closed/Won", "Incoming", Outcome.LOST, (TransitionNotAllowedError, _FINAL)),
    ("Closed/Won", "Incoming", Outcome.DECLINED, (TransitionNotAllowedError, _FINAL)),
    ("Closed/Won", "Incoming", Outcome.ACCEPTED, (TransitionNotAllowedError, _FINAL)),
    ("Closed/Won", "Outgoing", Outcome.WON, (NothingToChangeError, "is already won")),
    ("Closed/Won", "Outgoing", Outcome.LOST, (TransitionNotAllowedError, _FINAL)),
    ("Closed/Lost", "Incoming", Outcome.LOST, (NothingToChangeError, "is already lost")),
    ("Closed/Lost", "Incoming", Outcome.WON, (TransitionNotAllowedError, _FINAL)),
    ("Closed/Lost", "Outgoing", Outcome.LOST, (NothingToChangeError, "is already lost")),
    ("Closed/Lost", "Outgoing", Outcome.ACCEPTED, (TransitionNotAllowedError, _FINAL)),
    ("Closed/Declined", "Incoming", Outcome.DECLINED, (NothingToChangeError, "already declined")),
    ("Closed/Declined", "Incoming", Outcome.WON, (TransitionNotAllowedError, _FINAL)),
    ("Closed/Declined", "Incoming", Outcome.ACCEPTED, (TransitionNotAllowedError, _FINAL)),
    ("Closed/Expired", "Incoming", Outcome.WON, (TransitionNotAllowedError, _FINAL)),
    ("Closed/Expired", "Incoming", Outcome.LOST, (TransitionNotAllowedError, _FINAL)),
    ("Closed/Expired", "Incoming", Outcome.DECLINED, (TransitionNotAllowedError, _FINAL)),
    ("Closed/Expired", "Incoming", Outcome.ACCEPTED, (TransitionNotAllowedError, _FINAL)),
]


@pytest.mark.parametrize(("state", "direction", "outcome", "expected"), _MATRIX)
def test_outcome_from_each_state(
    state: str, direction: str, outcome: Outcome, expected: object
) -> None:
    referral = in_state(state, direction)
    if isinstance(expected, tuple):
        error, words = expected
        with pytest.raises(error) as caught:
            plan(referral, outcome=outcome)
        assert words in caught.value.user_message
        assert LABEL in caught.value.user_message
    else:
        assert ops(plan(referral, outcome=outcome)) == expected


def test_a_no_op_names_the_referral_in_full() -> None:
    with pytest.raises(NothingToChangeError) as caught:
        plan(in_state("Closed/Won"), outcome=Outcome.WON)
    assert caught.value.user_message == "Contoso Azure migration (123) is already won."


def test_an_unnamed_referral_is_named_by_its_id() -> None:
    with pytest.raises(NothingToChangeError) as caught:
        plan(in_state("Closed/Won", name=...), outcome=Outcome.WON)
    assert caught.value.user_message == "referral 123 is already won."


@pytest.mark.parametrize(
    "state", ["Closed/Won", "Closed/Lost", "Closed/Declined", "Closed/Expired"]
)
@pytest.mark.parametrize(
    "intent",
    [
        {"deal_name": "Renamed"},
        {"outcome": Outcome.WON, "reason": "signed"},
        {"outcome": Outcome.LOST, "close_date": NOW.date()},
    ],
)
def test_nothing_changes_on_a_closed_referral(state: str, intent: dict[str, Any]) -> None:
    with pytest.raises(TransitionNotAllowedError) as caught:
        plan(in_state(state), **intent)
    message = caught.value.user_message
    assert "Won, Lost, Declined and Expired are final in Partner Center" in message
    assert state.split("/")[1] in message


@pytest.mark.parametrize(
    ("outcome", "reason", "expected_reason_op"),
    [
        (
            Outcome.LOST,
            "budget frozen",
            {"op": "replace", "path": "/statusReason", "value": "budget frozen"},
        ),
        (
            Outcome.WON,
            "  signed in March ",
            {"op": "replace", "path": "/statusReason", "value": "signed in March"},
        ),
    ],
)
def test_a_reason_goes_to_status_reason(
    outcome: Outcome, reason: str, expected_reason_op: dict[str, str]
) -> None:
    change = plan(in_state("Active/Accepted"), outcome=outcome, reason=reason)
    assert ops(change)[-1] == expected_reason_op
    assert ("Reason", "—", expected_reason_op["value"]) in rows(change)


def test_a_decline_reason_is_added_when_the_referral_has_none() -> None:
    referral = in_state("New/Received", statusReason=...)
    change = plan(referral, outcome=Outcome.DECLINED, reason="not our region")
    assert ops(change) == [
        *_to("Closed", "Declined"),
        {"op": "add", "path": "/statusReason", "value": "not our region"},
    ]
    assert change.after.status_reason == "not our region"


def test_a_reason_equal_to_the_current_one_is_not_resent() -> None:
    referral = in_state("Active/Accepted", statusReason="budget frozen")
    assert ops(plan(referral, outcome=Outcome.LOST, reason="budget frozen")) == _to(
        "Closed", "Lost"
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_blank_reason_is_ignored(reason: str) -> None:
    assert ops(plan(in_state("Active/Accepted"), outcome=Outcome.LOST, reason=reason)) == _to(
        "Closed", "Lost"
    )


def test_a_reason_without_an_outcome_is_refused() -> None:
    with pytest.raises(DomainError, match="reason goes with an outcome"):
        plan(in_state("Active/Accepted"), reason="budget frozen")


def test_a_status_missing_from_the_document_is_added() -> None:
    referral = make_referral(substatus=...)
    assert ops(plan(referral, outcome=Outcome.WON)) == [
        {"op": "replace", "path": "/status", "value": "Closed"},
        {"op": "add", "path": "/substatus", "value": "Won"},
    ]


def test_an_unknown_status_cannot_take_an_outcome() -> None:
    with pytest.raises(TransitionNotAllowedError, match="doesn't allow that"):
        plan(in_state("Paused/Accepted"), outcome=Outcome.WON)


def test_an_active_referral_with_an_odd_substatus_is_accepted_by_substatus_only() -> None:
    change = plan(in_state("Active/Pending"), outcome=Outcome.ACCEPTED)
    assert ops(change) == _to(None, "Accepted")


@pytest.mark.parametrize(
    ("outcome", "state", "row"),
    [
        (Outcome.WON, "Active/Accepted", ("Status", "Active (Accepted)", "Won")),
        (Outcome.LOST, "New/Pending", ("Status", "New (Pending)", "Lost")),
        (Outcome.DECLINED, "New/Received", ("Status", "New (Received)", "Declined")),
        (Outcome.ACCEPTED, "New/Received", ("Status", "New (Received)", "Active (Accepted)")),
    ],
)
def test_the_status_row_reads_old_and_new(
    outcome: Outcome, state: str, row: tuple[str, str, str]
) -> None:
    assert rows(plan(in_state(state), outcome=outcome)) == [row]


@pytest.mark.parametrize(
    ("outcome", "irreversible"),
    [
        (Outcome.WON, True),
        (Outcome.LOST, True),
        (Outcome.DECLINED, True),
        (Outcome.ACCEPTED, False),
    ],
)
def test_closing_outcomes_are_irreversible(outcome: Outcome, irreversible: bool) -> None:
    assert plan(in_state("New/Received"), outcome=outcome).irreversible is irreversible


def test_field_changes_alone_are_reversible() -> None:
    assert not plan(in_state("New/Received"), deal_name="Renamed").irreversible


@pytest.mark.parametrize(
    ("age", "warned"),
    [
        (timedelta(minutes=5), True),
        (timedelta(hours=71, minutes=59), True),
        (timedelta(hours=72), False),
        (timedelta(days=30), False),
    ],
)
def test_won_within_72_hours_of_creation_warns_about_deal_registration(
    age: timedelta, warned: bool
) -> None:
    created = (NOW - age).astimezone(tz=None).isoformat()
    referral = in_state("Active/Accepted", createdDateTime=created)
    warnings = plan(referral, outcome=Outcome.WON).warnings
    assert any("deal-registration" in text and "72 hours" in text for text in warnings) is warned


@pytest.mark.parametrize("outcome", [Outcome.LOST, Outcome.ACCEPTED])
def test_only_won_carries_the_72_hour_warning(outcome: Outcome) -> None:
    referral = in_state("New/Received", createdDateTime=(NOW - timedelta(hours=1)).isoformat())
    assert plan(referral, outcome=outcome).warnings == ()


def test_a_referral_without_creation_time_is_not_warned() -> None:
    referral = in_state("Active/Accepted", createdDateTime=...)
    assert plan(referral, outcome=Outcome.WON).warnings == ()


@pytest.mark.parametrize("outcome", list(Outcome))
def test_the_after_image_is_the_patched_document(outcome: Outcome) -> None:
    referral = in_state("New/Received")
    change = plan(referral, outcome=outcome, reason="why")
    patched = jsonpatch.apply_patch(referral.to_document(), list(change.operations))
    assert change.after.to_document() == patched
    assert change.before is referral
    assert change.referral_id == "123"

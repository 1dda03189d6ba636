"""For any referral and any intent: a DomainError, or a patch Partner Center would accept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import jsonpatch
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.change import WRITABLE_PATHS, ReferralChange, plan_change
from bot.domain.errors import DomainError
from bot.domain.intent import ChangeIntent, MemberSpec, Money, NoteEdit, Outcome
from bot.domain.referral import Referral, SalesStage
from bot.domain.transitions import is_valid_state
from emulators.partner_center.documents import coerce_deal_value, validate_document
from emulators.partner_center.errors import ApiError
from emulators.partner_center.lifecycle import check_transition
from emulators.partner_center.patching import apply_operations, parse_operations
from tests.domain.planning import SPEC_STATES

_PEOPLE = [
    ("Jane", "Doe", "jane.doe@contoso.com"),
    ("Jane", "Roe", "jane.roe@contoso.com"),
    ("John", "Smith", "john.smith@contoso.com"),
    ("Alex", "Kim", "alex.kim@fabrikam.com"),
    ("Sam", "Lee", "SAM@contoso.com"),
]
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=timezone(timedelta(hours=-5)))

_text = st.text(min_size=0, max_size=30)
_maybe_text = st.none() | _text
_member_entry = st.sampled_from(_PEOPLE).map(
    lambda p: {"firstName": p[0], "lastName": p[1], "email": p[2]}
)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    open_states = [state for state in SPEC_STATES if state[0] != "Closed"]
    status, substatus, direction = draw(st.sampled_from(open_states) | st.sampled_from(SPEC_STATES))
    created = NOW - draw(st.timedeltas(timedelta(hours=-2), timedelta(days=10)))
    document: dict[str, Any] = {
        "id": draw(st.sampled_from(["123", "6b0a6f3e-8c1d-4f5e-9a7b-2c3d4e5f6a7b"])),
        "status": status,
        "substatus": substatus,
        "direction": direction,
        "type": "Independent",
        "qualification": "SalesQualified",
        "createdDateTime": created.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "customerProfile": {"name": "Contoso Ltd"},
        "consent": {"consentToContact": True},
        "eTag": '"e1"',
    }
    optional = {
        "name": _maybe_text,
        "statusReason": _maybe_text,
        "externalReferenceId": _maybe_text,
        "salesStage": st.none() | st.sampled_from([s.value for s in SalesStage]),
        "details": st.none() | details() | details() | details(),
        "team": st.lists(_member_entry, max_size=4, unique_by=lambda m: m["email"].lower()),
    }
    for key, strategy in optional.items():
        if key in ("details", "team") or draw(st.booleans()):
            document[key] = draw(strategy)
    return document


@st.composite
def details(draw: st.DrawFn) -> dict[str, Any]:
    members = {
        "notes": _maybe_text,
        "dealValue": st.integers(0, 10**9) | st.sampled_from([0.5, 125000.5]),
        "currency": st.sampled_from(["USD", "EUR", "CAD"]),
        "closingDateTime": st.dates(date(2025, 1, 1), date(2028, 12, 31)).map(
            lambda d: f"{d.isoformat()}T00:00:00Z"
        ),
    }
    return {key: draw(value) for key, value in members.items() if draw(st.booleans())}


_good_amounts = st.decimals(min_value=Decimal("0.01"), max_value=10**9, places=2)
_bad_amounts = st.sampled_from(
    [
        Decimal(0),
        Decimal(-5),
        Decimal("1.005"),
        Decimal("NaN"),
        Decimal("Infinity"),
        Decimal(10**13),
    ]
)
_currencies = st.none() | st.sampled_from(["USD", "EUR", "gbp", "CAD"])
_complete_specs = st.builds(
    MemberSpec,
    email=st.sampled_from([p[2] for p in _PEOPLE] + ["new@contoso.com", "Other@Fabrikam.com"]),
    first_name=st.sampled_from(["Jane", "New", "Other"]),
    last_name=st.sampled_from(["Doe", "Person"]),
    phone_number=st.none() | st.sampled_from(["+1 425 555 0100", " "]),
)
_odd_specs = st.builds(
    MemberSpec,
    email=st.none() | st.sampled_from(["bad", "", "x@y.com"]),
    first_name=st.none() | st.sampled_from([" ", "Jane"]),
    last_name=st.none() | st.just("Doe"),
)
_who = st.sampled_from(
    [p[2] for p in _PEOPLE] + ["Jane", "jane doe", "john", "SMITH", "Alex Kim", "sam@CONTOSO.com"]
)
_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "outcome": st.sampled_from(list(Outcome)),
    "reason": _text,
    "deal_value": st.builds(Money, _good_amounts | _good_amounts | _bad_amounts, _currencies),
    "close_date": st.dates(date(2025, 1, 1), date(2028, 12, 31)),
    "note": st.builds(NoteEdit, _text, st.booleans()),
    "sales_stage": st.sampled_from(list(SalesStage)),
    "deal_name": _text,
    "external_reference_id": _text,
    "add_members": st.lists(
        _complete_specs | _complete_specs | _odd_specs, min_size=1, max_size=3
    ).map(tuple),
    "remove_members": st.lists(_who | st.just("nobody"), min_size=1, max_size=2).map(tuple),
}


@st.composite
def intents(draw: st.DrawFn) -> ChangeIntent:
    """One to three things at a time, like a seller's message; a reason mostly with an outcome."""
    names = draw(st.lists(st.sampled_from(sorted(_FIELDS)), min_size=1, max_size=3, unique=True))
    if "reason" in names and draw(st.integers(0, 3)):
        names.append("outcome")
    return ChangeIntent(**{name: draw(_FIELDS[name]) for name in dict.fromkeys(names)})


@pytest.mark.slow  # Hypothesis, 200 examples (about 0.5 s)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents(), intent=intents())
def test_the_planner_refuses_or_emits_a_patch_partner_center_accepts(
    document: dict[str, Any], intent: ChangeIntent
) -> None:
    referral = Referral.from_document(document)
    try:
        change = plan_change(referral, intent, now=NOW)
    except DomainError as error:
        refusal = error.user_message
    else:
        _check_accepted(document, change)
        return
    assert refusal.strip()
    assert "Error" not in refusal


def _check_accepted(document: dict[str, Any], change: ReferralChange) -> None:
    referral = change.before
    operations = [dict(op) for op in change.operations]
    assert operations
    assert {op["op"] for op in operations} <= {"add", "replace"}
    assert {op["path"] for op in operations} <= WRITABLE_PATHS

    patched = jsonpatch.apply_patch(referral.to_document(), operations)
    assert change.after.to_document() == patched
    assert is_valid_state(patched["status"], patched["substatus"], patched["direction"])
    assert change.fields

    accepted = apply_operations(document, parse_operations(operations))
    coerce_deal_value(accepted)
    if _stored_by_the_emulator(document) and accepted.get("details") is not None:
        validate_document(accepted)
    check_transition(document, accepted)


def _stored_by_the_emulator(document: dict[str, Any]) -> bool:
    """Documents lacking a team or details are planned too, but the emulator never holds one."""
    try:
        validate_document({**document, "details": document.get("details") or {}})
    except ApiError:
        return False
    return True


@settings(max_examples=60, deadline=None)
@given(document=documents(), intent=intents())
def test_planning_is_deterministic_and_leaves_the_referral_alone(
    document: dict[str, Any], intent: ChangeIntent
) -> None:
    referral = Referral.from_document(document)
    before = referral.to_document()
    outcomes = []
    for _ in range(2):
        try:
            outcomes.append(plan_change(referral, intent, now=NOW))
        except DomainError as error:
            outcomes.append(type(error)(error.user_message))  # type: ignore[arg-type]
    assert referral.to_document() == before
    first, second = outcomes
    if isinstance(first, DomainError):
        assert isinstance(second, DomainError)
        assert first.user_message == second.user_message
    else:
        assert first == second

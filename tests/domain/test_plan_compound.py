"""Several changes in one message: one patch, card rows in order, no-ops and warnings together."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import jsonpatch
import pytest

from bot.domain.change import WRITABLE_PATHS, plan_change
from bot.domain.errors import InvalidChangeError, NothingToChangeError, TransitionNotAllowedError
from bot.domain.intent import ChangeIntent, MemberSpec, Money, NoteEdit, Outcome
from bot.domain.referral import Referral, SalesStage
from tests.domain.planning import LABEL, NOW, in_state, make_referral, ops, plan, rows
from tests.support.referral_documents import make_referral_document

ALEX = MemberSpec("alex.kim@contoso.com", "Alex", "Kim")


def test_won_with_value_date_and_note_is_one_patch() -> None:
    change = plan(
        in_state("Active/Accepted"),
        outcome=Outcome.WON,
        reason="signed",
        deal_value=Money(Decimal(150000)),
        close_date=date(2026, 12, 4),
        note=NoteEdit("PO received"),
    )
    assert ops(change) == [
        {"op": "replace", "path": "/status", "value": "Closed"},
        {"op": "replace", "path": "/substatus", "value": "Won"},
        {"op": "replace", "path": "/statusReason", "value": "signed"},
        {"op": "replace", "path": "/details/dealValue", "value": 150000},
        {"op": "replace", "path": "/details/closingDateTime", "value": "2026-12-04T00:00:00Z"},
        {
            "op": "replace",
            "path": "/details/notes",
            "value": "Intro call done.\n[2026-12-01] PO received",
        },
    ]
    assert [row[0] for row in rows(change)] == [
        "Status",
        "Reason",
        "Deal value",
        "Close date",
        "Notes",
    ]
    assert change.irreversible


def test_every_field_at_once_keeps_the_card_order() -> None:
    change = plan(
        in_state("New/Received"),
        outcome=Outcome.ACCEPTED,
        deal_value=Money(Decimal(1), "EUR"),
        close_date=date(2027, 6, 30),
        note=NoteEdit("hello"),
        sales_stage=SalesStage.PROPOSE,
        deal_name="Renamed",
        external_reference_id="CRM-77",
        add_members=(ALEX,),
    )
    labels = [row[0] for row in rows(change)]
    assert labels == [
        "Status",
        "Deal value",
        "Close date",
        "Notes",
        "Sales stage",
        "Deal name",
        "CRM id",
        "Team",
    ]
    assert [op["path"] for op in ops(change)] == [
        "/status",
        "/substatus",
        "/details/dealValue",
        "/details/currency",
        "/details/closingDateTime",
        "/details/notes",
        "/salesStage",
        "/name",
        "/externalReferenceId",
        "/team/-",
    ]
    assert not change.irreversible


def test_parts_that_are_already_so_are_left_out_silently() -> None:
    change = plan(
        in_state("Active/Accepted"),
        outcome=Outcome.ACCEPTED,
        deal_value=Money(Decimal(100000)),
        sales_stage=SalesStage.PROPOSE,
    )
    assert ops(change) == [{"op": "replace", "path": "/salesStage", "value": "Propose"}]
    assert change.warnings == ()


def test_a_compound_no_op_lists_everything_that_is_already_so() -> None:
    with pytest.raises(NothingToChangeError) as caught:
        plan(
            make_referral(),
            outcome=Outcome.ACCEPTED,
            deal_value=Money(Decimal(100000), "USD"),
            close_date=date(2027, 1, 29),
        )
    assert caught.value.user_message == (
        f"{LABEL} is already accepted, already has a deal value of USD 100,000 "
        "and already closes on Fri 29 Jan 2027."
    )


def test_closing_plus_a_team_member_is_one_patch() -> None:
    change = plan(in_state("Active/Accepted"), outcome=Outcome.LOST, add_members=(ALEX,))
    assert [op["path"] for op in ops(change)] == ["/status", "/substatus", "/team/-"]


def test_warnings_of_all_parts_are_gathered() -> None:
    referral = in_state("Active/Accepted", createdDateTime=(NOW - timedelta(hours=2)).isoformat())
    change = plan(
        referral,
        outcome=Outcome.WON,
        close_date=date(2026, 11, 1),
        note=NoteEdit("Rewritten.", replace=True),
    )
    assert len(change.warnings) == 3
    assert "deal-registration" in change.warnings[0]
    assert change.warnings[1] == "The close date Sun 1 Nov 2026 is in the past."
    assert "will be replaced" in change.warnings[2]


def test_a_refused_part_refuses_the_whole_change() -> None:
    with pytest.raises(InvalidChangeError):
        plan(make_referral(), deal_name="Fine", deal_value=Money(Decimal(-5)))


def test_a_forbidden_outcome_refuses_the_whole_change() -> None:
    with pytest.raises(TransitionNotAllowedError):
        plan(in_state("Active/Accepted"), outcome=Outcome.DECLINED, deal_name="Fine")


def test_the_empty_intent_is_refused() -> None:
    with pytest.raises(InvalidChangeError, match="What would you like to change"):
        plan_change(make_referral(), ChangeIntent(), now=NOW)


def test_a_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        plan_change(make_referral(), ChangeIntent(deal_name="x"), now=datetime(2026, 12, 1))


def test_a_realistic_service_document_patches_cleanly() -> None:
    referral = Referral.from_document(make_referral_document())
    intent = ChangeIntent(
        outcome=Outcome.DECLINED,
        reason="Outside our region",
        note=NoteEdit("Declined on the call."),
        add_members=(ALEX,),
    )
    change = plan_change(referral, intent, now=datetime(2026, 3, 5, 12, tzinfo=UTC))
    assert ops(change)[:3] == [
        {"op": "replace", "path": "/status", "value": "Closed"},
        {"op": "replace", "path": "/substatus", "value": "Declined"},
        {"op": "replace", "path": "/statusReason", "value": "Outside our region"},
    ]
    patched = jsonpatch.apply_patch(referral.to_document(), list(change.operations))
    assert change.after.to_document() == patched
    assert patched["details"]["requirements"] == make_referral_document()["details"]["requirements"]
    assert patched["eTag"] == referral.e_tag
    assert change.intent is intent


def test_operations_only_add_or_replace_writable_paths() -> None:
    change = plan(
        in_state("New/Received", details=..., team=...),
        outcome=Outcome.ACCEPTED,
        deal_value=Money(Decimal(5)),
        add_members=(ALEX,),
        remove_members=(),
        deal_name="x",
    )
    assert {op["op"] for op in change.operations} <= {"add", "replace"}
    assert {op["path"] for op in change.operations} <= WRITABLE_PATHS
    assert {op["path"] for op in change.operations} >= {"/details", "/team"}

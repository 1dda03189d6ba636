"""Deal value, close date, notes, sales stage, deal name and CRM id: ops, rows, refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from bot.domain.errors import InvalidChangeError, NothingToChangeError
from bot.domain.intent import Money, NoteEdit
from bot.domain.referral import SalesStage
from tests.domain.planning import LABEL, NOW, make_document, make_referral, ops, plan, rows


def _details(**members: Any) -> list[dict[str, Any]]:
    return [
        {"op": "replace", "path": f"/details/{name}", "value": value}
        for name, value in members.items()
    ]


@pytest.mark.parametrize(
    ("money", "expected_ops", "row"),
    [
        (Money(Decimal(150000)), _details(dealValue=150000), ("USD 100,000", "USD 150,000")),
        (Money(Decimal("1.2E+6")), _details(dealValue=1200000), ("USD 100,000", "USD 1,200,000")),
        (Money(Decimal("95000.50")), _details(dealValue=95000.5), ("USD 100,000", "USD 95,000.50")),
        (Money(Decimal("150000.00")), _details(dealValue=150000), ("USD 100,000", "USD 150,000")),
        (Money(Decimal("0.01")), _details(dealValue=0.01), ("USD 100,000", "USD 0.01")),
        (Money(Decimal(140000), "EUR"), _details(dealValue=140000, currency="EUR"),
         ("USD 100,000", "EUR 140,000")),
        (Money(Decimal(140000), "USD"), _details(dealValue=140000), ("USD 100,000", "USD 140,000")),
        (Money(Decimal(100000), "EUR"), _details(currency="EUR"), ("USD 100,000", "EUR 100,000")),
        (Money(Decimal(100000), "eur"), _details(currency="EUR"), ("USD 100,000", "EUR 100,000")),
    ],
)  # fmt: skip
def test_deal_value(money: Money, expected_ops: list[dict[str, Any]], row: tuple[str, str]) -> None:
    change = plan(make_referral(), deal_value=money)
    assert ops(change) == expected_ops
    assert rows(change) == [("Deal value", *row)]


def test_a_whole_deal_value_is_sent_as_an_integer() -> None:
    value = ops(plan(make_referral(), deal_value=Money(Decimal("2.5E+5"))))[0]["value"]
    assert value == 250000
    assert type(value) is int


def test_a_fractional_deal_value_is_sent_as_a_number_not_a_string() -> None:
    value = ops(plan(make_referral(), deal_value=Money(Decimal("10.25"))))[0]["value"]
    assert value == 10.25
    assert type(value) is float


@pytest.mark.parametrize(
    "amount",
    ["0", "-1", "-150000", "0.00", "NaN", "Infinity", "-Infinity", "1E+12", "1.005", "0.001"],
)
def test_nonsense_deal_values_are_refused(amount: str) -> None:
    with pytest.raises(InvalidChangeError):
        plan(make_referral(), deal_value=Money(Decimal(amount)))


@pytest.mark.parametrize("currency", ["US", "DOLLARS", "€", "U$D", "12 3"])
def test_unknown_currencies_are_refused(currency: str) -> None:
    with pytest.raises(InvalidChangeError, match="currency"):
        plan(make_referral(), deal_value=Money(Decimal(10), currency))


@pytest.mark.parametrize("currency", [None, "USD"])
def test_the_same_deal_value_is_a_no_op(currency: str | None) -> None:
    with pytest.raises(NothingToChangeError) as caught:
        plan(make_referral(), deal_value=Money(Decimal("100000.00"), currency))
    assert caught.value.user_message == f"{LABEL} already has a deal value of USD 100,000."


def test_a_deal_value_on_a_referral_without_currency_keeps_none() -> None:
    referral = make_referral(details={"dealValue": 5})
    change = plan(referral, deal_value=Money(Decimal(7)))
    assert ops(change) == _details(dealValue=7)
    assert rows(change) == [("Deal value", "5", "7")]


def test_a_deal_value_on_an_empty_details_object_is_added() -> None:
    change = plan(make_referral(details={}), deal_value=Money(Decimal(7), "GBP"))
    assert ops(change) == [
        {"op": "add", "path": "/details/dealValue", "value": 7},
        {"op": "add", "path": "/details/currency", "value": "GBP"},
    ]
    assert rows(change) == [("Deal value", "—", "GBP 7")]


@pytest.mark.parametrize(
    ("details", "op"), [(..., "add"), (None, "replace")], ids=["absent", "null"]
)
def test_without_details_the_whole_object_is_written(details: Any, op: str) -> None:
    change = plan(
        make_referral(details=details),
        deal_value=Money(Decimal(5000), "EUR"),
        close_date=date(2027, 3, 31),
        note=NoteEdit("demo booked"),
    )
    assert ops(change) == [
        {
            "op": op,
            "path": "/details",
            "value": {
                "dealValue": 5000,
                "currency": "EUR",
                "closingDateTime": "2027-03-31T00:00:00Z",
                "notes": "[2026-12-01] demo booked",
            },
        }
    ]
    assert change.after.details is not None
    assert change.after.details.deal_value == Decimal(5000)


@pytest.mark.parametrize(
    ("day", "value", "after", "past"),
    [
        (date(2026, 12, 4), "2026-12-04T00:00:00Z", "Fri 4 Dec 2026", False),
        (date(2026, 12, 1), "2026-12-01T00:00:00Z", "Tue 1 Dec 2026", False),
        (date(2026, 11, 30), "2026-11-30T00:00:00Z", "Mon 30 Nov 2026", True),
        (date(2025, 1, 1), "2025-01-01T00:00:00Z", "Wed 1 Jan 2025", True),
        (date(2027, 3, 31), "2027-03-31T00:00:00Z", "Wed 31 Mar 2027", False),
        (date(2028, 2, 29), "2028-02-29T00:00:00Z", "Tue 29 Feb 2028", False),
    ],
)
def test_close_date_is_midnight_utc_of_that_day(
    day: date, value: str, after: str, past: bool
) -> None:
    change = plan(make_referral(), close_date=day)
    assert ops(change) == _details(closingDateTime=value)
    assert rows(change) == [("Close date", "Fri 29 Jan 2027", after)]
    assert (change.warnings == (f"The close date {after} is in the past.",)) is past
    assert change.warnings == () or past


def test_the_past_is_judged_in_the_sellers_time_zone() -> None:
    """At 23:30 in New York it is already the next day in UTC; "today" is still today."""
    late = NOW.replace(hour=23, minute=30)
    assert plan(make_referral(), now=late, close_date=date(2026, 12, 1)).warnings == ()


def test_the_same_close_date_is_a_no_op() -> None:
    with pytest.raises(NothingToChangeError) as caught:
        plan(make_referral(), close_date=date(2027, 1, 29))
    assert caught.value.user_message == f"{LABEL} already closes on Fri 29 Jan 2027."


def test_a_close_date_with_service_precision_is_compared_by_day() -> None:
    details = {**make_document()["details"], "closingDateTime": "2027-01-29T00:00:00.0000000Z"}
    with pytest.raises(NothingToChangeError):
        plan(make_referral(details=details), close_date=date(2027, 1, 29))


def test_a_close_date_is_added_when_the_referral_has_none() -> None:
    change = plan(make_referral(details={"notes": "x"}), close_date=date(2027, 1, 1))
    assert ops(change) == [
        {"op": "add", "path": "/details/closingDateTime", "value": "2027-01-01T00:00:00Z"}
    ]
    assert rows(change) == [("Close date", "—", "Fri 1 Jan 2027")]


def test_a_note_is_appended_with_the_date_stamp() -> None:
    change = plan(make_referral(), note=NoteEdit("demo booked"))
    assert ops(change) == _details(notes="Intro call done.\n[2026-12-01] demo booked")
    assert rows(change) == [("Notes", "Intro call done.", "+ [2026-12-01] demo booked")]
    assert change.warnings == ()


def test_the_stamp_is_the_sellers_date() -> None:
    late = NOW.replace(hour=23, minute=59)  # 04:59 UTC the next day
    change = plan(make_referral(), now=late, note=NoteEdit("called back"))
    assert ops(change)[0]["value"].endswith("\n[2026-12-01] called back")


def test_appending_never_loses_the_old_note() -> None:
    old = "Line one.\nLine two with  spaces  \n"
    change = plan(make_referral(details={"notes": old}), note=NoteEdit("  next  "))
    assert ops(change)[0]["value"] == old + "\n[2026-12-01] next"


@pytest.mark.parametrize("old", [None, ""])
def test_the_first_note_is_just_the_stamped_text(old: str | None) -> None:
    change = plan(make_referral(details={"notes": old}), note=NoteEdit("first"))
    assert change.after.details is not None
    assert change.after.details.notes == "[2026-12-01] first"
    assert rows(change) == [("Notes", "—", "[2026-12-01] first")]


def test_a_missing_notes_member_is_added() -> None:
    change = plan(make_referral(details={"dealValue": 1}), note=NoteEdit("first"))
    assert ops(change) == [{"op": "add", "path": "/details/notes", "value": "[2026-12-01] first"}]


def test_a_long_appended_note_is_abbreviated_on_the_card_only() -> None:
    text = "word " * 40
    change = plan(make_referral(), note=NoteEdit(text))
    assert ops(change)[0]["value"].endswith(text.strip())
    after = rows(change)[0][2]
    assert after.startswith("+ [2026-12-01] word")
    assert after.endswith("…")
    assert len(after) <= 82


def test_replacing_the_note_sets_exactly_the_text_and_warns() -> None:
    change = plan(make_referral(), note=NoteEdit("Fresh start.", replace=True))
    assert ops(change) == _details(notes="Fresh start.")
    assert rows(change) == [("Notes", "Intro call done.", "Fresh start.")]
    assert change.warnings == (
        "The current note (“Intro call done.”) will be replaced, not added to.",
    )


@pytest.mark.parametrize("old", [None, "", "  "])
def test_replacing_an_empty_note_does_not_warn(old: str | None) -> None:
    change = plan(make_referral(details={"notes": old}), note=NoteEdit("New.", replace=True))
    assert change.warnings == ()


def test_replacing_with_the_same_note_is_a_no_op() -> None:
    with pytest.raises(NothingToChangeError, match="already has exactly that note"):
        plan(make_referral(), note=NoteEdit("Intro call done.", replace=True))


@pytest.mark.parametrize("replace", [False, True])
@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_an_empty_note_is_refused(text: str, replace: bool) -> None:
    with pytest.raises(InvalidChangeError, match="note"):
        plan(make_referral(), note=NoteEdit(text, replace=replace))


@pytest.mark.parametrize(
    ("stage", "old_row", "new_row"),
    [
        (SalesStage.QUALIFY, "Develop (40%)", "Qualify (20%)"),
        (SalesStage.PROPOSE, "Develop (40%)", "Propose (60%)"),
        (SalesStage.CLOSE, "Develop (40%)", "Close (80%)"),
    ],
)
def test_sales_stage(stage: SalesStage, old_row: str, new_row: str) -> None:
    change = plan(make_referral(), sales_stage=stage)
    assert ops(change) == [{"op": "replace", "path": "/salesStage", "value": stage.value}]
    assert rows(change) == [("Sales stage", old_row, new_row)]


def test_a_missing_sales_stage_is_added() -> None:
    change = plan(make_referral(salesStage=...), sales_stage=SalesStage.PROPOSE)
    assert ops(change) == [{"op": "add", "path": "/salesStage", "value": "Propose"}]
    assert rows(change) == [("Sales stage", "—", "Propose (60%)")]


def test_the_same_sales_stage_is_a_no_op() -> None:
    with pytest.raises(NothingToChangeError) as caught:
        plan(make_referral(), sales_stage=SalesStage.DEVELOP)
    assert caught.value.user_message == f"{LABEL} is already at sales stage Develop (40%)."


@pytest.mark.parametrize(
    ("intent", "path", "label", "old"),
    [
        ({"deal_name": "Contoso Azure phase 2"}, "/name", "Deal name", "Contoso Azure migration"),
        ({"external_reference_id": "CRM-9"}, "/externalReferenceId", "CRM id", "CRM-1"),
    ],
)
def test_name_and_crm_id_are_replaced(
    intent: dict[str, Any], path: str, label: str, old: str
) -> None:
    (new,) = intent.values()
    padded: dict[str, Any] = {key: f"  {value} " for key, value in intent.items()}
    change = plan(make_referral(), **padded)
    assert ops(change) == [{"op": "replace", "path": path, "value": new}]
    assert rows(change) == [(label, old, new)]


@pytest.mark.parametrize(
    ("intent", "member", "path"),
    [
        ({"deal_name": "Named"}, "name", "/name"),
        ({"external_reference_id": "CRM-2"}, "externalReferenceId", "/externalReferenceId"),
    ],
)
def test_name_and_crm_id_are_added_when_absent(
    intent: dict[str, Any], member: str, path: str
) -> None:
    change = plan(make_referral(**{member: ...}), **intent)
    assert ops(change) == [{"op": "add", "path": path, "value": next(iter(intent.values()))}]


@pytest.mark.parametrize(
    ("intent", "message"),
    [
        (
            {"deal_name": "Contoso Azure migration"},
            f"{LABEL} is already called “Contoso Azure migration”.",
        ),
        ({"external_reference_id": "CRM-1"}, f"{LABEL} already has CRM id “CRM-1”."),
    ],
)  # fmt: skip
def test_the_same_name_or_crm_id_is_a_no_op(intent: dict[str, Any], message: str) -> None:
    with pytest.raises(NothingToChangeError) as caught:
        plan(make_referral(), **intent)
    assert caught.value.user_message == message


def test_renaming_only_the_case_is_a_change() -> None:
    change = plan(make_referral(), deal_name="CONTOSO Azure migration")
    assert ops(change) == [{"op": "replace", "path": "/name", "value": "CONTOSO Azure migration"}]


@pytest.mark.parametrize(
    "intent", [{"deal_name": ""}, {"deal_name": "  "}, {"external_reference_id": ""}]
)
def test_an_empty_name_or_crm_id_is_refused(intent: dict[str, Any]) -> None:
    with pytest.raises(InvalidChangeError, match="can't be empty"):
        plan(make_referral(), **intent)

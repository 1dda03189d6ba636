"""An index entry keeps what search and lists need, drops contact details, and renders the same."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bot.cards import summary
from bot.cards.referral_list import render_referral_list_card
from bot.domain.referral import Referral, Status
from bot.referrals.index_entry import IndexEntry, IndexMember
from tests.support.referral_documents import make_referral_document


def full_referral(**overrides: Any) -> Referral:
    return Referral.from_document(make_referral_document(**overrides))


def test_an_entry_holds_the_fields_search_and_lists_need() -> None:
    entry = IndexEntry.of(full_referral())
    assert entry.id == "6b0a6f3e-8c1d-4f5e-9a7b-2c3d4e5f6a7b"
    assert (entry.name, entry.customer_name, entry.customer_country) == (
        "Contoso Cloud Migration",
        "Contoso Ltd",
        "US",
    )
    assert (entry.status, entry.substatus, entry.direction, entry.type, entry.sales_stage) == (
        "New",
        "Received",
        "Incoming",
        "Independent",
        "Qualify",
    )
    assert (entry.deal_value, entry.currency) == (Decimal("125000.5"), "USD")
    assert entry.external_reference_id == "CRM-000123"
    assert entry.closing_date_time is not None
    assert entry.closing_date_time.month == 6
    assert entry.updated_date_time is not None
    assert entry.updated_date_time.day == 4
    assert entry.team == (IndexMember("Sam", "Seller", "seller@contoso.example"),)


def test_an_entry_compares_equal_to_the_enum_members() -> None:
    entry = IndexEntry.of(full_referral(status="Closed"))
    assert entry.status == Status.CLOSED
    assert type(entry.status) is str


def test_an_entry_never_holds_notes_phone_numbers_or_customer_contacts() -> None:
    referral = full_referral()
    entry = IndexEntry.of(referral)
    text = repr(entry)
    for secret in (
        "Wants a migration plan by Q3.",  # details.notes
        "0000000001",  # the seller's phone
        "0000000002",  # the customer contact's phone
        "chris@contoso.example",  # the customer contact
        "1 Microsoft Way",
        "Redmond",
        "Customer asked for a partner in Redmond.",  # inviteContext.notes
    ):
        assert secret in referral.model_dump_json(by_alias=True)
        assert secret not in text
        assert secret not in entry.to_referral().model_dump_json(by_alias=True)


def test_to_referral_sets_only_the_indexed_fields() -> None:
    document = IndexEntry.of(full_referral()).to_referral().to_document()
    assert set(document) == {
        "id",
        "name",
        "externalReferenceId",
        "createdDateTime",
        "updatedDateTime",
        "expirationDateTime",
        "status",
        "substatus",
        "type",
        "direction",
        "salesStage",
        "customerProfile",
        "details",
        "team",
    }
    assert document["customerProfile"] == {"name": "Contoso Ltd", "address": {"country": "US"}}
    assert set(document["details"]) == {"dealValue", "currency", "closingDateTime"}
    assert document["team"] == [
        {"firstName": "Sam", "lastName": "Seller", "email": "seller@contoso.example"}
    ]


def test_a_bare_referral_stays_bare() -> None:
    bare = Referral(id="42")
    assert IndexEntry.of(bare) == IndexEntry(id="42")
    assert IndexEntry(id="42").to_referral().to_document() == {"id": "42"}


def test_an_entry_survives_a_trip_through_a_referral() -> None:
    entry = IndexEntry.of(full_referral())
    assert IndexEntry.of(entry.to_referral()) == entry


SUMMARY_FIELDS = (
    summary.deal_name,
    summary.customer,
    summary.status,
    summary.deal_value,
    summary.close_date,
    summary.sales_stage,
    summary.crm_id,
    summary.referral_id,
)


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"status": "Closed", "substatus": "Won", "details": {"notes": "won it"}},
        {"details": None, "customerProfile": None, "team": []},
        {"name": None, "externalReferenceId": None, "salesStage": None},
        {"details": {"dealValue": 1250.5, "currency": None, "closingDateTime": None}},
        {"customerProfile": {"name": "Müller & Söhne <b>GmbH</b>"}},
    ],
)
def test_the_list_row_and_summary_render_identically(overrides: dict[str, Any]) -> None:
    referral = full_referral(**overrides)
    rebuilt = IndexEntry.of(referral).to_referral()
    for field in SUMMARY_FIELDS:
        assert field(rebuilt) == field(referral)
    assert summary.team(rebuilt, shown=3, limit=200) == summary.team(referral, shown=3, limit=200)
    assert summary.one_line(rebuilt, limit=120) == summary.one_line(referral, limit=120)
    card = render_referral_list_card([referral], title="Open", page=1, has_more=False)
    assert render_referral_list_card([rebuilt], title="Open", page=1, has_more=False) == card

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.domain.referral import Referral, Status, TeamMember
from bot.partner_center.wire import (
    dump_json,
    page_from_json,
    referral_from_json,
    referral_to_json,
    versioned_from_json,
)
from tests.support.referral_documents import make_referral_document


def test_a_referral_round_trips_through_the_wire() -> None:
    document = make_referral_document()

    assert referral_to_json(referral_from_json(document)) == document


def test_the_etag_comes_from_the_body_verbatim_with_its_quotes() -> None:
    document = make_referral_document()

    versioned = versioned_from_json(document, etag_header='"something-else"')

    assert versioned.etag == '"84001c9d-0000-0100-0000-6225a63e0000"'
    assert versioned.value.id == document["id"]


def test_the_etag_header_is_the_fallback_when_the_body_has_none() -> None:
    document = make_referral_document()
    del document["eTag"]

    assert versioned_from_json(document, etag_header='"from-header"').etag == '"from-header"'


def test_a_referral_without_any_etag_is_unreadable() -> None:
    document = make_referral_document()
    del document["eTag"]

    with pytest.raises(ValueError, match="eTag"):
        versioned_from_json(document, etag_header=None)


@pytest.mark.parametrize("document", [None, [], "x", {"name": "no id"}, {"id": "1", "status": 5}])
def test_what_is_not_a_referral_raises_value_error(document: object) -> None:
    with pytest.raises(ValueError, match=r"(?i)referral|validation error"):
        referral_from_json(document)


def test_a_page_reads_items_and_the_next_link() -> None:
    link = "https://api.example/v1.0/engagements/referrals?$skiptoken=abc%3D%3D"
    page = page_from_json(
        {
            "@odata.context": "x",
            "@odata.count": 3,
            "value": [make_referral_document(id="a"), make_referral_document(id="b")],
            "@odata.nextLink": link,
        }
    )

    assert [item.id for item in page.items] == ["a", "b"]
    assert page.next_link == link


def test_the_last_page_has_no_next_link() -> None:
    assert page_from_json({"value": []}).next_link is None


@pytest.mark.parametrize(
    "document",
    [{}, {"value": {}}, [], {"value": [], "@odata.nextLink": 5}, {"value": [{"no": "id"}]}],
)
def test_a_malformed_page_raises_value_error(document: object) -> None:
    with pytest.raises(ValueError, match=r"(?i)value|nextLink|validation error|referral"):
        page_from_json(document)


def test_request_bodies_write_decimals_times_enums_and_models_as_the_service_reads_them() -> None:
    body = dump_json(
        [
            {"op": "replace", "path": "/details/dealValue", "value": Decimal("10000.00")},
            {"op": "replace", "path": "/details/dealValue", "value": Decimal("99.5")},
            {
                "op": "replace",
                "path": "/details/closingDateTime",
                "value": datetime(2026, 7, 1, tzinfo=UTC),
            },
            {"op": "replace", "path": "/status", "value": Status.CLOSED},
            {"op": "add", "path": "/team/-", "value": TeamMember(email="jane@contoso.com")},
            {"op": "replace", "path": "/x", "value": Referral(id="1")},
        ]
    )

    assert [op["value"] for op in json.loads(body)] == [
        10000,
        99.5,
        "2026-07-01T00:00:00.0000000Z",
        "Closed",
        {"email": "jane@contoso.com"},
        {"id": "1"},
    ]


@pytest.mark.parametrize("value", [float("nan"), Decimal("NaN"), object()])
def test_values_json_cannot_carry_are_refused(value: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        dump_json({"value": value})

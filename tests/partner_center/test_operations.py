from __future__ import annotations

from typing import Any

import pytest

from bot.partner_center.errors import InvalidRequestError
from bot.partner_center.operations import checked_operations, document_shows
from tests.support.referral_documents import make_referral_document

JANE = {
    "email": "jane.doe@contoso.com",
    "firstName": "Jane",
    "lastName": "Doe",
    "phoneNumber": "0000000001",
}


@pytest.mark.parametrize(
    "operations",
    [
        [],
        [{"op": "remove", "path": "/details/notes"}],
        [{"op": "move", "from": "/a", "path": "/b", "value": 1}],
        [{"op": "copy", "from": "/a", "path": "/b", "value": 1}],
        [{"op": "test", "path": "/status", "value": "New"}],
        [{"op": "replace", "path": "/status"}],
        [{"op": "replace", "path": "status", "value": "New"}],
        [{"op": "replace", "value": "New"}],
        [{"path": "/status", "value": "New"}],
        ["replace /status New"],
        [{"op": "replace", "path": "/status", "value": "Active"}, {"op": "remove", "path": "/x"}],
    ],
)
def test_anything_but_add_and_replace_is_refused_locally(operations: list[Any]) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        checked_operations(operations)

    assert caught.value.status_code is None
    assert caught.value.code == "invalidRequest"


def test_valid_operations_come_back_as_plain_dicts_without_extras() -> None:
    operations: list[dict[str, Any]] = [
        {"op": "replace", "path": "/details/dealValue", "value": "10000", "comment": "x"},
        {"op": "add", "path": "/team/-", "value": JANE},
    ]

    assert checked_operations(operations) == [
        {"op": "replace", "path": "/details/dealValue", "value": "10000"},
        {"op": "add", "path": "/team/-", "value": JANE},
    ]


def with_team(*members: dict[str, Any]) -> dict[str, Any]:
    return make_referral_document(team=list(members))


SELLER = make_referral_document()["team"][0]


@pytest.mark.parametrize(
    ("operations", "shows"),
    [
        ([{"op": "replace", "path": "/details/dealValue", "value": "125000.5"}], True),
        ([{"op": "replace", "path": "/details/dealValue", "value": 125000.50}], True),
        ([{"op": "replace", "path": "/details/dealValue", "value": "10000"}], False),
        (
            [
                {"op": "replace", "path": "/status", "value": "New"},
                {"op": "replace", "path": "/substatus", "value": "Received"},
            ],
            True,
        ),
        (
            [
                {"op": "replace", "path": "/status", "value": "Closed"},
                {"op": "replace", "path": "/substatus", "value": "Received"},
            ],
            False,
        ),
        (
            [
                {
                    "op": "replace",
                    "path": "/details/closingDateTime",
                    "value": "2026-06-30T00:00:00.0000000Z",
                }
            ],
            True,
        ),
        (
            [
                {
                    "op": "replace",
                    "path": "/details/closingDateTime",
                    "value": "2026-06-30T02:00:00+02:00",
                }
            ],
            True,
        ),
        (
            [
                {
                    "op": "replace",
                    "path": "/details/closingDateTime",
                    "value": "2026-07-01T00:00:00Z",
                }
            ],
            False,
        ),
        (
            [
                {
                    "op": "add",
                    "path": "/team/-",
                    "value": {"email": "seller@contoso.example", "firstName": "Sam"},
                }
            ],
            True,
        ),
        ([{"op": "add", "path": "/team/-", "value": JANE}], False),
        ([{"op": "add", "path": "/team/0", "value": JANE}], False),
        ([{"op": "replace", "path": "/team", "value": [SELLER]}], True),
        ([{"op": "replace", "path": "/team", "value": []}], False),
        ([{"op": "replace", "path": "/team/0/email", "value": "seller@contoso.example"}], True),
        ([{"op": "replace", "path": "/team/5/email", "value": "seller@contoso.example"}], False),
        ([{"op": "replace", "path": "/nothing/here", "value": 1}], False),
        ([{"op": "add", "path": "/statusReason", "value": None}], True),
        ([{"op": "replace", "path": "/customerRequestedContact", "value": True}], False),
        ([{"op": "replace", "path": "/details/customerRequestedContact", "value": True}], True),
        ([{"op": "replace", "path": "/details/customerRequestedContact", "value": 1}], False),
    ],
)
def test_document_shows_whether_every_operation_already_landed(
    operations: list[dict[str, Any]], shows: bool
) -> None:
    assert document_shows(make_referral_document(), operations) is shows


def test_an_appended_member_is_found_even_with_defaults_the_service_filled_in() -> None:
    stored = {**JANE, "contactPreference": {"locale": "en-US", "disableNotifications": False}}

    assert document_shows(
        with_team(SELLER, stored), [{"op": "add", "path": "/team/-", "value": JANE}]
    )


def test_json_pointer_escapes_are_understood() -> None:
    document = {"id": "1", "a/b": {"c~d": 5}}

    assert document_shows(document, [{"op": "replace", "path": "/a~1b/c~0d", "value": 5}])

"""Strict mode, the default: exactly the documented OData subset (spec §2) is served; every other
construct is refused with an ODataError that names it (the route answers it 400 invalidRequest)."""

from __future__ import annotations

import contextlib
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulators.partner_center.odata import ODataError, QueryMode, QueryPage, query_referrals

ENGAGEMENT = "5e1c0a2b-0000-4000-8000-00000000e001"


def referral(n: int, **fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": f"{n:08x}-0000-4000-8000-000000000000",
        "engagementId": f"5e1c0a2b-0000-4000-8000-00000000e{n:03d}",
        "name": f"Deal {n}",
        "status": "New",
        "substatus": "Pending",
        "direction": "Incoming",
        "type": "Independent",
        "qualification": "Direct",
        "createdDateTime": f"2024-01-{n:02d}T10:00:00Z",
        "updatedDateTime": f"2024-02-{30 - n:02d}T10:00:00Z",
        "customerProfile": {"name": f"Customer {n}", "address": {"country": "US"}},
        "details": {"dealValue": 1000 * n, "closingDateTime": "2024-06-30T00:00:00Z"},
        "externalReferenceId": f"CRM-{n}",
        "team": [],
    }
    doc.update(fields)
    return doc


def seller(email: str) -> dict[str, str]:
    return {"firstName": "F", "lastName": "L", "email": email}


REFERRALS = [
    referral(1, team=[seller("sam@contoso.example")]),
    referral(
        2,
        status="Active",
        substatus="Accepted",
        direction="Outgoing",
        type="Shared",
        qualification="SalesQualified",
        team=[seller("olga@contoso.example"), seller("sam@contoso.example")],
        customerProfile={"name": "Fabrikam", "address": {"country": "PL"}},
    ),
    referral(3, status="Closed", substatus="Won", team=[seller("olga@contoso.example")]),
    referral(4, substatus="Received", qualification="MarketingQualified"),
]


def ids(params: dict[str, str], *, items: list[dict[str, Any]] | None = None) -> list[int]:
    """The referral numbers (1..) the strict query selects, in the order it returns them."""
    page = query_referrals(items or REFERRALS, params)
    return [int(item["id"][:8], 16) for item in page.items]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("status eq 'New'", [1, 4]),
        ("substatus eq 'Received'", [4]),
        ("direction eq 'Outgoing'", [2]),
        ("type eq 'Shared'", [2]),
        ("qualification eq 'MarketingQualified'", [4]),
        ("customerProfile/address/country eq 'PL'", [2]),
        (f"engagementId eq '{ENGAGEMENT}'", [1]),
        (f"engagementId eq {ENGAGEMENT}", [1]),  # a GUID may go bare
        (f"engagementId eq {ENGAGEMENT.upper()}", [1]),  # GUIDs compare ignoring case
        ("team/any(t:t/email eq 'olga@contoso.example')", [2, 3]),
        ("team/any(t: t/email eq 'sam@contoso.example')", [1, 2]),
        ("status eq 'New' and substatus eq 'Pending'", [1]),
        ("status eq 'Active' or status eq 'Closed'", [2, 3]),
        ("status eq 'New' or status eq 'Active' and direction eq 'Outgoing'", [1, 2, 4]),
        ("(status eq 'New' or status eq 'Active') and direction eq 'Incoming'", [1, 4]),
        (
            "(status eq 'New' and (substatus eq 'Received' or substatus eq 'Accepted'))"
            " or (status eq 'Closed' and team/any(t:t/email eq 'olga@contoso.example'))",
            [3, 4],
        ),
        (
            "team/any(t:t/email eq 'sam@contoso.example' or t/email eq 'olga@contoso.example')"
            " and status eq 'Active'",
            [2],
        ),
        ("((status eq 'Closed'))", [3]),
        ("status eq 'O''Brien'", []),  # a doubled quote inside a literal
    ],
)
def test_every_documented_filter_is_served(expression: str, expected: list[int]) -> None:
    assert ids({"$filter": expression}) == expected


@pytest.mark.parametrize(
    ("orderby", "expected"),
    [
        ("createdDateTime", [1, 2, 3, 4]),
        ("createdDateTime asc", [1, 2, 3, 4]),
        ("createdDateTime desc", [4, 3, 2, 1]),
        ("updatedDateTime desc", [1, 2, 3, 4]),
        ("updatedDateTime asc", [4, 3, 2, 1]),
    ],
)
def test_orderby_on_the_documented_timestamps_is_served(orderby: str, expected: list[int]) -> None:
    assert ids({"$orderby": orderby}) == expected


def test_top_skip_and_count_are_served() -> None:
    params = {"$filter": "status eq 'New' or status eq 'Active'", "$top": "1", "$skip": "1"}
    page = query_referrals(REFERRALS, params | {"$count": "true", "$orderby": "createdDateTime"})
    assert [item["name"] for item in page.items] == ["Deal 2"]
    assert page.count == 3


def test_select_keeps_only_the_named_top_level_properties() -> None:
    page = query_referrals(REFERRALS, {"$select": "id, status,customerProfile", "$top": "1"})
    assert page.items == [
        {
            "id": REFERRALS[0]["id"],
            "status": "New",
            "customerProfile": REFERRALS[0]["customerProfile"],
        }
    ]


def test_select_leaves_out_what_an_item_does_not_have() -> None:
    page = query_referrals([{"id": "1"}], {"$select": "id,closedDateTime"})
    assert page.items == [{"id": "1"}]


@pytest.mark.parametrize(
    ("select", "message"),
    [
        ("customerProfile/name", "$select on customerProfile/name is not supported"),
        ("nosuch", "Unknown property 'nosuch' in $select"),
        ("id,,name", "$select needs property names"),
        ("", "$select needs property names"),
    ],
)
def test_a_bad_select_is_refused(select: str, message: str) -> None:
    with pytest.raises(ODataError, match=re.escape(message)):
        query_referrals(REFERRALS, {"$select": select})


MANY = [referral(n % 28 + 1, id=f"{n:08x}-0000-4000-8000-000000000000") for n in range(230)]


def test_pages_of_100_follow_next_params_with_the_query_kept() -> None:
    params = {"$filter": "status eq 'New'", "$orderby": "updatedDateTime desc", "$count": "true"}
    pages = [query_referrals(MANY, params)]
    while pages[-1].next_params is not None:
        pages.append(query_referrals(MANY, pages[-1].next_params))
    assert [len(page.items) for page in pages] == [100, 100, 30]
    assert {page.count for page in pages} == {230}
    first_next = pages[0].next_params
    assert first_next is not None
    assert {k: v for k, v in first_next.items() if k != "$skiptoken"} == params
    assert len({item["id"] for page in pages for item in page.items}) == 230


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"$filter": "contains(name,'Deal')"}, "contains() is not supported in $filter"),
        ({"$filter": "startswith(name,'Deal')"}, "startswith() is not supported in $filter"),
        ({"$filter": "endswith(name,'1')"}, "endswith() is not supported in $filter"),
        ({"$filter": "length(name) eq 3"}, "length() is not supported in $filter"),
        (
            {"$filter": "team/any(t: contains(t/email, 'sam'))"},
            "contains() is not supported in $filter",
        ),
        ({"$filter": "status ne 'Closed'"}, "'ne' is not supported in $filter"),
        ({"$filter": "status lt 'New'"}, "'lt' is not supported in $filter"),
        ({"$filter": "status le 'New'"}, "'le' is not supported in $filter"),
        ({"$filter": "status gt 'New'"}, "'gt' is not supported in $filter"),
        ({"$filter": "status ge 'New'"}, "'ge' is not supported in $filter"),
        (
            {"$filter": "details/closingDateTime ge 2024-01-01T00:00:00Z"},
            "$filter on details/closingDateTime is not supported",
        ),
        ({"$filter": "not status eq 'New'"}, "'not' is not supported in $filter"),
        ({"$filter": "name eq 'Deal 1'"}, "$filter on name is not supported"),
        (
            {"$filter": "customerProfile/name eq 'Fabrikam'"},
            "$filter on customerProfile/name is not supported",
        ),
        (
            {"$filter": "details/dealValue eq '1000'"},
            "$filter on details/dealValue is not supported",
        ),
        (
            {"$filter": "details/closingDateTime eq '2024-06-30T00:00:00Z'"},
            "$filter on details/closingDateTime is not supported",
        ),
        (
            {"$filter": "externalReferenceId eq 'CRM-1'"},
            "$filter on externalReferenceId is not supported",
        ),
        (
            {"$filter": "status eq 'New' and name eq 'Deal 1'"},
            "$filter on name is not supported",
        ),
        (
            {"$filter": "team/any(t: t/firstName eq 'F')"},
            "$filter on t/firstName inside team/any() is not supported",
        ),
        (
            {"$filter": "team/all(t: t/email eq 'sam@contoso.example')"},
            "team/all() is not supported in $filter",
        ),
        ({"$filter": "team/any()"}, "team/any() without a condition is not supported"),
        (
            {"$filter": "customerProfile/team/any(c: c/email eq 'x')"},
            "customerProfile/team/any() is not supported in $filter",
        ),
        ({"$filter": "status eq null"}, "The literal null"),
        ({"$filter": "status eq 3"}, "The literal 3"),
        ({"$filter": "status eq 2024-01-01"}, "The literal 2024-01-01"),
        ({"$filter": f"status eq {ENGAGEMENT}"}, f"The bare GUID {ENGAGEMENT} on status"),
        ({"$filter": "'New' eq status"}, "'New' on the left of eq"),
        ({"$filter": "status eq substatus"}, "Comparing status with substatus"),
        ({"$filter": "true"}, "A condition without eq (true)"),
        ({"$filter": "status"}, "A condition without eq (status)"),
        ({"$orderby": "name"}, "$orderby on name is not supported"),
        (
            {"$orderby": "details/closingDateTime asc"},
            "$orderby on details/closingDateTime is not supported",
        ),
        ({"$orderby": "details/dealValue desc"}, "$orderby on details/dealValue is not supported"),
        (
            {"$orderby": "customerProfile/name"},
            "$orderby on customerProfile/name is not supported",
        ),
        (
            {"$orderby": "updatedDateTime desc,createdDateTime desc"},
            "$orderby on more than one property is not supported",
        ),
    ],
)
def test_undocumented_odata_is_refused_naming_the_unsupported_part(
    params: dict[str, str], named: str
) -> None:
    with pytest.raises(ODataError, match=re.escape(named)):
        query_referrals(REFERRALS, params)


@pytest.mark.parametrize(
    "params",
    [
        {"$filter": "status ne 'Closed'"},
        {"$filter": "contains(name,'Deal')"},
        {"$orderby": "details/closingDateTime asc"},
    ],
)
def test_lenient_mode_serves_what_strict_refuses(params: dict[str, str]) -> None:
    page = query_referrals(REFERRALS, params, mode=QueryMode.LENIENT)
    assert isinstance(page, QueryPage)
    assert page.count > 0
    with pytest.raises(ODataError, match="not supported"):
        query_referrals(REFERRALS, params)


STRICT_FRAGMENTS = [
    "status",
    "engagementId",
    "team",
    "/",
    "any",
    "(",
    ")",
    "t",
    ":",
    "t/email",
    "eq",
    "ne",
    "and",
    "or",
    "not",
    "'x'",
    "''",
    ENGAGEMENT,
    "null",
    "contains",
    ",",
    "customerProfile/address/country",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(STRICT_FRAGMENTS), max_size=20).map(" ".join))
def test_strict_filter_shaped_text_raises_nothing_but_odata_error(text: str) -> None:
    with contextlib.suppress(ODataError):
        query_referrals(REFERRALS, {"$filter": text})

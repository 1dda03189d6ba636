"""The wider (lenient) OData grammar and the machinery both modes share: paging, skiptokens,
robustness. Every query here runs in lenient mode, explicitly; the documented subset that strict
mode (the default) keeps is proven in test_odata_strict.py."""

from __future__ import annotations

import base64
import contextlib
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulators.partner_center.odata import ODataError, QueryMode, QueryPage, wants_count
from emulators.partner_center.odata import query_referrals as query_in_mode


def query_referrals(
    items: list[dict[str, Any]], params: dict[str, str], *, page_size: int = 100
) -> QueryPage:
    """The list route's query in lenient mode (the wider grammar these tests exercise)."""
    return query_in_mode(items, params, page_size=page_size, mode=QueryMode.LENIENT)


def make_referral(label: str, n: int, **fields: Any) -> dict[str, Any]:
    referral: dict[str, Any] = {
        "id": f"{n:08x}-0000-4000-8000-0000000000{n:02x}",
        "name": label,
        "status": "New",
        "substatus": "Pending",
        "createdDateTime": f"2024-01-{n:02d}T10:00:00Z",
        "updatedDateTime": f"2024-02-{n:02d}T10:00:00Z",
        "customerProfile": {"name": label, "address": {"country": "US"}, "team": []},
        "details": {"dealValue": 1000 * n, "currency": "USD"},
        "team": [],
    }
    referral.update(fields)
    return referral


def member(email: str) -> dict[str, Any]:
    return {"firstName": "F", "lastName": "L", "email": email}


REFERRALS = [
    make_referral(
        "Contoso Cloud Migration",
        1,
        team=[member("seller@contoso.example")],
        customerProfile={
            "name": "Contoso",
            "address": {"country": "US", "city": "Redmond"},
            "team": [member("cfo@contoso.com")],
        },
        details={"dealValue": 10000, "closingDateTime": "2024-06-30T00:00:00Z"},
    ),
    make_referral(
        "Fabrikam O'Brien Deal",
        2,
        status="Active",
        substatus="Accepted",
        createdDateTime="2024-02-15T08:30:00.1234567Z",
        team=[member("other@contoso.example"), member("seller@contoso.example")],
        customerProfile={
            "name": "Fabrikam",
            "address": {"country": "PL"},
            "team": [member("it@fabrikam.com")],
        },
        details={"dealValue": 25000.5, "closingDateTime": "2024-05-01T00:00:00Z"},
        consent={"consentToContact": True},
    ),
    make_referral(
        "Northwind Traders",
        3,
        status="Closed",
        substatus="Won",
        details={"dealValue": 5000, "closingDateTime": "2024-04-01T00:00:00Z"},
        consent={"consentToContact": False},
    ),
    make_referral(
        "Tailspin Toys",
        4,
        substatus="Received",
        team=[member("other@contoso.example")],
        customerProfile={"name": "Tailspin", "address": {"country": "DE"}, "team": []},
        details={"closingDateTime": None},
    ),
    make_referral(
        "contoso retail",
        5,
        id="ABCDEF00-0000-4000-8000-000000000005",
        status="Closed",
        substatus="Lost",
        team=[member("Seller@Contoso.example")],
        customerProfile={"name": "contoso", "address": {"country": "us"}, "team": []},
        details={"dealValue": 10000, "closingDateTime": "2024-06-30T00:00:00Z"},
        statusReason="Budget cut",
    ),
]
ALL = ["Contoso Cloud Migration", "Fabrikam O'Brien Deal", "Northwind Traders", "Tailspin Toys"]
ALL.append("contoso retail")
BY_CREATION = [ALL[0], ALL[2], ALL[3], ALL[4], ALL[1]]


def names(params: dict[str, str], items: list[dict[str, Any]] | None = None) -> list[str]:
    return [item["name"] for item in query_referrals(items or REFERRALS, params).items]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("status eq 'New'", ["Contoso Cloud Migration", "Tailspin Toys"]),
        ("status ne 'New'", ["Fabrikam O'Brien Deal", "Northwind Traders", "contoso retail"]),
        ("status eq 'new'", []),  # eq on text is case-sensitive
        (
            "customerProfile/address/country eq 'US'",
            ["Contoso Cloud Migration", "Northwind Traders"],
        ),
        ("customerProfile/address/city eq 'Redmond'", ["Contoso Cloud Migration"]),
        ("customerProfile/address/city eq null", ALL[1:]),
        ("customerProfile/address/city ne null", ["Contoso Cloud Migration"]),
        ("details/dealValue eq 10000", ["Contoso Cloud Migration", "contoso retail"]),
        ("details/dealValue gt 10000", ["Fabrikam O'Brien Deal"]),
        (
            "details/dealValue ge 10000",
            ["Contoso Cloud Migration", "Fabrikam O'Brien Deal", "contoso retail"],
        ),
        ("details/dealValue lt 10000", ["Northwind Traders"]),
        ("details/dealValue le 5000", ["Northwind Traders"]),
        ("details/dealValue eq 25000.5", ["Fabrikam O'Brien Deal"]),
        (
            "details/dealValue gt -1",
            [
                "Contoso Cloud Migration",
                "Fabrikam O'Brien Deal",
                "Northwind Traders",
                "contoso retail",
            ],
        ),
        ("details/dealValue eq null", ["Tailspin Toys"]),
        ("consent/consentToContact eq true", ["Fabrikam O'Brien Deal"]),
        ("consent/consentToContact eq false", ["Northwind Traders"]),
        ("consent/consentToContact", ["Fabrikam O'Brien Deal"]),
        ("not consent/consentToContact", [n for n in ALL if n != "Fabrikam O'Brien Deal"]),
        ("name eq 'Fabrikam O''Brien Deal'", ["Fabrikam O'Brien Deal"]),
        ("contains(name,'o''brien')", ["Fabrikam O'Brien Deal"]),
        ("contains(name, 'CONTOSO')", ["Contoso Cloud Migration", "contoso retail"]),
        ("startswith(name,'contoso')", ["Contoso Cloud Migration", "contoso retail"]),
        ("endswith(name, 'TOYS')", ["Tailspin Toys"]),
        ("contains(statusReason, 'budget')", ["contoso retail"]),
        ("contains(name,'Contoso') eq false", ALL[1:4]),
        (
            "team/any(t:t/email eq 'other@contoso.example')",
            ["Fabrikam O'Brien Deal", "Tailspin Toys"],
        ),
        (
            "team/any(t: t/email eq 'seller@contoso.example')",
            ["Contoso Cloud Migration", "Fabrikam O'Brien Deal"],
        ),
        (
            "team/any(t: contains(t/email, 'seller@'))",
            ["Contoso Cloud Migration", "Fabrikam O'Brien Deal", "contoso retail"],
        ),
        (
            "team/any()",
            ["Contoso Cloud Migration", "Fabrikam O'Brien Deal", "Tailspin Toys", "contoso retail"],
        ),
        ("not team/any()", ["Northwind Traders"]),
        ("team/all(t: t/email eq 'other@contoso.example')", ["Northwind Traders", "Tailspin Toys"]),
        ("customerProfile/team/any(c: c/email eq 'it@fabrikam.com')", ["Fabrikam O'Brien Deal"]),
        (
            "team/any(t: t/email eq 'seller@contoso.example' and status eq 'Active')",
            ["Fabrikam O'Brien Deal"],
        ),
        (
            "status eq 'New' or status eq 'Active' and substatus eq 'Pending'",
            ["Contoso Cloud Migration", "Tailspin Toys"],
        ),
        (
            "(status eq 'New' or status eq 'Active') and substatus eq 'Pending'",
            ["Contoso Cloud Migration"],
        ),
        (
            "status eq 'Closed' and substatus eq 'Won' or substatus eq 'Received'",
            ["Northwind Traders", "Tailspin Toys"],
        ),
        (
            "not status eq 'Closed' and not (substatus eq 'Pending')",
            ["Fabrikam O'Brien Deal", "Tailspin Toys"],
        ),
        ("not not status eq 'Active'", ["Fabrikam O'Brien Deal"]),
        ("((((status eq 'Active'))))", ["Fabrikam O'Brien Deal"]),
        ("id eq 00000002-0000-4000-8000-000000000002", ["Fabrikam O'Brien Deal"]),
        ("id eq '00000002-0000-4000-8000-000000000002'", ["Fabrikam O'Brien Deal"]),
        ("id eq abcdef00-0000-4000-8000-000000000005", ["contoso retail"]),
        ("id eq 'abcdef00-0000-4000-8000-000000000005'", ["contoso retail"]),
        ("id ne ABCDEF00-0000-4000-8000-000000000005", ALL[:4]),
        ("createdDateTime ge 2024-02-01T00:00:00Z", ["Fabrikam O'Brien Deal"]),
        ("createdDateTime lt 2024-01-03", ["Contoso Cloud Migration"]),
        (
            "createdDateTime gt '2024-01-03T10:00:00Z'",
            ["Fabrikam O'Brien Deal", "Tailspin Toys", "contoso retail"],
        ),
        ("createdDateTime eq 2024-01-01T10:00:00.0000000Z", ["Contoso Cloud Migration"]),
        ("createdDateTime eq 2024-01-01T12:00:00+02:00", ["Contoso Cloud Migration"]),
        ("createdDateTime eq 2024-02-15T08:30:00.1234567Z", ["Fabrikam O'Brien Deal"]),
        ("createdDateTime le 2024-01-01T10:00:00", ["Contoso Cloud Migration"]),
        (
            "details/closingDateTime lt 2024-06-01T00:00:00Z",
            ["Fabrikam O'Brien Deal", "Northwind Traders"],
        ),
        ("details/closingDateTime eq null", ["Tailspin Toys"]),
        ("10000 eq details/dealValue", ["Contoso Cloud Migration", "contoso retail"]),
        ("details/dealValue eq '10000'", []),  # a text literal never equals a number
        ("true", ALL),
        ("false", []),
        ("links/self/uri eq null", ALL),
        ("details/requirements/products/any(p: p eq 'Azure')", []),
    ],
)
def test_filter_selects_exactly_the_matching_referrals(
    expression: str, expected: list[str]
) -> None:
    assert names({"$filter": expression}) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("foo eq 1", "Unknown property 'foo' in $filter"),
        ("stauts eq 'New'", "did you mean 'status'"),
        ("customerProfile/adress/country eq 'US'", "Unknown property 'customerProfile/adress'"),
        ("team/email eq 'x'", "collection"),
        ("team eq null", "collection"),
        ("status/any(s: s eq 'x')", "not a collection"),
        ("status/foo eq 1", "no properties"),
        ("team/any(t: t/mail eq 'x')", "Unknown property 't/mail'"),
        ("status eq", "Expected a value or a property"),
        ("status 'New'", "Expected eq, ne, lt, le, gt or ge"),
        ("status eq 'New' and", "Expected a value or a property"),
        ("status eq 'New')", "Unexpected ')'"),
        ("(status eq 'New'", "Expected ')'"),
        ("status eq 'New", "Unterminated string"),
        ("status == 'New'", "Unexpected character '='"),
        ("status EQ 'New'", "Expected eq, ne"),
        ("'New'", "Expected eq, ne"),
        ("length(name) eq 3", "Unknown function 'length'"),
        ("contains(name)", "Expected ','"),
        ("contains(name, 3)", "takes text"),
        ("name gt 'abc'", "compares numbers and dates"),
        ("details/dealValue lt true", "compares numbers and dates"),
        ("createdDateTime gt 2024-13-45", "Invalid date"),
        ("team/any(t t/email eq 'x')", "Expected ':'"),
        ("team/any(eq: eq eq 'x')", "cannot name a lambda variable"),
        ("team/all()", "Expected a name"),
        ("", "empty"),
        ("   ", "empty"),
        ("(" * 200 + "status eq 'New'" + ")" * 200, "nests deeper"),
        ("not " * 200 + "status eq 'New'", "nests deeper"),
    ],
)
def test_a_bad_filter_is_an_odata_error_that_says_what_is_wrong(
    expression: str, message: str
) -> None:
    with pytest.raises(ODataError, match=_escaped(message)):
        query_referrals(REFERRALS, {"$filter": expression})


def _escaped(text: str) -> str:
    return re.escape(text)


def test_a_lambda_variable_does_not_leak_out_of_its_lambda() -> None:
    with pytest.raises(ODataError, match="Unknown property 't'"):
        query_referrals(REFERRALS, {"$filter": "team/any(t: t/email eq 'x') and t/email eq 'x'"})


def test_nested_lambdas_see_both_variables() -> None:
    expression = (
        "team/any(t: customerProfile/team/any(c: c/email eq 'it@fabrikam.com') "
        "and t/email eq 'other@contoso.example')"
    )
    assert names({"$filter": expression}) == ["Fabrikam O'Brien Deal"]


def test_filters_tolerate_referrals_of_unexpected_shape() -> None:
    odd: list[dict[str, Any]] = [
        {"id": "1", "name": "no fields"},
        {"id": "2", "name": "team not a list", "team": "x", "details": 7},
        {"id": "3", "name": "wrong types", "details": {"dealValue": "big"}, "status": 5},
    ]
    for expression in (
        "team/any(t: t/email eq 'x')",
        "details/dealValue gt 1",
        "contains(status, 'N')",
        "createdDateTime lt 2030-01-01",
        "status eq 'New'",
    ):
        assert names({"$filter": expression}, odd) == []
    assert names({"$filter": "details/dealValue eq null"}, odd) == ["no fields", "team not a list"]


@pytest.mark.parametrize(
    ("orderby", "expected"),
    [
        ("createdDateTime", BY_CREATION),
        ("createdDateTime asc", BY_CREATION),
        ("createdDateTime desc", BY_CREATION[::-1]),
        ("updatedDateTime desc", ALL[::-1]),
        (
            "details/dealValue",  # nulls first; ties broken by id
            [
                "Tailspin Toys",
                "Northwind Traders",
                "Contoso Cloud Migration",
                "contoso retail",
                "Fabrikam O'Brien Deal",
            ],
        ),
        (
            "details/dealValue desc",  # nulls last; ties still by id ascending
            [
                "Fabrikam O'Brien Deal",
                "Contoso Cloud Migration",
                "contoso retail",
                "Northwind Traders",
                "Tailspin Toys",
            ],
        ),
        (
            "details/closingDateTime desc,createdDateTime desc",
            [
                "contoso retail",
                "Contoso Cloud Migration",
                "Fabrikam O'Brien Deal",
                "Northwind Traders",
                "Tailspin Toys",
            ],
        ),
        (
            "details/closingDateTime desc, details/dealValue asc",
            [
                "Contoso Cloud Migration",
                "contoso retail",
                "Fabrikam O'Brien Deal",
                "Northwind Traders",
                "Tailspin Toys",
            ],
        ),
    ],
)
def test_orderby_sorts_by_each_key_in_turn(orderby: str, expected: list[str]) -> None:
    assert names({"$orderby": orderby}) == expected


def test_without_orderby_items_keep_the_order_they_were_given_in() -> None:
    assert names({}, REFERRALS[::-1]) == ALL[::-1]


@pytest.mark.parametrize(
    ("orderby", "message"),
    [
        ("name", "Cannot order by 'name'"),
        ("details/notes desc", "Cannot order by 'details/notes'"),
        ("createdDateTime up", "asc or desc"),
        ("createdDateTime DESC", "asc or desc"),
        ("createdDateTime desc extra", "property [asc|desc]"),
        ("createdDateTime,", "property [asc|desc]"),
        ("", "property [asc|desc]"),
    ],
)
def test_a_bad_orderby_is_an_odata_error(orderby: str, message: str) -> None:
    with pytest.raises(ODataError, match=_escaped(message)):
        query_referrals(REFERRALS, {"$orderby": orderby})


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"$top": "2"}, ALL[:2]),
        ({"$skip": "3"}, ALL[3:]),
        ({"$skip": "1", "$top": "2"}, ALL[1:3]),
        ({"$skip": "9"}, []),
        ({"$top": "0"}, []),
        ({"$top": "1000"}, ALL),
        ({"$orderby": "createdDateTime desc", "$top": "1"}, ["Fabrikam O'Brien Deal"]),
    ],
)
def test_top_and_skip_window_the_ordered_results(
    params: dict[str, str], expected: list[str]
) -> None:
    assert names(params) == expected


def test_count_is_the_total_matching_before_top_and_skip() -> None:
    page = query_referrals(REFERRALS, {"$filter": "status ne 'New'", "$top": "1", "$skip": "1"})
    assert page.count == 3
    assert [item["name"] for item in page.items] == ["Northwind Traders"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"$top": "-1"}, "$top must be a whole number from 0 to 1000"),
        ({"$top": "1001"}, "$top must be"),
        ({"$top": "ten"}, "$top must be"),
        ({"$top": ""}, "$top must be"),
        ({"$top": "1" * 5000}, "$top must be"),
        ({"$skip": "-5"}, "$skip must be"),
        ({"$skip": "1.5"}, "$skip must be"),
        ({"$count": "yes"}, "$count must be true or false"),
        ({"$count": "True"}, "$count must be true or false"),
        ({"$search": "name"}, "Unsupported query option '$search'"),
        ({"$expand": "team"}, "Unsupported query option '$expand'"),
    ],
)
def test_invalid_query_options_are_odata_errors(params: dict[str, str], message: str) -> None:
    with pytest.raises(ODataError, match=_escaped(message)):
        query_referrals(REFERRALS, params)


def test_parameters_that_are_not_odata_options_are_ignored() -> None:
    assert names({"api-version": "1", "foo": "bar"}) == ALL


@pytest.mark.parametrize(("value", "expected"), [(None, False), ("false", False), ("true", True)])
def test_wants_count_reads_the_count_option(value: str | None, expected: bool) -> None:
    params = {} if value is None else {"$count": value}
    assert wants_count(params) is expected


def test_the_returned_items_are_copies_the_caller_may_change() -> None:
    page = query_referrals(REFERRALS, {"$top": "1"})
    page.items[0]["name"] = "changed"
    assert REFERRALS[0]["name"] == "Contoso Cloud Migration"


# -- paging -------------------------------------------------------------------------------------

MANY = [
    make_referral(f"r{i:03d}", i % 28 + 1, id=f"{i:08x}-0000-4000-8000-000000000000")
    | {"createdDateTime": f"2024-03-01T00:{i // 60:02d}:{i % 60:02d}Z"}
    for i in range(250)
]


def follow_all(params: dict[str, str]) -> tuple[list[str], list[QueryPage]]:
    pages = [query_referrals(MANY, params)]
    while pages[-1].next_params is not None:
        pages.append(query_referrals(MANY, pages[-1].next_params))
        assert len(pages) < 10
    return [item["name"] for page in pages for item in page.items], pages


def test_250_referrals_come_in_pages_of_100_and_following_next_params_yields_each_once() -> None:
    seen, pages = follow_all({"$orderby": "createdDateTime desc", "$count": "true"})

    assert [len(page.items) for page in pages] == [100, 100, 50]
    assert seen == [f"r{i:03d}" for i in reversed(range(250))]
    assert [page.count for page in pages] == [250, 250, 250]
    assert pages[-1].next_params is None


def test_next_params_keep_the_filter_order_and_count_and_add_an_opaque_skiptoken() -> None:
    params = {"$filter": "status eq 'New'", "$orderby": "createdDateTime", "$count": "true"}
    page = query_referrals(MANY, params)

    assert page.next_params is not None
    assert {k: v for k, v in page.next_params.items() if k != "$skiptoken"} == params
    token = page.next_params["$skiptoken"]
    assert token.isascii()
    assert "100" not in token  # opaque: not a bare offset


def test_paging_respects_top_beyond_the_page_size() -> None:
    seen, pages = follow_all({"$top": "150"})

    assert [len(page.items) for page in pages] == [100, 50]
    assert seen == [f"r{i:03d}" for i in range(150)]


def test_paging_respects_skip_and_top_together() -> None:
    seen, pages = follow_all({"$skip": "20", "$top": "130"})

    assert [len(page.items) for page in pages] == [100, 30]
    assert seen == [f"r{i:03d}" for i in range(20, 150)]


def test_paging_applies_to_the_filtered_set() -> None:
    seen, pages = follow_all({"$filter": "not endswith(name, '0')", "$count": "true"})

    assert [len(page.items) for page in pages] == [100, 100, 25]
    assert pages[0].count == 225
    assert all(not name.endswith("0") for name in seen)
    assert len(set(seen)) == 225


def test_a_smaller_page_size_pages_sooner() -> None:
    page = query_referrals(MANY, {}, page_size=7)
    assert len(page.items) == 7
    assert page.next_params is not None


def _first_token(params: dict[str, str]) -> str:
    next_params = query_referrals(MANY, params).next_params
    assert next_params is not None
    return next_params["$skiptoken"]


def _forge(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token + "x",
        lambda token: "garbage!",
        lambda token: "",
        lambda token: "%%%",
        lambda token: _forge([1, 2]),
        lambda token: _forge({"p": -1, "q": "x"}),
        lambda token: _forge({"p": True, "q": "x"}),
        lambda token: _forge({"p": "100", "q": "x"}),
        lambda token: base64.urlsafe_b64encode(b"\xff\xfe").decode().rstrip("="),
    ],
)
def test_a_tampered_skiptoken_is_an_odata_error(tamper: Any) -> None:
    token = _first_token({"$count": "true"})
    with pytest.raises(ODataError, match="skiptoken"):
        query_referrals(MANY, {"$count": "true", "$skiptoken": tamper(token)})


def test_a_skiptoken_from_another_query_is_refused() -> None:
    token = _first_token({"$orderby": "createdDateTime"})
    with pytest.raises(ODataError, match="another query"):
        query_referrals(MANY, {"$orderby": "createdDateTime desc", "$skiptoken": token})


def test_a_skiptoken_with_the_right_digest_but_a_forged_position_is_still_validated() -> None:
    token = _first_token({"$skip": "5"})
    digest = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))["q"]
    with pytest.raises(ODataError, match="skiptoken"):
        query_referrals(MANY, {"$skip": "5", "$skiptoken": _forge({"p": 2, "q": digest})})
    page = query_referrals(MANY, {"$skip": "5", "$skiptoken": _forge({"p": 245, "q": digest})})
    assert [item["name"] for item in page.items] == [f"r{i:03d}" for i in range(245, 250)]


def test_a_page_past_the_end_is_empty_and_last() -> None:
    token = _first_token({})
    digest = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))["q"]
    page = query_referrals(MANY, {"$skiptoken": _forge({"p": 10**12, "q": digest})})
    assert page.items == []
    assert page.next_params is None


def test_page_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="page_size"):
        query_referrals(MANY, {}, page_size=0)


# -- robustness: whatever arrives, only ODataError comes out ---------------------------------

FRAGMENTS = [
    "status",
    "team",
    "/",
    "any",
    "all",
    "(",
    ")",
    "t",
    ":",
    "t/email",
    "eq",
    "ne",
    "lt",
    "ge",
    "and",
    "or",
    "not",
    "'x'",
    "''",
    "'",
    "1",
    "-2.5",
    "1e999",
    "2024-01-01",
    "2024-01-01T10:00Z",
    "null",
    "true",
    "contains",
    "startswith",
    ",",
    "customerProfile/address/country",
    "details/dealValue",
    "createdDateTime",
    "00000002-0000-4000-8000-000000000002",
    "links/x",
]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["email", "dealValue", "country", "x"]), children, max_size=3
        )
    ),
    max_leaves=10,
)
REFERRAL_LIKE = st.dictionaries(
    st.sampled_from(
        ["id", "name", "status", "team", "details", "customerProfile", "createdDateTime"]
    ),
    JSON_VALUES,
    max_size=5,
)


def _query_or_odata_error(items: list[dict[str, Any]], params: dict[str, str]) -> None:
    with contextlib.suppress(ODataError):
        query_referrals(items, params)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_filter_text_raises_nothing_but_odata_error(text: str) -> None:
    _query_or_odata_error(REFERRALS, {"$filter": text})


@pytest.mark.slow  # Hypothesis (about 0.5 s)
@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25).map(" ".join))
def test_filter_shaped_text_raises_nothing_but_odata_error(text: str) -> None:
    _query_or_odata_error(REFERRALS, {"$filter": text})


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            ["$filter", "$orderby", "$top", "$skip", "$count", "$skiptoken", "$search", "x"]
        ),
        st.text(max_size=40),
    )
)
def test_arbitrary_query_options_raise_nothing_but_odata_error(params: dict[str, str]) -> None:
    _query_or_odata_error(REFERRALS, params)


@pytest.mark.slow  # Hypothesis (about 0.5 s)
@settings(max_examples=100, deadline=None)
@given(
    st.lists(REFERRAL_LIKE, max_size=6),
    st.sampled_from(
        [
            "team/any(t: t/email eq 'x')",
            "details/dealValue gt 1 or details/dealValue eq null",
            "contains(name, 'a') and status ne 'New'",
            "createdDateTime lt 2030-01-01T00:00:00Z",
            "customerProfile/team/all(c: startswith(c/email, 'a'))",
        ]
    ),
    st.sampled_from(["createdDateTime desc", "details/dealValue", "details/closingDateTime"]),
)
def test_referrals_of_any_shape_never_break_filtering_or_ordering(
    items: list[dict[str, Any]], expression: str, orderby: str
) -> None:
    page = query_referrals(items, {"$filter": expression, "$orderby": orderby})
    assert page.count <= len(items)

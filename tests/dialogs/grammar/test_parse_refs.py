from __future__ import annotations

import pytest

from dialogs.grammar.commands import ReferralRef, ShowReferral
from dialogs.grammar.refs import parse_ref
from tests.dialogs.grammar.support import LAST, by_crm, by_id, by_name, parse

GUID = "c3d2a1b0-1111-2222-3333-444455556666"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123", by_id("123")),
        ("#123", by_id("123")),
        ("4711", by_id("4711")),
        ("referral 4711", by_id("4711")),
        ("Referral #4711", by_id("4711")),
        ("referral id 4711", by_id("4711")),
        ("ref abc123", by_id("abc123")),
        (GUID, by_id(GUID)),
        (GUID.upper(), by_id(GUID)),
        ("{" + GUID + "}", by_id(GUID)),
        ("CRM-0001", by_crm("CRM-0001")),
        ("crm-0001", by_crm("crm-0001")),
        ("crm id CRM-0001", by_crm("CRM-0001")),
        ("crm 42", by_crm("42")),
        ("external id SF-9", by_crm("SF-9")),
        ("it", LAST),
        ("this", LAST),
        ("that", LAST),
        ("that one", LAST),
        ("this one", LAST),
        ("this deal", LAST),
        ("that referral", LAST),
        ("the deal", LAST),
        ("the lead", LAST),
        ("It", LAST),
        ("Contoso", by_name("Contoso")),
        ("Contoso Azure", by_name("Contoso Azure")),
        ("the Northwind lead", by_name("Northwind")),
        ("the Contoso deal", by_name("Contoso")),
        ("the Contoso Azure opportunity", by_name("Contoso Azure")),
        ("Contoso's deal", by_name("Contoso")),
        ("the deal with Fabrikam", by_name("Fabrikam")),
        ("our Fabrikam referral", by_name("Fabrikam")),
        ('"Contoso Azure"', by_name("Contoso Azure")),
        ("Bank of America", by_name("Bank of America")),
        ("Procter & Gamble", by_name("Procter & Gamble")),
        ("AT&T", by_name("AT&T")),
        ("Contoso Azure Phase 2", by_name("Contoso Azure Phase 2")),
    ],
)
def test_references_sellers_use(text: str, expected: ReferralRef) -> None:
    assert parse_ref(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "the",
        "set the deal",
        "mark 123",
        "value 5",
        "on 123",
        "please mark 123",
        "123 to nxet",
        "vaule of 123",
        "Contoso, Inc",
        "a b c d e f g h i",
        "x" * 100,
        "!!!",
    ],
)
def test_text_that_cannot_name_a_referral(text: str) -> None:
    assert parse_ref(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("show 123", by_id("123")),
        ("show #123", by_id("123")),
        ("show referral 4711", by_id("4711")),
        ("show " + GUID.upper(), by_id(GUID)),
        ("show CRM-0001", by_crm("CRM-0001")),
        ("show crm id CRM-0001", by_crm("CRM-0001")),
        ("show Contoso Azure", by_name("Contoso Azure")),
        ("show the Northwind lead", by_name("Northwind")),
        ("show it", LAST),
        ("show that one", LAST),
    ],
)
def test_references_reach_the_command(text: str, expected: ReferralRef) -> None:
    assert parse(text) == ShowReferral(expected)

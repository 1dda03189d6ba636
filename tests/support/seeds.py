"""The referral sets tests seed the emulators with, all built by `seed_referral`.

`contoso_referrals` is the bot's world for the whole-bot tests (tests/system, tests/inbound,
tests/state, tests/sign_in, tests/card_actions/deadline); `emulator_referrals` the Referrals
emulator's own tests (tests/emulators); `client_referrals` the Partner Center client's
(tests/partner_center). The service and card-action world, with its fixed "today", is
`tests/support/world.py`; the dialog transcripts' is `tests/dialogs/seed.py`.
"""

from __future__ import annotations

from typing import Any

from tests.support.emulators import OTHER_SELLER, SELLER
from tests.support.referral_documents import member, seed_referral

REFERRAL_ID = "123"
CONTOSO_DEAL = "Contoso cloud migration"
CREATED = "2026-01-05T09:00:00Z"
PHONE_NUMBERS = ("+1 425 555 0100", "+49 30 5550 1234")


def contoso_referrals() -> list[dict[str, Any]]:
    """Four open deals both sellers work on; 123 is the one most tests change."""
    team = (member(SELLER), member(OTHER_SELLER))
    return [
        seed_referral(
            REFERRAL_ID,
            name=CONTOSO_DEAL,
            customer="Contoso Ltd",
            team=team,
            details={"dealValue": 50000, "currency": "USD", "notes": "first call done"},
            createdDateTime=CREATED,
        ),
        *(
            seed_referral(
                referral_id, name=name, customer=customer, team=team, createdDateTime=CREATED
            )
            for referral_id, name, customer in (
                ("4711", "Fabrikam renewal", "Fabrikam"),
                ("501", "Northwind ERP rollout", "Northwind Traders"),
                ("502", "Northwind BI", "Northwind Traders"),
            )
        ),
    ]


def contoso_referrals_with_phones() -> list[dict[str, Any]]:
    """`contoso_referrals` with team members that carry phone numbers (to scan logs for)."""
    referrals = contoso_referrals()
    for referral in referrals:
        for person, phone in zip(referral.get("team", []), PHONE_NUMBERS, strict=False):
            person["phoneNumber"] = phone
    return referrals


LEAD = "123"  # incoming New/Received, on the seller's team
DEAL = "124"  # outgoing Active/Accepted, on the seller's team
WON = "125"  # outgoing Closed/Won, on the seller's team
OTHERS = "200"  # incoming New/Pending, on the other seller's team
UNASSIGNED = "7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09"  # incoming New/Pending, nobody's
ALL_IDS = {LEAD, DEAL, WON, OTHERS, UNASSIGNED}
OUTGOING_CLOSABLE = DEAL


def _contact(email: str, first: str, last: str) -> dict[str, Any]:
    return {"firstName": first, "lastName": last, "email": email, "phoneNumber": "+1 555 0100"}


def emulator_referrals() -> list[dict[str, Any]]:
    """Partial fixtures, as a fixture file would hold them; the store fills the rest."""
    seller = _contact("SELLER@Contoso.Example", "Sam", "Seller")  # case differs on purpose
    other = _contact("other@contoso.example", "Olga", "Other")
    return [
        seed_referral(
            LEAD,
            "New/Received",
            name="Contoso lead",
            direction="Incoming",
            createdDateTime="2026-01-10T08:00:00.0000000Z",
            team=[seller],
            details={"notes": "Inbound from Microsoft.", "dealValue": 1000, "currency": "USD"},
        ),
        seed_referral(
            DEAL,
            name="Fabrikam deal",
            direction="Outgoing",
            team=[seller],
            details={"notes": "Workshop done.", "dealValue": 5000, "currency": "EUR"},
        ),
        seed_referral(WON, "Closed/Won", name="Tailspin deal", direction="Outgoing", team=[seller]),
        seed_referral(OTHERS, "New/Pending", team=[other]),
        seed_referral(UNASSIGNED, "New/Pending"),
    ]


OPEN_ID = "r-open"
CLOSED_ID = "r-closed"
OTHERS_ID = "r-others"


def client_referrals() -> list[dict[str, Any]]:
    """One open deal of the seller's, one closed, one of the other seller's (no state: the
    store's default)."""
    return [
        seed_referral(
            OPEN_ID,
            None,
            name="Contoso cloud migration",
            team=[member(SELLER)],
            details={"dealValue": 5000, "currency": "USD", "notes": "first call done"},
        ),
        seed_referral(CLOSED_ID, "Closed/Won", team=[member(SELLER)]),
        seed_referral(OTHERS_ID, None, name="Fabrikam renewal", team=[member(OTHER_SELLER)]),
    ]

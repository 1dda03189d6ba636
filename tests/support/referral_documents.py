"""Referral documents: `seed_referral` builds every document a test seeds the emulator with, and
`make_referral_document` a full one shaped like the service's (spec §5) for model and client tests.

Tests seed with `seed_referral` (directly, or through a folder's own wrapper with its defaults),
so a seed holds only the fields it names; the emulator's store fills in the rest like it does for
any fixture file. The demo's seed (`emulators/seed.py`) is product code and tests use it as is.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from emulators.fixtures import FixtureUser


def member(user: FixtureUser) -> dict[str, Any]:
    """A team member as a seed names one: the user's name and sign-in address."""
    return {"firstName": user.first_name, "lastName": user.last_name, "email": user.upn}


def seed_referral(
    referral_id: str,
    state: str | None = "Active/Accepted",
    *,
    name: str | None = None,
    customer: str | None = None,
    team: Iterable[Mapping[str, Any]] | None = None,
    details: Mapping[str, Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A seed document with `state` as "Status/Substatus" (None: the store's default) and only the
    other fields given; `fields` are further top-level keys, spelled as the service spells them."""
    document: dict[str, Any] = {"id": referral_id}
    if name is not None:
        document["name"] = name
    if state is not None:
        document["status"], document["substatus"] = state.split("/")
    if customer is not None:
        document["customerProfile"] = {"name": customer}
    if team is not None:
        document["team"] = [dict(person) for person in team]
    if details is not None:
        document["details"] = dict(details)
    document.update(copy.deepcopy(fields))
    return document


_REALISTIC: dict[str, Any] = {
    "id": "6b0a6f3e-8c1d-4f5e-9a7b-2c3d4e5f6a7b",
    "engagementId": "0f6a2b1c-3d4e-4f5a-8b9c-1d2e3f4a5b6c",
    "name": "Contoso Cloud Migration",
    "organizationId": "8a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d",
    "organizationName": "Fabrikam Partners",
    "externalReferenceId": "CRM-000123",
    "createdDateTime": "2026-03-02T09:15:27.1234567Z",
    "updatedDateTime": "2026-03-04T16:01:02.7654321Z",
    "expirationDateTime": "2026-03-16T09:15:27.1234567Z",
    "status": "New",
    "substatus": "Received",
    "statusReason": None,
    "type": "Independent",
    "qualification": "SalesQualified",
    "direction": "Incoming",
    "salesStage": "Qualify",
    "customerProfile": {
        "name": "Contoso Ltd",
        "address": {
            "addressLine1": "1 Microsoft Way",
            "addressLine2": "",
            "city": "Redmond",
            "state": "WA",
            "postalCode": "98052",
            "country": "US",
            "region": None,
        },
        "size": "100to500employees",
        "team": [
            {
                "firstName": "Chris",
                "lastName": "Customer",
                "email": "chris@contoso.example",
                "phoneNumber": "0000000002",
                "contactPreference": {"locale": "en-US", "disableNotifications": False},
            }
        ],
        "ids": [{"profileType": "Tpid", "id": "12345"}],
    },
    "consent": {
        "consentToToShareInfoWithOthers": False,
        "consentToContact": True,
        "consentToShareReferralWithMicrosoftSellers": True,
    },
    "details": {
        "notes": "Wants a migration plan by Q3.",
        "dealValue": 125000.5,
        "currency": "USD",
        "closingDateTime": "2026-06-30T00:00:00Z",
        "requirements": {
            "industries": [{"id": "Retail", "name": "Retail"}],
            "products": [],
            "services": [],
            "solutions": [{"id": "sol-1", "name": "Azure Migrate"}],
            "additionalRequirements": {"attributes": []},
        },
        "customerRequestedContact": True,
    },
    "team": [
        {
            "firstName": "Sam",
            "lastName": "Seller",
            "email": "seller@contoso.example",
            "phoneNumber": "0000000001",
            "contactPreference": {"locale": "en-US", "disableNotifications": False},
        }
    ],
    "inviteContext": {
        "notes": "Customer asked for a partner in Redmond.",
        "invitedBy": {"organizationId": "msft", "organizationName": "Microsoft"},
        "assistanceRequestCode": None,
    },
    "target": [{"type": "Solution", "id": "sol-1"}],
    "eTag": '"84001c9d-0000-0100-0000-6225a63e0000"',
    "links": {
        "self": {
            "uri": "https://api.partner.microsoft.com/v1.0/engagements/referrals/6b0a6f3e",
            "method": "GET",
        },
        "relatedReferrals": None,
    },
}


def make_referral_document(**overrides: Any) -> dict[str, Any]:
    """A full service document (a deep copy); top-level keys in `overrides` replace its own."""
    document = copy.deepcopy(_REALISTIC)
    document.update(copy.deepcopy(overrides))
    return document

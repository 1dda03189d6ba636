"""Referrals, a fixed "now", a one-line planner call and the spec's states, for the domain tests."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.change import ReferralChange, plan_change
from bot.domain.intent import ChangeIntent
from bot.domain.referral import Referral

SELLER_ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=SELLER_ZONE)  # Tuesday 1 Dec 2026, 14:30 UTC
LABEL = "Contoso Azure migration (123)"

# The (status, substatus, direction) triples the Partner Center spec allows, written out here as
# the oracle for bot/domain/transitions.py rather than derived from it.
SPEC_STATES = (
    ("New", "Pending", "Incoming"),
    ("New", "Received", "Incoming"),
    ("Active", "Accepted", "Incoming"),
    ("Closed", "Won", "Incoming"),
    ("Closed", "Lost", "Incoming"),
    ("Closed", "Declined", "Incoming"),
    ("Closed", "Expired", "Incoming"),
    ("New", "Pending", "Outgoing"),
    ("Active", "Accepted", "Outgoing"),
    ("Closed", "Won", "Outgoing"),
    ("Closed", "Lost", "Outgoing"),
)

JANE = {"firstName": "Jane", "lastName": "Doe", "email": "jane.doe@contoso.com"}
JOHN = {
    "firstName": "John",
    "lastName": "Smith",
    "email": "john.smith@contoso.com",
    "phoneNumber": "+1 425 555 0100",
    "contactPreference": {"locale": "en-US", "disableNotifications": False},
}

_BASE: dict[str, Any] = {
    "id": "123",
    "name": "Contoso Azure migration",
    "externalReferenceId": "CRM-1",
    "createdDateTime": "2026-10-01T08:00:00.1234567Z",
    "status": "Active",
    "substatus": "Accepted",
    "statusReason": None,
    "type": "Independent",
    "qualification": "SalesQualified",
    "direction": "Outgoing",
    "salesStage": "Develop",
    "customerProfile": {"name": "Contoso Ltd"},
    "details": {
        "notes": "Intro call done.",
        "dealValue": 100000,
        "currency": "USD",
        "closingDateTime": "2027-01-29T00:00:00Z",
    },
    "team": [JANE, JOHN],
    "eTag": '"84001c9d-0000-0100-0000-6225a63e0000"',
}


def make_document(**overrides: Any) -> dict[str, Any]:
    """The base referral; keys in `overrides` replace its own, a value of `...` removes the key."""
    document = copy.deepcopy(_BASE)
    for key, value in overrides.items():
        if value is ...:
            document.pop(key, None)
        else:
            document[key] = copy.deepcopy(value)
    return document


def make_referral(**overrides: Any) -> Referral:
    return Referral.from_document(make_document(**overrides))


def in_state(state: str, direction: str = "Incoming", **overrides: Any) -> Referral:
    """'New/Pending' → a referral in that status and substatus."""
    status, substatus = state.split("/")
    return make_referral(status=status, substatus=substatus, direction=direction, **overrides)


def plan(referral: Referral, *, now: datetime = NOW, **intent: Any) -> ReferralChange:
    return plan_change(referral, ChangeIntent(**intent), now=now)


def ops(change: ReferralChange) -> list[dict[str, Any]]:
    return [dict(op) for op in change.operations]


def rows(change: ReferralChange) -> list[tuple[str, str, str]]:
    return [(row.label, row.before, row.after) for row in change.fields]

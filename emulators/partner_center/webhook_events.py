"""Partner Center's webhook event names and the body of one event, as its docs show them.

The body carries only a pointer to what changed: `EventName`, `ResourceUri`, `ResourceName`,
`AuditUri` (optional, null here) and `ResourceChangeUtcDate` (.NET's round-trip format, seven
fractional digits and `+00:00`, as in the docs' samples). See docs/webhooks.md.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

TEST_CREATED = "test-created"
REFERRAL_CREATED = "referral-created"
REFERRAL_UPDATED = "referral-updated"
RELATED_REFERRAL_CREATED = "related-referral-created"
RELATED_REFERRAL_UPDATED = "related-referral-updated"
REFERRAL_EVENTS = (
    REFERRAL_CREATED,
    REFERRAL_UPDATED,
    RELATED_REFERRAL_CREATED,
    RELATED_REFERRAL_UPDATED,
)
# What the emulator can send; the others are accepted in a registration but never happen here.
EMITTED_EVENTS = (TEST_CREATED, *REFERRAL_EVENTS)
# Every name the pages "Partner Center webhook events" / "Partner Center webhooks" list
# (docs/webhooks.md); `GET /webhooks/v1/registration/events` answers these, and a registration
# naming anything else is refused.
DOCUMENTED_EVENTS = (
    "azure-fraud-event-detected",
    "dap-admin-relationship-approved",
    "dap-admin-relationship-terminated",
    "dap-admin-relationship-terminated-by-microsoft",
    "granular-admin-access-assignment-activated",
    "granular-admin-access-assignment-created",
    "granular-admin-access-assignment-deleted",
    "granular-admin-access-assignment-updated",
    "granular-admin-relationship-activated",
    "granular-admin-relationship-approved",
    "granular-admin-relationship-expired",
    "granular-admin-relationship-terminated",
    "indirect-reseller-relationship-accepted-by-customer",
    "invoice-ready",
    REFERRAL_CREATED,
    REFERRAL_UPDATED,
    RELATED_REFERRAL_CREATED,
    RELATED_REFERRAL_UPDATED,
    "reseller-relationship-accepted-by-customer",
    "subscription-updated",
    TEST_CREATED,
    "usagerecords-thresholdExceeded",
)
_RESOURCE_NAMES = {TEST_CREATED: "test", **dict.fromkeys(REFERRAL_EVENTS, "referral")}


def change_date(moment: datetime) -> str:
    """`2018-02-17T00:05:39.5485487+00:00`: the docs' ResourceChangeUtcDate."""
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond:06d}0+00:00"


def event_body(event_name: str, resource_uri: str, changed_at: datetime) -> dict[str, Any]:
    """The documented members, in the documented order, and nothing else."""
    return {
        "EventName": event_name,
        "ResourceUri": resource_uri,
        "ResourceName": _RESOURCE_NAMES[event_name],
        "AuditUri": None,
        "ResourceChangeUtcDate": change_date(changed_at),
    }


def encode(body: dict[str, Any]) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(body, ensure_ascii=False).encode("utf-8")

"""A new incoming lead from Microsoft, as the test controls create it ("a new lead arrives").

The control's body is short and flat; this module turns it into the referral Partner Center
would hold: New/Pending, Incoming, Shared + SalesQualified, invited by Microsoft (`msft`), an
`expirationDateTime` (the store's 14 days unless given), the customer, deal value,
requirements, and the partner's team from UPNs (names from the fixture users, else the UPN).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from emulators.fixtures import Fixtures, split_name
from emulators.partner_center.errors import invalid_request
from emulators.partner_center.lifecycle import iso

LEAD_MEMBERS = frozenset(
    {
        "id",
        "engagementId",
        "name",
        "customer",
        "city",
        "country",
        "contact",
        "dealValue",
        "currency",
        "requirements",
        "notes",
        "team",
        "expirationDateTime",
        "expiresInDays",
        "substatus",
    }
)


@dataclass(frozen=True)
class Lead:
    fields: dict[str, Any]
    referral_id: str | None
    engagement_id: str | None


def _member(upn: str, fixtures: Fixtures) -> dict[str, Any]:
    user = fixtures.user_by_upn(upn)
    if user is not None:
        first, last = user.first_name, user.last_name
    else:  # "jane.doe@contoso.com" -> Jane Doe
        words = upn.split("@", 1)[0].replace(".", " ").replace("_", " ").split()
        first, last = split_name(" ".join(word.capitalize() for word in words) or upn)
    return {"firstName": first, "lastName": last, "email": upn}


def _text(body: Mapping[str, Any], name: str, *, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise invalid_request(f"'{name}' must be a non-empty string.", target=name)
    return value


def _team(body: Mapping[str, Any], fixtures: Fixtures) -> list[dict[str, Any]]:
    team = body.get("team")
    if not isinstance(team, list) or not team or not all(isinstance(u, str) for u in team):
        raise invalid_request("'team' must be a non-empty list of UPNs.", target="team")
    return [_member(upn, fixtures) for upn in team]


def _expiry(body: Mapping[str, Any], now: datetime) -> Any:
    """None lets the store set the documented default (created + 14 days)."""
    given = body.get("expirationDateTime")
    days = body.get("expiresInDays")
    if given is not None and days is not None:
        raise invalid_request(
            "Give 'expirationDateTime' or 'expiresInDays', not both.", target="expiresInDays"
        )
    if days is None:
        return given  # checked as a date with the whole document
    if isinstance(days, bool) or not isinstance(days, int | float) or not 0 < days <= 3650:
        raise invalid_request("'expiresInDays' must be a number of days.", target="expiresInDays")
    return iso(now + timedelta(days=days))


def build_lead(body: Any, fixtures: Fixtures, now: datetime) -> Lead:
    """The referral fields of a new incoming lead, or ApiError 400 for a bad control body."""
    if not isinstance(body, Mapping):
        raise invalid_request("The body must be a lead object.", target="body")
    unknown = sorted(set(body) - LEAD_MEMBERS)
    if unknown:
        raise invalid_request(f"Unknown member(s) {unknown}.", target=str(unknown[0]))
    customer: dict[str, Any] = {"name": _text(body, "customer", required=True)}
    address = {key: body[key] for key in ("city", "country") if body.get(key) is not None}
    if address:
        customer["address"] = address
    if body.get("contact") is not None:
        customer["team"] = [body["contact"]]
    details: dict[str, Any] = {"currency": body.get("currency") or "USD"}
    for source, target in (("dealValue", "dealValue"), ("notes", "notes")):
        if body.get(source) is not None:
            details[target] = body[source]
    if body.get("requirements") is not None:
        details["requirements"] = body["requirements"]
    fields = {
        "name": _text(body, "name", required=True),
        "status": "New",
        "substatus": body.get("substatus") or "Pending",
        "direction": "Incoming",
        "type": "Shared",
        "qualification": "SalesQualified",
        "customerProfile": customer,
        "consent": {
            "consentToToShareInfoWithOthers": True,
            "consentToContact": True,
            "consentToShareReferralWithMicrosoftSellers": True,
        },
        "details": details,
        "team": _team(body, fixtures),
        "inviteContext": {
            "invitedBy": {"organizationId": "msft", "organizationName": "Microsoft"},
            "notes": "Referred by Microsoft",
        },
    }
    expiry = _expiry(body, now)
    if expiry is not None:
        fields["expirationDateTime"] = expiry
    return Lead(fields, _text(body, "id"), _text(body, "engagementId"))

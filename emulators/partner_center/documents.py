"""The referral resource of spec §5: which paths exist, which are read-only, and value types.

A schema node is a leaf kind (`"string"`, `"number"`, …), an enum (`frozenset`), an object
(`dict` of member schemas) or an array (a one-element `tuple` holding the element schema).
Values written by a client are checked strictly (unknown members → 400); stored documents are
checked leniently (unknown members from fixtures are kept and ignored).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeAlias

from emulators.partner_center.errors import invalid_request

Schema: TypeAlias = "str | frozenset[str] | Mapping[str, Schema] | tuple[Schema]"

STATUSES = frozenset({"New", "Active", "Closed"})
SUBSTATUSES = frozenset({"Pending", "Received", "Accepted", "Won", "Lost", "Declined", "Expired"})
TYPES = frozenset({"Independent", "Shared"})
QUALIFICATIONS = frozenset({"None", "Direct", "MarketingQualified", "SalesQualified"})
DIRECTIONS = frozenset({"Incoming", "Outgoing"})
SALES_STAGES = frozenset({"Qualify", "Develop", "Propose", "Close"})

_MEMBER: Schema = {
    "firstName": "string",
    "lastName": "string",
    "email": "string",
    "phoneNumber": "string",
    "contactPreference": {"locale": "string", "disableNotifications": "boolean"},
}
_ADDRESS: Schema = {
    **dict.fromkeys(("addressLine1", "addressLine2", "city", "state", "postalCode"), "string"),
    "country": "country",
    "region": "string",
}
REFERRAL_SCHEMA: Mapping[str, Schema] = {
    **dict.fromkeys(("id", "engagementId", "name", "organizationId"), "string"),
    **dict.fromkeys(("organizationName", "externalReferenceId", "statusReason"), "string"),
    **dict.fromkeys(("createdDateTime", "updatedDateTime", "expirationDateTime"), "date"),
    **dict.fromkeys(("acceptedDateTime", "closedDateTime"), "date"),
    "status": STATUSES,
    "substatus": SUBSTATUSES,
    "type": TYPES,
    "qualification": QUALIFICATIONS,
    "direction": DIRECTIONS,
    "salesStage": SALES_STAGES,
    "customerProfile": {
        "name": "string",
        "address": _ADDRESS,
        "size": "string",
        "team": (_MEMBER,),
        "ids": ({"profileType": "string", "id": "string"},),
    },
    "consent": dict.fromkeys(
        (
            "consentToToShareInfoWithOthers",
            "consentToContact",
            "consentToShareReferralWithMicrosoftSellers",
        ),
        "boolean",
    ),
    "details": {
        "notes": "string",
        "dealValue": "number",
        "currency": "currency",
        "closingDateTime": "date",
        "requirements": {
            **dict.fromkeys(("industries", "products", "services", "solutions"), ("any",)),
            "additionalRequirements": "string",
        },
        "customerRequestedContact": "boolean",
    },
    "team": (_MEMBER,),
    "inviteContext": {
        "notes": "string",
        "invitedBy": {"organizationId": "string", "organizationName": "string"},
        "assistanceRequestCode": "string",
    },
    "target": ({"type": "string", "id": "string"},),
    "eTag": "string",
    "links": "any",
    "registrationStatus": "any",
}
READ_ONLY = frozenset(
    {
        "id", "engagementId", "organizationId", "organizationName", "createdDateTime",
        "updatedDateTime", "acceptedDateTime", "closedDateTime", "eTag", "links", "direction",
        "type", "qualification", "inviteContext", "registrationStatus",
    }
)  # fmt: skip
REQUIRED = ("status", "substatus", "type", "qualification", "direction")
REQUIRED_OBJECTS = ("customerProfile", "consent", "details")
_NUMERIC = re.compile(r"\s*[0-9]+(\.[0-9]+)?\s*")
_CURRENCY = re.compile(r"[A-Z]{3}")
_COUNTRY = re.compile(r"[A-Za-z]{2}")
_INDEX = re.compile(r"0|[1-9][0-9]*")


def schema_at(segments: Sequence[str]) -> Schema:
    """The schema a JSON Pointer leads to, or 400 for a path the resource does not have."""
    node: Schema = REFERRAL_SCHEMA
    for index, segment in enumerate(segments):
        where = "/" + "/".join(segments[: index + 1])
        if node == "any":
            return "any"
        if isinstance(node, Mapping) and segment in node:
            node = node[segment]
        elif isinstance(node, tuple) and (segment == "-" or _INDEX.fullmatch(segment)):
            node = node[0]
        else:
            raise invalid_request(f"The path '{where}' does not exist on a referral.", target=where)
    return node


def check_value(value: Any, schema: Schema, where: str, *, strict: bool) -> None:
    """400 `invalidRequest` (target = the path) unless `value` fits `schema`; null always fits."""
    if value is None or schema == "any":
        return
    if isinstance(schema, Mapping):
        _check_object(value, schema, where, strict=strict)
    elif isinstance(schema, tuple):
        if not isinstance(value, list):
            raise invalid_request(f"'{where}' must be an array.", target=where)
        for index, item in enumerate(value):
            if item is None:
                raise invalid_request(f"'{where}/{index}' must not be null.", target=where)
            check_value(item, schema[0], f"{where}/{index}", strict=strict)
    elif isinstance(schema, frozenset):
        if value not in schema:
            allowed = ", ".join(sorted(schema))
            raise invalid_request(f"'{where}' must be one of: {allowed}.", target=where)
    elif not _leaf_fits(value, schema):
        raise invalid_request(f"'{where}' must be a {schema}.", target=where)


def _check_object(value: Any, schema: Mapping[str, Schema], where: str, *, strict: bool) -> None:
    if not isinstance(value, Mapping):
        raise invalid_request(f"'{where or '/'}' must be an object.", target=where or "/")
    for key, item in value.items():
        if key in schema:
            check_value(item, schema[key], f"{where}/{key}", strict=strict)
        elif strict:
            raise invalid_request(
                f"'{where}/{key}' is not a property of a referral.", target=f"{where}/{key}"
            )


def _leaf_fits(value: Any, kind: str) -> bool:
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "number":
        if isinstance(value, str):
            return _NUMERIC.fullmatch(value) is not None
        return _is_number(value) and value >= 0
    if not isinstance(value, str):
        return False
    if kind == "date":
        return is_iso_datetime(value)
    if kind == "currency":
        return _CURRENCY.fullmatch(value) is not None
    if kind == "country":
        return _COUNTRY.fullmatch(value) is not None
    return True


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def is_iso_datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def coerce_deal_value(document: dict[str, Any]) -> None:
    """`details.dealValue` may arrive as a numeric string ("10000"); it is stored as a number."""
    details = document.get("details")
    if isinstance(details, dict) and isinstance(details.get("dealValue"), str):
        raw = details["dealValue"].strip()
        if _NUMERIC.fullmatch(raw):
            number = Decimal(raw)
            details["dealValue"] = int(number) if number == number.to_integral() else float(number)


def validate_document(document: Mapping[str, Any], *, strict: bool = False) -> None:
    """Types of every known member, required members present, team members carry an email."""
    check_value(document, REFERRAL_SCHEMA, "", strict=strict)
    for name in (*REQUIRED, *REQUIRED_OBJECTS):
        if document.get(name) is None:
            raise invalid_request(f"'{name}' is required.", target=name)
    if not isinstance(document.get("team"), list):
        raise invalid_request("'team' must be an array.", target="team")
    for index, member in enumerate(document["team"]):
        if not str(member.get("email") or "").strip():
            raise invalid_request(f"'team/{index}' needs an email.", target="team")

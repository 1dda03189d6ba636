"""What `$filter` may name in a referral, and how OData values compare (spec §2, §5).

Comparison semantics (emulator decisions, documented for client authors):
- `eq`/`ne` on strings are **case-sensitive**, as OData specifies; GUIDs compare ignoring case;
  two ISO-8601 datetimes compare as instants (`...00Z` equals `...00.0000000Z`).
- `contains`/`startswith`/`endswith` are **case-insensitive** (what a "find Contoso" search needs).
- `lt/le/gt/ge` compare numbers and datetimes only; anything else is never true.
- `null`: `x eq null` is true when `x` is absent or null; ordering against null is never true.
- Naive datetimes (no offset) and bare dates (`2024-05-01`) are taken as UTC.
"""

from __future__ import annotations

import difflib
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


class ODataError(ValueError):
    """A query the service would reject with 400; the message tells a developer what to fix."""


@dataclass(frozen=True)
class ArrayOf:
    item: Schema


class _AnyShape:
    """A property whose inner shape the spec leaves open: any sub-path is accepted."""


ANY_SHAPE = _AnyShape()
Schema = dict[str, "Schema"] | ArrayOf | _AnyShape | None  # None = a scalar

_MEMBER: Schema = {
    "firstName": None,
    "lastName": None,
    "email": None,
    "phoneNumber": None,
    "contactPreference": {"locale": None, "disableNotifications": None},
}
_TYPED_ID: Schema = {"type": None, "id": None}
_SCALARS = [
    "id",
    "engagementId",
    "name",
    "organizationId",
    "organizationName",
    "externalReferenceId",
    "createdDateTime",
    "updatedDateTime",
    "expirationDateTime",
    "acceptedDateTime",
    "closedDateTime",
    "status",
    "substatus",
    "statusReason",
    "type",
    "qualification",
    "direction",
    "salesStage",
    "eTag",
]
REFERRAL_SCHEMA: Schema = {
    **dict.fromkeys(_SCALARS),
    "customerProfile": {
        "name": None,
        "address": dict.fromkeys(
            ["addressLine1", "addressLine2", "city", "state", "postalCode", "country", "region"]
        ),
        "size": None,
        "team": ArrayOf(_MEMBER),
        "ids": ArrayOf({"profileType": None, "id": None}),
    },
    "consent": dict.fromkeys(
        [
            "consentToToShareInfoWithOthers",
            "consentToContact",
            "consentToShareReferralWithMicrosoftSellers",
        ]
    ),
    "details": {
        "notes": None,
        "dealValue": None,
        "currency": None,
        "closingDateTime": None,
        "requirements": dict.fromkeys(
            ["industries", "products", "services", "solutions", "additionalRequirements"], ANY_SHAPE
        ),
        "customerRequestedContact": None,
    },
    "team": ArrayOf(_MEMBER),
    "inviteContext": {
        "notes": None,
        "invitedBy": {"organizationId": None, "organizationName": None},
        "assistanceRequestCode": None,
    },
    "target": ArrayOf(_TYPED_ID),
    "links": ANY_SHAPE,
}


def child_schema(schema: Schema, name: str, path: str, where: str) -> Schema:
    """The schema of `name` (the last segment of `path`) inside `schema`, or an ODataError."""
    if isinstance(schema, _AnyShape):
        return ANY_SHAPE
    if isinstance(schema, dict):
        if name in schema:
            return schema[name]
        hint = difflib.get_close_matches(name, list(schema), n=1)
        suffix = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise ODataError(f"Unknown property '{path}' in {where}{suffix}")
    if isinstance(schema, ArrayOf):
        raise ODataError(f"'{path}' goes inside a collection in {where}: use any() or all()")
    raise ODataError(f"'{path}' goes inside a value that has no properties in {where}")


_GUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
_INSTANT = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?"
)


def is_guid(text: str) -> bool:
    return _GUID.fullmatch(text) is not None


def parse_instant(text: str) -> datetime | None:
    """An ISO-8601 date or datetime as an aware instant; None for anything else."""
    if _INSTANT.fullmatch(text) is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _instant(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    return parse_instant(value) if isinstance(value, str) else None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def values_equal(left: object, right: object) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if _is_number(left) and _is_number(right):
        return left == right
    if isinstance(left, str) and isinstance(right, str):
        if is_guid(left) and is_guid(right):
            return left.lower() == right.lower()
        if left == right:
            return True
    left_at, right_at = _instant(left), _instant(right)
    return left_at is not None and left_at == right_at


_ORDERING: dict[str, Callable[[Any, Any], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def values_ordered(op: str, left: object, right: object) -> bool:
    """`left <op> right` for numbers or instants; any other pair is never ordered."""
    if _is_number(left) and _is_number(right):
        return _ORDERING[op](left, right)
    left_at, right_at = _instant(left), _instant(right)
    if left_at is None or right_at is None:
        return False
    return _ORDERING[op](left_at, right_at)


def is_orderable_literal(value: object) -> bool:
    return _is_number(value) or _instant(value) is not None


def _as_float(value: float) -> float:
    try:
        return float(value)
    except OverflowError:  # an integer beyond float range still sorts at its end
        return math.inf if value > 0 else -math.inf


def sort_key(value: object) -> tuple[int, Any]:
    """Nulls first, then numbers, then instants, then any other text; never mixes types."""
    if value is None:
        return (0, 0.0)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (1, _as_float(value))
    at = _instant(value)
    if at is not None:
        return (2, at.timestamp())
    return (3, str(value))

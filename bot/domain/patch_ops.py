"""RFC 6902 operations that apply cleanly to the document the seller saw.

JSON Patch `replace` fails on a member that is absent, and `add` below a missing parent fails
too, so each operation is chosen by looking at the current document: `replace` what is there,
`add` what is not, and write the whole `details` object when the referral has none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jsonpatch

Operation = dict[str, Any]


def set_op(document: Mapping[str, Any], member: str, value: Any) -> Operation:
    """Set a top-level member: `replace` when present (even as null), else `add`."""
    op = "replace" if member in document else "add"
    return {"op": op, "path": f"/{member}", "value": value}


def details_ops(document: Mapping[str, Any], values: Mapping[str, Any]) -> list[Operation]:
    """Set members of `details`; one `/details` object when the referral has no details yet."""
    if not values:
        return []
    details = document.get("details")
    if not isinstance(details, Mapping):
        return [set_op(document, "details", dict(values))]
    return [
        {"op": "replace" if name in details else "add", "path": f"/details/{name}", "value": value}
        for name, value in values.items()
    ]


def team_append_ops(
    document: Mapping[str, Any], members: Sequence[Mapping[str, Any]]
) -> list[Operation]:
    """One `add /team/-` per new member; the whole array when the referral has no team yet."""
    if not members:
        return []
    if not isinstance(document.get("team"), list):
        return [set_op(document, "team", [dict(member) for member in members])]
    return [{"op": "add", "path": "/team/-", "value": dict(member)} for member in members]


def apply_ops(
    document: Mapping[str, Any], operations: Sequence[Operation], *, in_place: bool = False
) -> dict[str, Any]:
    """The after-image: the operations applied as Partner Center will apply them, to a deep copy
    or, `in_place`, to `document` itself (a dict the caller built for this and reads no more:
    the copy is the costliest part of planning a change)."""
    if in_place and isinstance(document, dict):
        applied: dict[str, Any] = jsonpatch.apply_patch(document, list(operations), in_place=True)
        return applied
    result: dict[str, Any] = jsonpatch.apply_patch(dict(document), list(operations))
    return result

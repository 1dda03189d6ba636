"""JSON Patch as the seed document allows it: `add` and `replace` only, applied all at once.

Every op is checked before anything is applied (known path, not read-only, value of the right
type); the ops are then applied to a copy with `jsonpatch`, and the caller validates the result
as a whole, so `/status` then `/substatus` in one patch is fine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonpatch
import jsonpointer

from emulators.partner_center.documents import READ_ONLY, check_value, schema_at
from emulators.partner_center.errors import invalid_request

ALLOWED_OPS = frozenset({"add", "replace"})
_OP_KEYS = frozenset({"op", "path", "value"})


def parse_operations(body: Any) -> list[dict[str, Any]]:
    """The ops of a PATCH body, or 400 `invalidRequest` naming the first thing wrong."""
    if not isinstance(body, list) or not body:
        raise invalid_request("The body must be a non-empty JSON Patch array.", target="body")
    return [_parse_operation(index, op) for index, op in enumerate(body)]


def _parse_operation(index: int, op: Any) -> dict[str, Any]:
    where = f"body/{index}"
    if not isinstance(op, Mapping):
        raise invalid_request(f"Operation {index} must be an object.", target=where)
    if op.get("op") not in ALLOWED_OPS:
        raise invalid_request(
            f"Operation {index}: only 'add' and 'replace' are supported, not {op.get('op')!r}.",
            target=where,
        )
    if set(op) - _OP_KEYS:
        raise invalid_request(f"Operation {index} has unexpected members.", target=where)
    path = op.get("path")
    if not isinstance(path, str) or not path.startswith("/"):
        raise invalid_request(f"Operation {index} needs a JSON Pointer 'path'.", target=where)
    if "value" not in op:
        raise invalid_request(f"Operation {index} needs a 'value'.", target=where)
    segments = _segments(path, where)
    if segments[0] in READ_ONLY:
        raise invalid_request(f"'/{segments[0]}' is read-only.", target=path)
    check_value(op["value"], schema_at(segments), path, strict=True)
    return {"op": op["op"], "path": path, "value": op["value"]}


def _segments(path: str, where: str) -> list[str]:
    try:
        segments: list[str] = jsonpointer.JsonPointer(path).parts
    except jsonpointer.JsonPointerException as exc:
        raise invalid_request(f"'{path}' is not a valid JSON Pointer.", target=where) from exc
    if not segments or not segments[0]:
        raise invalid_request("The whole referral cannot be replaced by PATCH.", target=where)
    return segments


def apply_operations(document: Mapping[str, Any], ops: list[dict[str, Any]]) -> dict[str, Any]:
    """The after-image of `ops` on a copy of `document`; 400 when a path cannot be applied."""
    try:
        result: dict[str, Any] = jsonpatch.apply_patch(dict(document), ops, in_place=False)
    except (
        jsonpatch.JsonPatchException,
        jsonpointer.JsonPointerException,
        KeyError,
        IndexError,
        TypeError,
    ) as exc:
        raise invalid_request(f"The patch cannot be applied: {exc}", target="body") from exc
    return result

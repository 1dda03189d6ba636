"""JSON Patch operations as the client sends them: refused locally, and checked after the fact.

Partner Center takes only `add` and `replace` (spec §3), so anything else is refused before any
I/O. After an ambiguous failure the client re-reads the referral and asks `document_shows`
whether every operation's value is already there: that is how it tells "my write landed" from
"it did not" without sending a non-idempotent write (`add /team/-`) twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.partner_center.errors import InvalidRequestError

ALLOWED_OPS = frozenset({"add", "replace"})
_MISSING = object()


def checked_operations(operations: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The operations as plain dicts, or InvalidRequestError for anything the API would refuse."""
    if isinstance(operations, str | bytes) or not operations:
        raise _refused("a change needs at least one JSON Patch operation")
    checked = []
    for operation in operations:
        if not isinstance(operation, Mapping):
            raise _refused("every JSON Patch operation must be an object")
        op, path = operation.get("op"), operation.get("path")
        if op not in ALLOWED_OPS:
            raise _refused(f"Partner Center only supports add and replace, not {op!r}")
        if not isinstance(path, str) or not path.startswith("/"):
            raise _refused("every operation needs a JSON Pointer path starting with '/'")
        if "value" not in operation:
            raise _refused(f"the {op} operation on {path} has no value")
        checked.append({"op": op, "path": path, "value": operation["value"]})
    return checked


def _refused(reason: str) -> InvalidRequestError:
    return InvalidRequestError(code="invalidRequest", detail=reason)


def document_shows(document: Mapping[str, Any], operations: Sequence[Mapping[str, Any]]) -> bool:
    """True when the document already holds every operation's value (an append: the member)."""
    return all(_shows(document, operation) for operation in operations)


def _shows(document: Mapping[str, Any], operation: Mapping[str, Any]) -> bool:
    tokens = _tokens(str(operation["path"]))
    parent = _resolve(document, tokens[:-1])
    last = tokens[-1]
    if operation["op"] == "add" and isinstance(parent, list):
        return any(same_value(operation["value"], item) for item in parent)
    current = _child(parent, last)
    return current is not _MISSING and same_value(operation["value"], current)


def _tokens(path: str) -> list[str]:
    return [token.replace("~1", "/").replace("~0", "~") for token in path.split("/")[1:]]


def _resolve(node: Any, tokens: Sequence[str]) -> Any:
    for token in tokens:
        node = _child(node, token)
        if node is _MISSING:
            return _MISSING
    return node


def _child(node: Any, token: str) -> Any:
    if isinstance(node, Mapping):
        return node.get(token, _MISSING)
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    return _MISSING


def same_value(sent: Any, stored: Any) -> bool:
    """Equal as the service stores it: numeric strings as numbers, times as instants.

    Objects compare on the keys that were sent, because the service may fill in defaults.
    """
    if isinstance(sent, Mapping):
        return isinstance(stored, Mapping) and all(
            key in stored and same_value(value, stored[key]) for key, value in sent.items()
        )
    if isinstance(sent, list):
        return (
            isinstance(stored, list)
            and len(sent) == len(stored)
            and all(same_value(a, b) for a, b in zip(sent, stored, strict=True))
        )
    if sent == stored and type(sent) is type(stored):
        return True
    return _same_number(sent, stored) or _same_instant(sent, stored)


def _same_number(sent: Any, stored: Any) -> bool:
    left, right = _as_decimal(sent), _as_decimal(stored)
    return left is not None and right is not None and left == right


def _as_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _same_instant(sent: Any, stored: Any) -> bool:
    left, right = _as_instant(sent), _as_instant(stored)
    return left is not None and right is not None and left == right


def _as_instant(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else None
    if not isinstance(value, str) or "T" not in value:
        return None
    text = value.strip()
    head, _, fraction = text.partition(".")
    if fraction:  # Python reads at most 6 fractional digits; the service sends up to 7
        digits = len(fraction) - len(fraction.lstrip("0123456789"))
        text = f"{head}.{fraction[: min(digits, 6)]}{fraction[digits:]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None

"""The JSON codec of the SQLite store: jsonpickle (as botbuilder's CosmosDB store), restricted.

Bot state holds objects, not only JSON: dialog stacks (botbuilder classes), frozen dataclasses and
enums of our own, datetimes (OAuthPrompt's expiry), Decimals. jsonpickle round-trips them, but its
decoder would import and call any class named in the document. Only we write the store, yet a
tampered or corrupt file must not run code: before decoding, every class reference is checked
against an allowlist and every jsonpickle tag that could call a function or eval text is refused.
"""

from __future__ import annotations

import json
from typing import Any

import jsonpickle  # type: ignore[import-untyped]  # no stubs; pyproject is the lead's

from bot.state.errors import UnsafeStateError

_ALLOWED_MODULES = ("botbuilder.", "botframework.", "bot.", "dialogs.")
_ALLOWED_CLASSES = frozenset(
    {
        "datetime.datetime",
        "datetime.date",
        "datetime.time",
        "datetime.timedelta",
        "datetime.timezone",
        "decimal.Decimal",
        "uuid.UUID",
    }
)
# A datetime in a seller's time zone pickles its zone as ZoneInfo._unpickle(key, 1), which only
# loads that zone (ZoneInfo refuses keys that are paths); no other function is ever called.
_ALLOWED_FUNCTIONS = frozenset({"zoneinfo.ZoneInfo._unpickle"})
_CLASS_TAGS = frozenset({"py/object", "py/type"})
_PLAIN_TAGS = frozenset({"py/reduce", "py/tuple", "py/set", "py/id", "py/state", "py/newargs"})
_PLAIN_TAGS = _PLAIN_TAGS | {"py/newargsex", "py/seq", "py/b64", "py/b85", "py/bytes"}


def encode(value: object) -> str:
    encoded: str = jsonpickle.encode(value, keys=False, warn=True)
    return encoded


def decode(text: str) -> Any:
    """Decode a document written by `encode`; refuse anything that could run arbitrary code."""
    _check(json.loads(text))
    # S301: every class reference was checked against the allowlist just above.
    return jsonpickle.decode(text, keys=False, safe=True, on_missing="error")  # noqa: S301


def _check(node: object) -> None:
    if isinstance(node, list):
        for item in node:
            _check(item)
    elif isinstance(node, dict):
        for key, item in node.items():
            _check_key(key, item)
            _check(item)


def _check_key(key: str, item: object) -> None:
    if key.startswith("json://"):
        raise UnsafeStateError("encoded dictionary keys are not accepted")
    if not key.startswith("py/"):
        return
    if key in _CLASS_TAGS:
        if not (isinstance(item, str) and _allowed_class(item)):
            raise UnsafeStateError(f"class not allowed in stored state: {item!r:.80}")
    elif key == "py/function" and item in _ALLOWED_FUNCTIONS:
        return
    elif key not in _PLAIN_TAGS:
        raise UnsafeStateError(f"tag not allowed in stored state: {key!r:.40}")


def _allowed_class(name: str) -> bool:
    return name in _ALLOWED_CLASSES or name.startswith(_ALLOWED_MODULES)

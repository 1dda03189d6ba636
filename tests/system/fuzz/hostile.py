"""Hostile bodies for `/api/messages`: a table of named cases and the memory probe."""

from __future__ import annotations

import gzip
import json
import os
import zlib
from typing import Any

from tests.support.activities import card_invoke_payload, message_payload

MiB = 1024 * 1024
Case = tuple[str, bytes, str]  # name, body, content type
JSON = "application/json"


def _dump(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def _message(**fields: Any) -> dict[str, Any]:
    return {**message_payload("show 123"), **fields}


def _without(payload: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in payload.items() if key not in keys}


def _invoke(**value: Any) -> dict[str, Any]:
    return {**card_invoke_payload("confirm", {"pendingId": "x"}), **value}


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _wrong_types() -> list[Case]:
    fields: list[tuple[str, Any]] = [
        ("from", "a string"),
        ("entities", {"type": "mention"}),
        ("value", [1, 2]),
        ("conversation", "a string"),
        ("recipient", 7),
        ("channelData", ["x"]),
        ("text", {"a": 1}),
        ("type", 12),
        ("id", {"id": 1}),
        ("timestamp", "yesterday"),
        ("attachments", "nope"),
        ("serviceUrl", 5),
        ("entities", [None, 1, "x", {"type": "mention", "mentioned": "bot"}]),
        ("channelData", {"tenant": "t", "team": 5}),
        ("locale", ["en"]),
    ]
    return [(f"wrong type: {key}", _dump(_message(**{key: v})), JSON) for key, v in fields]


def _invokes() -> list[Case]:
    junk: list[tuple[str, dict[str, Any]]] = [
        ("no name", {"name": None}),
        ("unknown name", {"name": "x/unknown"}),
        ("value a list", {"value": [1]}),
        ("value a string", {"value": "x"}),
        ("verb an int", {"value": {"action": {"verb": 5, "data": {}}}}),
        ("data a list", {"value": {"action": {"verb": "confirm", "data": [1]}}}),
        ("unknown verb", {"value": {"action": {"verb": "drop-table", "data": {}}}}),
        (
            "huge pending id",
            {"value": {"action": {"verb": "confirm", "data": {"pendingId": "p" * 500_000}}}},
        ),
        (
            "pending id an object",
            {"value": {"action": {"verb": "confirm", "data": {"pendingId": {"$gt": ""}}}}},
        ),
        ("sign-in verify junk", {"name": "signin/verifyState", "value": [None]}),
        ("sign-in exchange junk", {"name": "signin/tokenExchange", "value": {"token": 5}}),
    ]
    return [(f"invoke: {name}", _dump(_invoke(**fields)), JSON) for name, fields in junk]


def _sizes_and_shapes() -> list[Case]:
    message = message_payload("show 123")
    return [
        ("empty body", b"", JSON),
        ("not JSON", b"{", JSON),
        ("JSON null", b"null", JSON),
        ("JSON list", b"[]", JSON),
        ("JSON string", b'"x"', JSON),
        ("bad utf-8", b"\xff\xfe{}", JSON),
        ("no content type", _dump(message), ""),
        ("text/plain", _dump(message), "text/plain"),
        ("deep nesting body", _nested(10_000).encode(), JSON),
        (
            "deep nesting value",
            _dump(_message())[:-1] + b', "value": ' + _nested(10_000).encode() + b"}",
            JSON,
        ),
        (
            "deep nesting dict",
            b'{"type":"message","value":' + b'{"a":' * 10_000 + b"1" + b"}" * 10_001,
            JSON,
        ),
        (
            "huge entities",
            _dump(_message(entities=[{"type": "mention", "text": "<at>x</at>"}] * 20_000)),
            JSON,
        ),
        ("text of 1 MiB", _dump(_message(text="mark 123 won " * (MiB // 13))), JSON),
        ("text just under 1 MiB", _dump(_message(text="w" * (MiB - 2048))), JSON),
        ("body over 1 MiB", b" " * (MiB + 1) + _dump(message), JSON),
        ("body of 8 MiB", b"[" + b"0," * (4 * MiB) + b"0]", JSON),
        ("missing conversation", _dump(_without(message, "conversation")), JSON),
        ("missing serviceUrl", _dump(_without(message, "serviceUrl")), JSON),
        ("missing type", _dump(_without(message, "type")), JSON),
        (
            "unicode garbage",
            _dump(_message(text="\u202e\u0000\ud800\uffff<at>x</at>\U0001f4a9" * 500)),
            JSON,
        ),
        ("lone surrogate escapes", b'{"type":"message","text":"\\ud800\\udfff\\udc00"}', JSON),
        ("conversation id huge", _dump(_message(conversation={"id": "c" * 500_000})), JSON),
        ("unknown activity type", _dump(_message(type="x" * 10_000)), JSON),
        (
            "conversationUpdate junk",
            _dump(_message(type="conversationUpdate", membersAdded=[1, "x"])),
            JSON,
        ),
    ]


def hostile_cases() -> list[Case]:
    cases = [*_sizes_and_shapes(), *_wrong_types(), *_invokes()]
    return [(name, body, kind) for name, body, kind in cases]


def encoding_cases() -> list[Case]:
    """(name, body, Content-Encoding): bodies that are not what their encoding header says.

    Issue 13, D5: `Content-Encoding: gzip` on a plain body was a 500 with a 45-line traceback.
    """
    message = _dump(message_payload("show 123"))
    return [
        ("gzip header, plain body", message, "gzip"),
        ("deflate header, plain body", message, "deflate"),
        ("gzip header, truncated gzip", gzip.compress(message)[:-12], "gzip"),
        ("gzip header, deflate body", zlib.compress(message), "gzip"),
        ("gzip header, gzip of junk then junk", gzip.compress(b"x") + b"junk", "gzip"),
        ("br header, plain body (no brotli decoder installed)", message, "br"),
    ]


def gzipped_message(service_url: str) -> bytes:
    """A valid gzip body: still accepted (the control for `encoding_cases`)."""
    return gzip.compress(_dump({**message_payload("show 123"), "serviceUrl": service_url}))


def rss_bytes() -> int:
    """Resident set size of this process (the bot runs in it), from /proc/self/statm."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

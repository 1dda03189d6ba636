"""bot.inbound.body.decode_activity: the same Activity as msrest's own decoding, within limits."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp import web
from botbuilder.schema import Activity

from bot.inbound.body import MAX_CONTAINERS, MAX_DEPTH, decode_activity
from tests.support.activities import card_invoke_payload, message_payload

CARD = {"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "x"}], "version": "1.5"}
TEAMS_SHAPED: list[dict[str, Any]] = [
    message_payload("mark 123 won"),
    message_payload("hi", mention=True),
    card_invoke_payload("confirm", {"pendingId": "p-1", "n": [1, 2.5, True, None, "é"]}),
    message_payload("x")
    | {
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": CARD},
            {"contentType": "text/html", "content": "<p>x</p>"},
        ],
        # orjson keeps integers up to 64 bits exact; larger ones become floats (as they are
        # in the JavaScript that produces Teams activities): msrest's copy would keep them.
        "value": {"a": [{"b": {"c": [1, {"d": None}]}}], "big": 2**63},
        "membersAdded": [{"id": "29:1", "name": "A"}, {"id": "28:bot"}],
        "channelData": {"tenant": {"id": "t"}, "eventType": "teamMemberAdded", "x": [[]]},
        "timestamp": "2026-12-06T20:00:00.123Z",
        "localTimestamp": "2026-12-06T21:00:00.123+01:00",
    },
]


def _stock(raw: bytes) -> Any:
    return Activity().deserialize(json.loads(raw)).serialize()


@pytest.mark.parametrize("payload", TEAMS_SHAPED, ids=range(len(TEAMS_SHAPED)))
def test_decoding_gives_what_msrest_gives(payload: dict[str, Any]) -> None:
    raw = json.dumps(payload).encode()

    decoded = decode_activity(raw)

    assert type(decoded) is Activity
    assert decoded.serialize() == _stock(raw)
    assert decoded.value == payload.get("value")
    assert decoded.channel_data == payload.get("channelData")


def _with_value(value: Any) -> bytes:
    return json.dumps(message_payload("x") | {"value": value}).encode()


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


def _refused(raw: bytes) -> int:
    with pytest.raises(web.HTTPException) as refused:
        decode_activity(raw)
    return refused.value.status


def test_nesting_is_limited() -> None:
    top = 1  # the activity itself is one level
    assert decode_activity(_with_value(_nested(MAX_DEPTH - top))).value is not None
    assert _refused(_with_value(_nested(MAX_DEPTH - top + 1))) == 400
    assert _refused(b"[" * 5000 + b"]" * 5000) == 400


def _containers(node: Any) -> int:
    if isinstance(node, dict):
        return 1 + sum(_containers(item) for item in node.values())
    if isinstance(node, list):
        return 1 + sum(_containers(item) for item in node)
    return 0


def test_the_number_of_objects_and_arrays_is_limited() -> None:
    room = MAX_CONTAINERS - _containers(message_payload("x")) - 1  # the value list is one
    assert len(decode_activity(_with_value([{}] * room)).value) == room
    assert _refused(_with_value([{}] * (room + 1))) == 400
    assert _refused(json.dumps(message_payload("x") | {"entities": [{}] * 50_000}).encode()) == 400


def test_a_big_flat_value_is_kept_as_parsed() -> None:
    value = list(range(50_000))

    assert decode_activity(_with_value(value)).value == value


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b"null", b"[]", b'"x"', b"\xff\xfe{}", b'{"type": "message"}', b"NaN"],
)
def test_what_is_not_an_activity_is_400(raw: bytes) -> None:
    assert _refused(raw) == 400

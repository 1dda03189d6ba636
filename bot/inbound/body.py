"""An activity's body read and decoded with bounded cost; called only after the token is checked.

Issue 13, D1: the whole body used to be parsed with `json` and walked node by node by msrest
(`Deserializer.deserialize_object`) before the token was looked at; a 1 MiB `value` array cost
2.6-2.8 s of CPU on the event loop. Now `bot.inbound.adapter` verifies the token from the header
first
and only then comes here, where every step is bounded:

- Size: `DEFAULT_BODY_LIMIT` = 256 KiB (`REFERRAL_BOT_INBOUND__BODY_LIMIT_BYTES`). Teams caps
  what a user or a card can send at about 28 KB (message text, card payload); an activity's
  envelope (from, recipient, conversation, channelData, entities, a card action's `value`)
  adds a few KB. 256 KiB leaves about 9x headroom over the largest legitimate activity while
  keeping the worst decode to milliseconds. A larger declared Content-Length is refused (413)
  before a byte of the body is read; a chunked or compressed body is counted as it arrives.
- Time: the body must arrive within `read_timeout` seconds (D8), else 408 and the connection
  is closed.
- Shape: orjson (C, about 4x faster than `json` here, and it refuses nesting beyond 1,024
  levels instead of exhausting the recursion limit), then at most `MAX_DEPTH` levels and
  `MAX_CONTAINERS` objects and arrays: Teams activities have a few dozen of each and a handful
  of levels (a message with 100 mentions has about 200 objects); the count bounds what msrest
  builds models for: 65,000 `{}` attachments fit in 256 KiB and took 0.8 s as msrest models,
  1,000 take about 6 ms. The whole decode of any body within these limits measured <= 7 ms.
- msrest: fields typed `object` (`value`, `channelData`, an attachment's `content`, …) are
  already plain JSON from orjson; they are kept as they are instead of being copied node by
  node (msrest's walk returns an equal copy: same types, same values).

Errors: reading fails with one type, `Unreadable`, carrying the HTTP answer (413, 408, 400);
a body that reads but is not an activity is a 400 from `decode_activity`. The inbound boundary
has one more, `bot.inbound.channel_token.Unauthorized` (401): a different answer, its own type.
"""

from __future__ import annotations

import asyncio
import json
from itertools import compress
from typing import Any

import orjson
from aiohttp import web
from aiohttp.http_exceptions import BadHttpMessage
from botbuilder.schema import Activity
from msrest.serialization import Deserializer

DEFAULT_BODY_LIMIT = 256 * 1024
DEFAULT_READ_TIMEOUT = 10.0
MAX_DEPTH = 64
MAX_CONTAINERS = 1_000


def bad_request(reason: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps({"error": reason}), content_type="application/json")


def too_large(limit: int) -> web.HTTPRequestEntityTooLarge:
    return web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=limit + 1)


class Unreadable(Exception):
    """The body cannot be taken (too large, too slow, not in its declared encoding): answer
    `answer`, then close the connection unread (aiohttp would drain it for up to 10 s)."""

    def __init__(self, answer: web.HTTPException) -> None:
        super().__init__(answer.status)
        self.answer = answer


async def read_body(request: web.Request, *, limit: int, within: float) -> bytes:
    """At most `limit` bytes (after any Content-Encoding), within `within` seconds."""
    declared = request.content_length
    if declared is not None and declared > limit:
        raise Unreadable(too_large(limit))
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(within):
            while chunk := await request.content.readany():
                size += len(chunk)
                if size > limit:
                    raise Unreadable(too_large(limit))
                chunks.append(chunk)
    except TimeoutError:
        raise Unreadable(web.HTTPRequestTimeout()) from None
    except (web.RequestPayloadError, BadHttpMessage):  # e.g. gzip declared, not sent (D5)
        raise Unreadable(bad_request("the body is not in its declared encoding")) from None
    return b"".join(chunks)


def decode_activity(raw: bytes) -> Activity:
    """The activity in `raw`, or a 400 saying what is wrong with it."""
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:  # also bad UTF-8 and nesting beyond 1,024 levels
        raise bad_request("the body is not JSON") from None
    if not isinstance(body, dict):
        raise bad_request("the body is not an activity")
    check_shape(body)
    try:
        deserializer = _JsonActivityDeserializer(_MODELS)  # type: ignore[no-untyped-call]
        activity = deserializer("Activity", body)
    except Exception:  # msrest raises several types for malformed fields
        raise bad_request("the activity is malformed") from None
    if not isinstance(activity, Activity):
        raise bad_request("the activity is malformed")
    if not activity.type or not activity.service_url or not activity.conversation:
        raise bad_request("the activity needs type, serviceUrl and conversation")
    return activity


def check_shape(body: Any) -> None:
    """At most MAX_DEPTH levels and MAX_CONTAINERS objects/arrays, walked without recursion."""
    containers = 0
    level: list[Any] = [body]
    depth = 0
    while level:
        depth += 1
        containers += len(level)
        if depth > MAX_DEPTH:
            raise bad_request("the body is nested too deeply")
        if containers > MAX_CONTAINERS:
            raise bad_request("the body has too many objects")
        below: list[Any] = []
        for node in level:
            items = node.values() if type(node) is dict else node
            # the containers among `items`, picked in C: a 256 KiB array of numbers takes ~1 ms
            below.extend(compress(items, map(_CONTAINERS.__contains__, map(type, items))))
            if len(below) > MAX_CONTAINERS:
                raise bad_request("the body has too many objects")
        level = below


_CONTAINERS = frozenset({dict, list})
_MODELS = Activity._infer_class_models()


class _JsonActivityDeserializer(Deserializer):
    """msrest's deserializer for data that came from a JSON parser: `object` fields kept as is."""

    def deserialize_object(self, attr: Any, **kwargs: Any) -> Any:
        return attr

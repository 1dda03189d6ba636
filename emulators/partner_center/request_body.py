"""Reading a write's JSON body the way the service would refuse it: 415, 413, then 400."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from emulators.partner_center.errors import invalid_request

MAX_BODY_BYTES = 1024 * 1024


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def read_json(
    request: web.Request, *, media_types: tuple[str, ...] = ("application/json",)
) -> Any:
    if request.content_type not in media_types:
        raise invalid_request(
            f"The Content-Type must be {' or '.join(media_types)}.",
            target="Content-Type",
            status=415,
        )
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise _too_large()
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge as exc:
        raise _too_large() from exc
    if len(raw) > MAX_BODY_BYTES:
        raise _too_large()
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except (ValueError, RecursionError) as exc:
        raise invalid_request("The body is not valid JSON.", target="body") from exc


def _too_large() -> Exception:
    return invalid_request(
        f"The body is larger than {MAX_BODY_BYTES} bytes.", target="body", status=413
    )


def prefers_representation(request: web.Request) -> bool:
    """`Prefer: return=representation`, possibly among other preferences."""
    preferences = request.headers.getall("Prefer", [])
    tokens = (
        token.strip().casefold()
        for header in preferences
        for item in header.split(",")
        for token in item.split(";")
    )
    return "return=representation" in tokens

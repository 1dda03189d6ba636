"""What a client sent an emulator, kept so tests can assert on it (opsdroid's recording mock idea).

Generic over any aiohttp app: the caller decides which requests to keep. Secrets never land in
the record: `Authorization` keeps only its scheme, and form fields that carry credentials
(`client_secret`, `assertion`, ...) are replaced by `<redacted>`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

REDACTED = "<redacted>"
KEPT_HEADERS = (
    "If-Match",
    "Prefer",
    "MS-CorrelationId",
    "MS-RequestId",
    "Content-Type",
    "Accept",
)
SECRET_FORM_FIELDS = frozenset(
    {
        "client_secret",
        "client_assertion",
        "assertion",
        "refresh_token",
        "code",
        "code_verifier",
        "password",
    }
)


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    at: str
    fault: str | None = None
    status: int | None = None  # None while running, and when no answer was ever sent

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "body": self.body,
            "status": self.status,
            "at": self.at,
            "fault": self.fault,
        }


def kept_headers(headers: Mapping[str, str]) -> dict[str, str]:
    kept = {name: headers[name] for name in KEPT_HEADERS if name in headers}
    authorization = headers.get("Authorization")
    if authorization is not None:
        scheme = authorization.split(" ", 1)[0] or "?"
        kept["Authorization"] = f"{scheme} {REDACTED}"
    return kept


def parse_body(raw: bytes, content_type: str) -> Any:
    """JSON when it parses, a (redacted) dict for forms, text otherwise; None when empty."""
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    if content_type == "application/x-www-form-urlencoded":
        return {
            key: REDACTED if key in SECRET_FORM_FIELDS else value
            for key, value in parse_qsl(text, keep_blank_values=True)
        }
    try:
        return json.loads(text)
    except ValueError:
        return text


class RequestRecorder:
    """Keeps requests in arrival order; read them back filtered by method and path glob."""

    def __init__(self) -> None:
        self._entries: list[RecordedRequest] = []

    async def record(
        self,
        request: web.Request,
        *,
        headers: Mapping[str, str] | None = None,
        fault: str | None = None,
    ) -> RecordedRequest:
        """Record `request` (reading its body, which stays readable for the handler).

        A body aiohttp refuses to read (too large) is recorded as null with the refusal's status,
        and the refusal is raised on.
        """
        entry = RecordedRequest(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            headers=kept_headers(request.headers if headers is None else headers),
            body=None,
            at=datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            fault=fault,
        )
        self._entries.append(entry)
        try:
            entry.body = parse_body(await request.read(), request.content_type)
        except web.HTTPException as exc:
            entry.status = exc.status
            raise
        return entry

    def entries(
        self, *, method: str | None = None, path: str | None = None
    ) -> list[RecordedRequest]:
        return [
            entry
            for entry in self._entries
            if (method is None or entry.method == method.upper())
            and (path is None or fnmatchcase(entry.path, path))
        ]

    def clear(self) -> None:
        self._entries.clear()

"""Error answers in the spec's shape (§7), so clients are tested against what they must parse.

Every error body is `{"error": {"code", "message", "target", "innerError": {"code", "message"}}}`.
Clients key off `code` and the status, never `message`.

**Decision:** the spec names no codes for 405, 413 and 415; the emulator answers them with
`invalidRequest` (the request itself is wrong) and a `target` naming what is wrong. The inner
code is the HTTP status as a string, except 412 whose inner code the seed document fixes (99918).
"""

from __future__ import annotations

import math
from typing import Any

from aiohttp import web


class ApiError(Exception):
    """An answer the emulator gives on purpose; raised anywhere, rendered by the middleware."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        target: str,
        inner_code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.target = target
        self.inner_code = inner_code or str(status)
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "target": self.target,
                "innerError": {"code": self.inner_code, "message": self.message},
            }
        }

    def response(self) -> web.Response:
        return web.json_response(self.body(), status=self.status, headers=self.headers)


def invalid_request(message: str, *, target: str, status: int = 400) -> ApiError:
    return ApiError(status, "invalidRequest", message, target=target)


def not_found(referral_id: str) -> ApiError:
    return ApiError(404, "itemNotFound", f"Referral '{referral_id}' was not found.", target="id")


def precondition_failed() -> ApiError:
    return ApiError(
        412,
        "preconditionFailed",
        "The referral was changed since it was read; the If-Match ETag does not match.",
        target="ETag",
        inner_code="99918",
    )


def unauthenticated(message: str) -> ApiError:
    return ApiError(
        401,
        "unauthenticated",
        message,
        target="Authorization",
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def access_denied(message: str) -> ApiError:
    return ApiError(403, "accessDenied", message, target="Authorization")


def general_exception() -> ApiError:
    return ApiError(500, "generalException", "An unexpected error occurred.", target="service")


def throttled_response(retry_after_seconds: float) -> web.Response:
    """429 as the spec shows it: its own body shape, and Retry-After in whole seconds (≥ 1)."""
    seconds = max(1, math.ceil(retry_after_seconds))
    body = {
        "statusCode": 429,
        "message": f"Rate limit is exceeded. Try again in {seconds} seconds.",
    }
    return web.json_response(body, status=429, headers={"Retry-After": str(seconds)})

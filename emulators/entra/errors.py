"""Entra-shaped OAuth errors: what the token endpoint answers when it says no.

Handlers raise `EntraError`; the app's middleware renders it the way Entra does: JSON with
`error`, an `error_description` starting `AADSTSnnnn: …`, `error_codes`, `timestamp`,
`trace_id`, `correlation_id` (the caller's `client-request-id` when it sent one), `error_uri`,
and `suberror` / `claims` when they apply. Clients key off `error`, `suberror` and
`error_codes`, never the description text.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from aiohttp import web


class EntraError(Exception):
    """One OAuth error answer (RFC 6749 §5.2) with Entra's extra fields."""

    def __init__(
        self,
        error: str,
        code: int,
        message: str,
        *,
        status: int = 400,
        suberror: str | None = None,
        claims: str | None = None,
    ) -> None:
        super().__init__(f"AADSTS{code}: {message}")
        self.error = error
        self.code = code
        self.message = message
        self.status = status
        self.suberror = suberror
        self.claims = claims

    def body(self, *, base_url: str, correlation_id: str) -> dict[str, Any]:
        trace_id = str(uuid.uuid4())
        timestamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
        body: dict[str, Any] = {
            "error": self.error,
            "error_description": (
                f"AADSTS{self.code}: {self.message}\r\nTrace ID: {trace_id}\r\n"
                f"Correlation ID: {correlation_id}\r\nTimestamp: {timestamp}"
            ),
            "error_codes": [self.code],
            "timestamp": timestamp,
            "trace_id": trace_id,
            "correlation_id": correlation_id,
            "error_uri": f"{base_url}/error?code={self.code}",
        }
        if self.suberror is not None:
            body["suberror"] = self.suberror
        if self.claims is not None:
            body["claims"] = self.claims
        return body


def render_error(error: EntraError, request: web.Request, base_url: str) -> web.Response:
    correlation_id = request.headers.get("client-request-id") or str(uuid.uuid4())
    body = error.body(base_url=base_url, correlation_id=correlation_id)
    return web.json_response(
        body,
        status=error.status,
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


def missing_parameter(name: str) -> EntraError:
    return EntraError(
        "invalid_request",
        900144,
        f"The request body must contain the following parameter: '{name}'.",
    )


def invalid_assertion(reason: str) -> EntraError:
    return EntraError("invalid_grant", 50013, f"Assertion failed signature validation. {reason}")


def expired_assertion() -> EntraError:
    return EntraError(
        "invalid_grant",
        500133,
        "Assertion is not within its valid time range. Ensure that the access token is not "
        "expired before using it for user assertion, or request a new token.",
    )


def foreign_audience() -> EntraError:
    return EntraError(
        "invalid_grant",
        500131,
        "Assertion audience does not match the Client app presenting the assertion.",
    )


def user_not_found() -> EntraError:
    return EntraError("invalid_grant", 50034, "The user account does not exist in the directory.")


def user_disabled() -> EntraError:
    return EntraError("invalid_grant", 50057, "The user account is disabled.")


def consent_required(client_id: str, resource: str) -> EntraError:
    return EntraError(
        "interaction_required",
        65001,
        f"The user or administrator has not consented to use the application with ID "
        f"'{client_id}'. Send an interactive authorization request for this user and "
        f"resource '{resource}'.",
        suberror="consent_required",
    )


def mfa_required(resource: str, claims: str) -> EntraError:
    return EntraError(
        "interaction_required",
        50076,
        "Due to a configuration change made by your administrator, or because you moved to "
        f"a new location, you must use multi-factor authentication to access '{resource}'.",
        claims=claims,
    )


def invalid_scope(scope: str) -> EntraError:
    return EntraError(
        "invalid_scope",
        70011,
        f"The provided value for the input parameter 'scope' is not valid. "
        f"The scope '{scope}' is not valid.",
    )

"""One HTTP exchange with Partner Center: headers, per-attempt timeout, error mapping, one log line.

Kept apart from `client.py` so the client reads as "what each call means" and this module as
"how one request goes over the wire". Never logs the Authorization header, the token, bodies, or
query values (a `$filter` may hold a customer's name or a seller's email).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from yarl import URL

from bot.domain.assertion import AccessTokenProvider, UserAssertion
from bot.domain.referral import Referral, Versioned
from bot.partner_center.errors import (
    PartnerCenterError,
    UnavailableError,
    UnexpectedResponseError,
    error_from_response,
)
from bot.partner_center.retry import Deadline, RetryPolicy
from bot.partner_center.wire import Page, load_json, page_from_json, versioned_from_json

logger = logging.getLogger(__name__)

JSON = "application/json"
_LOGGED_QUERY_VALUES = frozenset({"$top", "$skip", "$count"})
MAX_RESPONSE_BYTES = 8 * 1024 * 1024  # what one answer may hold (docs/referrals-api.md)


def new_guid() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Call:
    """One logical call: for whom, under which correlation id, one request id for its retries."""

    user: UserAssertion
    correlation_id: str
    request_id: str
    deadline: Deadline


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes = field(repr=False)
    call: Call

    def json(self) -> Any:
        try:
            return load_json(self.body)
        except ValueError as exc:
            raise self.unreadable() from exc

    def versioned(self) -> Versioned[Referral]:
        try:
            return versioned_from_json(self.json(), self.headers.get("ETag"))
        except ValueError as exc:
            raise self.unreadable() from exc

    def page(self) -> Page:
        try:
            return page_from_json(self.json())
        except ValueError as exc:
            raise self.unreadable() from exc

    def unreadable(self) -> UnexpectedResponseError:
        return UnexpectedResponseError(
            status_code=self.status,
            code="unreadableResponse",
            request_id=self.headers.get("Request-ID"),
            correlation_id=self.call.correlation_id,
        )


class Transport:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        tokens: AccessTokenProvider,
        policy: RetryPolicy,
    ) -> None:
        self._session = session
        self._tokens = tokens
        self._policy = policy

    async def send(
        self,
        call: Call,
        method: str,
        url: URL,
        *,
        attempt: int,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """Send once; a 2xx comes back as a Reply, anything else as a PartnerCenterError."""
        timeout = self._policy.attempt_timeout_within(call.deadline)
        token = await self._tokens.get_token(call.user)
        sent = {
            "Authorization": f"Bearer {token}",
            "Accept": JSON,
            "MS-CorrelationId": call.correlation_id,
            "MS-RequestId": call.request_id,
            **(headers or {}),
        }
        started, status = self._policy.clock(), None
        try:
            async with self._session.request(
                method,
                url,
                headers=sent,
                data=body,
                timeout=aiohttp.ClientTimeout(total=timeout),
                allow_redirects=False,
            ) as response:
                status = response.status
                reply = Reply(status, response.headers, await _bounded_body(response, call), call)
        except TimeoutError as exc:
            raise _unavailable("timeout", call) from exc
        except aiohttp.ClientError as exc:
            raise _unavailable("connectionError", call) from exc
        finally:
            self._log(call, method, url, status, attempt, started)
        if not 200 <= reply.status < 300:
            raise error_from_response(
                reply.status, reply.headers, reply.body, correlation_id=call.correlation_id
            )
        return reply

    def _log(
        self, call: Call, method: str, url: URL, status: int | None, attempt: int, started: float
    ) -> None:
        if not logger.isEnabledFor(logging.INFO):  # its arguments cost more than the check
            return
        logger.info(
            "partner_center.request %s %s status=%s attempt=%d correlation_id=%s "
            "request_id=%s elapsed_ms=%.0f",
            method,
            loggable(url),
            status if status is not None else "-",
            attempt,
            call.correlation_id,
            call.request_id,
            (self._policy.clock() - started) * 1000,
        )


async def _bounded_body(response: aiohttp.ClientResponse, call: Call) -> bytes:
    """The body, refused past `MAX_RESPONSE_BYTES`: a page of 100 referrals is well under 1 MiB,
    so anything near the limit is a fault, and reading it whole would only cost memory."""
    declared = response.content_length
    if declared is not None and declared <= MAX_RESPONSE_BYTES:
        return await response.read()
    if declared is not None:
        raise _too_large(response.status, call)
    body = bytearray()
    async for chunk in response.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > MAX_RESPONSE_BYTES:
            raise _too_large(response.status, call)
    return bytes(body)


def _too_large(status: int, call: Call) -> PartnerCenterError:
    return UnexpectedResponseError(
        status_code=status, code="responseTooLarge", correlation_id=call.correlation_id
    )


def _unavailable(code: str, call: Call) -> PartnerCenterError:
    return UnavailableError(code=code, correlation_id=call.correlation_id)


def loggable(url: URL) -> str:
    """The path, and the query with its values masked unless they are plain paging numbers."""
    if not url.query:
        return url.raw_path
    pairs = [
        f"{key}={value if key in _LOGGED_QUERY_VALUES else '…'}" for key, value in url.query.items()
    ]
    return f"{url.raw_path}?{'&'.join(pairs)}"

"""What can go wrong talking to Partner Center, as types the bot can act on.

    PartnerCenterError              anything from this client; carries the ids support will ask for
    ├── UnauthenticatedError        401: token missing, expired, or without MFA
    ├── ForbiddenError              403: no Referral Admin / Referral User / Global Admin role
    ├── NotFoundError               404: unknown id, or hidden from a Referral User
    ├── PreconditionFailedError     412 (or 409, the same meaning): the referral changed since
    │                                 it was read (If-Match); re-read and ask again
    ├── InvalidRequestError         400, 413, 415 and other 4xx; also refused locally before I/O
    ├── ThrottledError              429: `retry_after` seconds
    ├── UnavailableError            5xx, timeouts, dropped connections, deadline exceeded
    │   └── WriteNotAppliedError    a failed write provably did not land (safe to send again)
    └── UnexpectedResponseError     a success answer this client cannot read

Classes are chosen by HTTP status and the service's error `code`, never by its message text.
No error here holds a sentence for a seller: `bot.referrals.errors` turns each into the
`bot.domain.errors` tree, whose sentences are the ones a seller reads. `detail` is our own
reason for a request refused before any I/O, for the log only (the service's text is never kept:
it may hold details that are not the seller's to see).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any


class PartnerCenterError(Exception):
    def __init__(
        self,
        *,
        status_code: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        correlation_id: str | None = None,
        target: str | None = None,
        retry_after: float | None = None,
        detail: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.code = code
        self.request_id = request_id
        self.correlation_id = correlation_id
        self.target = target
        self.retry_after = retry_after
        self.detail = detail
        super().__init__(self._summary())

    def _summary(self) -> str:
        parts = {
            "status": self.status_code,
            "code": self.code,
            "target": self.target,
            "request_id": self.request_id,
            "correlation_id": self.correlation_id,
            "detail": None if self.detail is None else repr(self.detail),
        }
        return " ".join(f"{key}={value}" for key, value in parts.items() if value is not None)


class UnauthenticatedError(PartnerCenterError):
    pass


class ForbiddenError(PartnerCenterError):
    pass


class NotFoundError(PartnerCenterError):
    pass


class PreconditionFailedError(PartnerCenterError):
    pass


class InvalidRequestError(PartnerCenterError):
    pass


class ThrottledError(PartnerCenterError):
    pass


class UnavailableError(PartnerCenterError):
    pass


class WriteNotAppliedError(UnavailableError):
    pass


class UnexpectedResponseError(PartnerCenterError):
    pass


_BY_STATUS: Mapping[int, type[PartnerCenterError]] = {
    400: InvalidRequestError,
    401: UnauthenticatedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: PreconditionFailedError,
    412: PreconditionFailedError,
    413: InvalidRequestError,
    415: InvalidRequestError,
    429: ThrottledError,
}
_BY_CODE: Mapping[str, type[PartnerCenterError]] = {
    "unauthenticated": UnauthenticatedError,
    "accessDenied": ForbiddenError,
    "itemNotFound": NotFoundError,
    "preconditionFailed": PreconditionFailedError,
    "invalidRequest": InvalidRequestError,
}


def error_class(status_code: int, code: str | None) -> type[PartnerCenterError]:
    """The status decides; the code only refines a 4xx status this table does not name."""
    if status_code >= 500:
        return UnavailableError
    by_status = _BY_STATUS.get(status_code)
    if by_status is not None:
        return by_status
    by_code = _BY_CODE.get(code or "")
    if by_code is not None and 400 <= status_code < 500:
        return by_code
    return InvalidRequestError if 400 <= status_code < 500 else PartnerCenterError


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header; None when absent or not a sane number."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _error_fields(body: bytes) -> tuple[str | None, str | None]:
    """`code` and `target` of the spec's error body; (None, None) for anything else."""
    try:
        parsed: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None, None
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if not isinstance(error, dict):
        return None, None
    code, target = error.get("code"), error.get("target")
    return (
        code if isinstance(code, str) else None,
        target if isinstance(target, str) else None,
    )


def error_from_response(
    status_code: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    correlation_id: str | None,
) -> PartnerCenterError:
    """The exception for one failed HTTP answer; malformed bodies still map by status."""
    code, target = _error_fields(body)
    retry_after = parse_retry_after(headers.get("Retry-After"))
    return error_class(status_code, code)(
        status_code=status_code,
        code=code,
        request_id=headers.get("Request-ID"),
        correlation_id=headers.get("MS-CorrelationId") or correlation_id,
        target=target,
        retry_after=retry_after,
    )

from __future__ import annotations

import json

import pytest
from multidict import CIMultiDict

from bot.partner_center.errors import (
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
    PartnerCenterError,
    PreconditionFailedError,
    ThrottledError,
    UnauthenticatedError,
    UnavailableError,
    error_class,
    error_from_response,
    parse_retry_after,
)
from bot.referrals.errors import translate

SERVICE_TEXT = "Internal detail: tenant 42 row lock on shard 7"


def service_error(code: str, target: str | None = None) -> bytes:
    error = {
        "code": code,
        "message": SERVICE_TEXT,
        "target": target,
        "innerError": {"code": "99918", "message": SERVICE_TEXT},
    }
    return json.dumps({"error": error}).encode()


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, "invalidRequest", InvalidRequestError),
        (401, "unauthenticated", UnauthenticatedError),
        (403, "accessDenied", ForbiddenError),
        (404, "itemNotFound", NotFoundError),
        (409, "conflict", PreconditionFailedError),
        (412, "preconditionFailed", PreconditionFailedError),
        (413, "invalidRequest", InvalidRequestError),
        (415, "invalidRequest", InvalidRequestError),
        (429, None, ThrottledError),
        (500, "generalException", UnavailableError),
        (502, None, UnavailableError),
        (503, "serviceNotAvailable", UnavailableError),
        (504, None, UnavailableError),
    ],
)
def test_each_documented_status_maps_to_its_error(
    status: int, code: str | None, expected: type[PartnerCenterError]
) -> None:
    body = service_error(code, target="status") if code else b""

    error = error_from_response(status, CIMultiDict(), body, correlation_id="c-1")

    assert type(error) is expected
    assert error.status_code == status
    assert error.code == code


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (422, "itemNotFound", NotFoundError),
        (422, "accessDenied", ForbiddenError),
        (422, "preconditionFailed", PreconditionFailedError),
        (422, "unauthenticated", UnauthenticatedError),
        (422, None, InvalidRequestError),
        (405, "somethingNew", InvalidRequestError),
        (400, "itemNotFound", InvalidRequestError),  # the status decides when it is known
        (403, "unauthenticated", ForbiddenError),
        (500, "itemNotFound", UnavailableError),
        (302, None, PartnerCenterError),
    ],
)
def test_the_code_only_refines_statuses_the_table_does_not_name(
    status: int, code: str | None, expected: type[PartnerCenterError]
) -> None:
    assert error_class(status, code) is expected


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json at all",
        b"<html><body>Bad Gateway</body></html>",
        b"[1, 2, 3]",
        b'{"error": "just a string"}',
        b'{"error": {"code": 5, "target": ["x"]}}',
        b'{"statusCode": 404, "message": "nope"}',
        b"\xff\xfe\x00garbage",
    ],
)
def test_malformed_error_bodies_still_map_by_status(body: bytes) -> None:
    error = error_from_response(404, CIMultiDict(), body, correlation_id=None)

    assert type(error) is NotFoundError
    assert error.code is None
    assert error.target is None


def test_the_services_message_text_never_reaches_the_user_or_the_summary() -> None:
    error = error_from_response(
        400, CIMultiDict(), service_error("invalidRequest", "status"), correlation_id=None
    )

    assert SERVICE_TEXT not in translate(error).user_message
    assert SERVICE_TEXT not in str(error)
    assert error.target == "status"


def test_ids_come_from_the_response_headers() -> None:
    headers = CIMultiDict({"Request-ID": "req-9", "MS-CorrelationId": "corr-from-service"})

    error = error_from_response(
        412, headers, service_error("preconditionFailed", "ETag"), correlation_id="corr-sent"
    )

    assert (error.request_id, error.correlation_id, error.target) == (
        "req-9",
        "corr-from-service",
        "ETag",
    )
    assert "request_id=req-9" in str(error)


def test_the_correlation_id_sent_is_kept_when_the_service_does_not_echo_it() -> None:
    error = error_from_response(404, CIMultiDict(), b"", correlation_id="corr-sent")

    assert error.correlation_id == "corr-sent"


def test_throttling_carries_retry_after_and_tells_the_user_when() -> None:
    body = b'{"statusCode":429,"message":"Rate limit is exceeded. Try again in 7 seconds."}'

    error = error_from_response(429, CIMultiDict({"Retry-After": "7"}), body, correlation_id=None)

    assert isinstance(error, ThrottledError)
    assert error.retry_after == 7.0
    assert "7 seconds" in translate(error).user_message


def test_a_503_keeps_its_retry_after() -> None:
    error = error_from_response(503, CIMultiDict({"Retry-After": "3"}), b"", correlation_id=None)

    assert isinstance(error, UnavailableError)
    assert error.retry_after == 3.0


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("5", 5.0),
        (" 2 ", 2.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("-1", None),
        ("soon", None),
        ("nan", None),
        ("inf", None),
        (None, None),
    ],
)
def test_retry_after_is_read_as_seconds(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds


def test_forbidden_explains_the_roles_to_the_seller() -> None:
    message = translate(ForbiddenError()).user_message

    for role in ("Referral Admin", "Referral User", "Global Admin"):
        assert role in message


def test_every_error_is_told_to_the_seller_in_a_readable_sentence() -> None:
    classes: list[type[PartnerCenterError]] = [PartnerCenterError]
    for cls in classes:
        classes.extend(cls.__subclasses__())
        assert translate(cls()).user_message.endswith(".")

    assert len(classes) == 10

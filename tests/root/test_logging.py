"""The log redaction filter: no token, assertion, secret or Authorization value survives."""

from __future__ import annotations

import logging

import pytest

from bot.logging import REDACTED, RedactingFilter, redact, safe_field

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJ4In0.c2lnbmF0dXJlLXBhcnQ"


@pytest.mark.parametrize(
    "line",
    [
        f"Authorization: Bearer {JWT}",
        "headers={'Authorization': 'Basic dXNlcjpwYXNz'}",
        f"token {JWT} in the middle",
        "assertion=abc.def-secret&scope=x",
        'client_secret="hunter2-value"',
        '{"access_token": "opaque-token-value", "expires_in": 3600}',
        "refresh_token=0.AAAA-opaque-refresh",
        "bearer opaque-but-secret",
    ],
)
def test_credentials_are_redacted(line: str) -> None:
    cleaned = redact(line)

    assert REDACTED in cleaned
    for secret in (JWT, "dXNlcjpwYXNz", "abc.def-secret", "hunter2", "opaque-token-value"):
        assert secret not in cleaned
    assert "0.AAAA-opaque-refresh" not in cleaned
    assert "opaque-but-secret" not in cleaned


def test_ordinary_words_are_kept() -> None:
    line = "referral.patch.applied referral=123 status=Closed/Won latency_ms=42"

    assert redact(line) == line


def test_filter_redacts_arguments_and_tracebacks() -> None:
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "got %s", (JWT,), None)
    try:
        raise ValueError(f"assertion={JWT}")
    except ValueError as error:
        record.exc_info = (type(error), error, error.__traceback__)

    RedactingFilter().filter(record)

    assert JWT not in record.getMessage()
    assert record.exc_text is not None
    assert JWT not in record.exc_text


def test_activity_fields_lose_control_characters_and_length() -> None:
    forged = "hello\nERROR forged line\r\x1b[31m" + "x" * 500

    safe = safe_field(forged)

    assert "\n" not in safe
    assert "\r" not in safe
    assert "\x1b" not in safe
    assert len(safe) <= 201

"""REFERRAL_BOT_INBOUND__*: the documented defaults, read from the environment, bounded."""

from __future__ import annotations

import os

import pytest
from pydantic import ValidationError

from bot.settings import Settings

REQUIRED = {
    "REFERRAL_BOT_IDENTITY__CLIENT_ID": "bot-app",
    "REFERRAL_BOT_IDENTITY__CLIENT_SECRET": "s3cret",
    "MicrosoftAppId": "azure-app",
    "MicrosoftAppPassword": "azure-pw",
}


def test_the_defaults_are_the_documented_ones() -> None:
    os.environ.update(REQUIRED)

    inbound = Settings().inbound

    assert inbound.body_limit_bytes == 256 * 1024
    assert inbound.body_read_timeout_seconds == 10.0
    assert inbound.header_timeout_seconds == 15.0
    assert inbound.max_unauthenticated_connections == 256


def test_operators_set_them_through_the_environment() -> None:
    os.environ.update(
        REQUIRED,
        REFERRAL_BOT_INBOUND__BODY_LIMIT_BYTES="65536",
        REFERRAL_BOT_INBOUND__BODY_READ_TIMEOUT_SECONDS="5",
        REFERRAL_BOT_INBOUND__HEADER_TIMEOUT_SECONDS="8",
        REFERRAL_BOT_INBOUND__MAX_UNAUTHENTICATED_CONNECTIONS="64",
    )

    inbound = Settings().inbound

    assert inbound.body_limit_bytes == 65536
    assert inbound.body_read_timeout_seconds == 5.0
    assert inbound.header_timeout_seconds == 8.0
    assert inbound.max_unauthenticated_connections == 64


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BODY_LIMIT_BYTES", "100"),
        ("BODY_LIMIT_BYTES", str(64 * 1024 * 1024)),
        ("BODY_READ_TIMEOUT_SECONDS", "0"),
        ("HEADER_TIMEOUT_SECONDS", "-1"),
        ("MAX_UNAUTHENTICATED_CONNECTIONS", "0"),
    ],
)
def test_values_that_would_disable_a_limit_are_refused(name: str, value: str) -> None:
    os.environ.update(REQUIRED, **{f"REFERRAL_BOT_INBOUND__{name}": value})

    with pytest.raises(ValidationError):
        Settings()

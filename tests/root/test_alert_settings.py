"""REFERRAL_BOT_ALERTS__*: lead alerts on by default, bounded, strict about flags."""

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


def test_alerts_are_on_with_bounded_defaults() -> None:
    os.environ.update(REQUIRED)

    alerts = Settings().alerts

    assert alerts.enabled is True
    assert (alerts.max_readers, alerts.send_retries) == (5, 3)
    assert (alerts.claim_lease_seconds, alerts.retry_backoff_seconds) == (120.0, 2.0)
    assert alerts.stranded_every_seconds == 300.0


def test_alert_settings_are_read_from_the_environment() -> None:
    os.environ.update(
        REQUIRED,
        REFERRAL_BOT_ALERTS__ENABLED="false",
        REFERRAL_BOT_ALERTS__MAX_READERS="2",
        REFERRAL_BOT_ALERTS__CLAIM_LEASE_SECONDS="30",
        REFERRAL_BOT_ALERTS__SEND_RETRIES="0",
        REFERRAL_BOT_ALERTS__STRANDED_EVERY_SECONDS="60",
    )

    alerts = Settings().alerts

    assert alerts.enabled is False
    assert (alerts.max_readers, alerts.claim_lease_seconds, alerts.send_retries) == (2, 30.0, 0)
    assert alerts.stranded_every_seconds == 60.0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ENABLED", "yes"),
        ("MAX_READERS", "0"),
        ("MAX_READERS", "51"),
        ("CLAIM_LEASE_SECONDS", "0"),
        ("SEND_RETRIES", "11"),
        ("STRANDED_EVERY_SECONDS", "0"),
    ],
)
def test_a_bad_alert_setting_stops_the_start(name: str, value: str) -> None:
    os.environ.update(REQUIRED, **{f"REFERRAL_BOT_ALERTS__{name}": value})

    with pytest.raises(ValidationError):
        Settings()

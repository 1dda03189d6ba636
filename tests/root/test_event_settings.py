"""REFERRAL_BOT_EVENTS__*: Partner Center's production values by default, read from the env."""

from __future__ import annotations

import os

import pytest
from pydantic import ValidationError

from bot.settings import EventSettings, Settings

REQUIRED = {
    "REFERRAL_BOT_IDENTITY__CLIENT_ID": "bot-app",
    "REFERRAL_BOT_IDENTITY__CLIENT_SECRET": "s3cret",
    "MicrosoftAppId": "azure-app",
    "MicrosoftAppPassword": "azure-pw",
}


def test_the_defaults_are_partner_center_s_production_values() -> None:
    events = EventSettings()

    assert events.certificate_hosts == ["3psostorageacct.blob.core.windows.net"]
    assert events.certificate_name == "pcnotifications-dispatch.microsoft.com"
    assert events.issuer_organization == "Microsoft Corporation"
    assert (events.trust_ca_file, events.download_ca_file) == (None, None)
    assert events.dedupe_hours == 168


def test_the_environment_configures_the_events() -> None:
    os.environ.update(
        REQUIRED,
        REFERRAL_BOT_EVENTS__CERTIFICATE_HOSTS='["Storage.Example:8443", "cdn.example:443"]',
        REFERRAL_BOT_EVENTS__ENABLED="false",
        REFERRAL_BOT_EVENTS__DEDUPE_HOURS="48",
        REFERRAL_BOT_EVENTS__PATH="/hooks/pc",
    )

    events = Settings().events

    assert events.certificate_hosts == ["storage.example:8443", "cdn.example"]
    assert (events.enabled, events.dedupe_hours, events.path) == (False, 48, "/hooks/pc")


@pytest.mark.parametrize(
    "field",
    [
        {"certificate_hosts": ["https://storage.example"]},
        {"certificate_hosts": ["storage.example/cert"]},
        {"certificate_hosts": ["user@storage.example"]},
        {"certificate_hosts": ["storage.example:https"]},
        {"path": "/api/messages"},
        {"path": "/healthz"},
        {"path": "events"},
        {"path": "/"},
        {"enabled": "yes"},
        {"dedupe_hours": 0},
        {"max_body_bytes": 10},
    ],
)
def test_a_wrong_value_is_refused(field: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        EventSettings(**field)  # type: ignore[arg-type]

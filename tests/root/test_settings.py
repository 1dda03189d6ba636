"""Settings: Azure names as aliases, strict flags, the unsafe switch fenced, named missing vars."""

from __future__ import annotations

import os

import pytest
from pydantic import ValidationError

from bot.settings import AppType, Mode, Settings

IDENTITY = {
    "REFERRAL_BOT_IDENTITY__CLIENT_ID": "bot-app",
    "REFERRAL_BOT_IDENTITY__CLIENT_SECRET": "s3cret",
}
AZURE_BOT = {"MicrosoftAppId": "azure-app", "MicrosoftAppPassword": "azure-pw"}


def environ(**values: str) -> None:
    os.environ.update(values)


def error_text(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(str(problem["msg"]) for problem in error.value.errors())


def test_azure_bot_names_configure_the_bot_registration() -> None:
    environ(**IDENTITY, **AZURE_BOT, MicrosoftAppTenantId="t-1", MicrosoftAppType="singletenant")

    settings = Settings()

    assert settings.bot.app_id == "azure-app"
    assert settings.bot.app_password.get_secret_value() == "azure-pw"
    assert settings.bot.app_tenant_id == "t-1"
    assert settings.bot.app_type is AppType.SINGLE_TENANT


def test_prefixed_names_win_over_azure_names() -> None:
    environ(**IDENTITY, **AZURE_BOT, REFERRAL_BOT_BOT__APP_ID="prefixed-app")

    assert Settings().bot.app_id == "prefixed-app"


def test_defaults_keep_production_parity() -> None:
    environ(**IDENTITY, **AZURE_BOT)

    settings = Settings()

    assert settings.mode is Mode.PRODUCTION
    assert (settings.host, settings.port) == ("127.0.0.1", 3978)
    assert settings.dangerously_allow_unauthenticated is False
    assert settings.pending_ttl_minutes == 30


def test_a_missing_app_id_is_named_in_the_error() -> None:
    environ(**IDENTITY, MicrosoftAppPassword="pw")

    with pytest.raises(ValidationError) as error:
        Settings()

    assert "MicrosoftAppId" in error_text(error)
    assert "MicrosoftAppPassword" not in error_text(error)


def test_missing_identity_credentials_are_named() -> None:
    environ(**AZURE_BOT)

    with pytest.raises(ValidationError) as error:
        Settings()

    assert "REFERRAL_BOT_IDENTITY__CLIENT_ID" in error_text(error)
    assert "REFERRAL_BOT_IDENTITY__CLIENT_SECRET" in error_text(error)


def test_single_tenant_needs_the_tenant_id() -> None:
    environ(**IDENTITY, **AZURE_BOT, MicrosoftAppType="SingleTenant")

    with pytest.raises(ValidationError) as error:
        Settings()

    assert "MicrosoftAppTenantId" in error_text(error)


def test_the_unsafe_switch_works_in_demo_mode_on_loopback_without_bot_credentials() -> None:
    environ(
        **IDENTITY,
        REFERRAL_BOT_MODE="demo",
        REFERRAL_BOT_PORT="0",
        REFERRAL_BOT_DANGEROUSLY_ALLOW_UNAUTHENTICATED="true",
    )

    settings = Settings()

    assert settings.dangerously_allow_unauthenticated is True
    assert settings.port == 0


def test_the_unsafe_switch_is_refused_in_production() -> None:
    environ(**IDENTITY, **AZURE_BOT, REFERRAL_BOT_DANGEROUSLY_ALLOW_UNAUTHENTICATED="true")

    with pytest.raises(ValidationError) as error:
        Settings()

    assert "REFERRAL_BOT_MODE=demo" in error_text(error)


@pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "bot.example.com"])
def test_the_unsafe_switch_is_refused_off_loopback(host: str) -> None:
    environ(
        **IDENTITY,
        REFERRAL_BOT_MODE="demo",
        REFERRAL_BOT_HOST=host,
        REFERRAL_BOT_DANGEROUSLY_ALLOW_UNAUTHENTICATED="true",
    )

    with pytest.raises(ValidationError) as error:
        Settings()

    assert "loopback" in error_text(error)


@pytest.mark.parametrize("raw", ["yes", "1", "on", "ture", ""])
def test_flags_accept_only_true_or_false(raw: str) -> None:
    environ(**IDENTITY, **AZURE_BOT, REFERRAL_BOT_DANGEROUSLY_ALLOW_UNAUTHENTICATED=raw)

    with pytest.raises(ValidationError) as error:
        Settings()

    assert "true or false" in error_text(error)


def test_secrets_do_not_show_in_repr() -> None:
    environ(**IDENTITY, **AZURE_BOT)

    shown = repr(Settings())

    assert "azure-pw" not in shown
    assert "s3cret" not in shown

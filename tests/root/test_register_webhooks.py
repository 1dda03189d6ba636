"""`python -m bot register-webhooks`: app-only tokens from the identity emulator (Entra), the
registration API's stand-in (tests/support/webhook_registration.py)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest

from bot.__main__ import REFERRAL_EVENTS, arguments, main, register_webhooks
from bot.settings import EventSettings, Mode, Settings, StateBackend, StateSettings
from emulators.fixtures import DEFAULT_TENANT_ID
from emulators.server import RunningEmulators
from tests.support.identity import identity_settings
from tests.support.webhook_registration import BASE, RegistrationApi

PUBLIC = "https://bot.contoso.example"
EVENTS_URL = f"{PUBLIC}/api/partner-center/events"
AUDIENCE = "https://api.partnercenter.microsoft.com"


def app_only_for_partner_center(token: str) -> bool:
    """An app-only token (no user, no scp) for Partner Center's webhook API, from our tenant."""
    claims = jwt.decode(token, options={"verify_signature": False})
    return (
        claims.get("aud") == AUDIENCE
        and claims.get("idtyp") == "app"
        and "scp" not in claims
        and claims.get("tid") == DEFAULT_TENANT_ID
    )


@pytest.fixture
async def api() -> AsyncIterator[RegistrationApi]:
    stand_in = RegistrationApi(accepts=app_only_for_partner_center)
    await stand_in.start()
    try:
        yield stand_in
    finally:
        await stand_in.close()


def settings_for(
    running: RunningEmulators,
    api: RegistrationApi,
    *,
    tenant: str = DEFAULT_TENANT_ID,
    **events: Any,
) -> Settings:
    return Settings(
        mode=Mode.DEMO,
        dangerously_allow_unauthenticated=True,
        identity=identity_settings(running, tenant=tenant),
        state=StateSettings(backend=StateBackend.MEMORY),
        events=EventSettings(**({"registration_url": api.url, "public_url": PUBLIC} | events)),
    )


class Printed(list[str]):
    def __call__(self, line: str) -> None:
        self.append(line)

    @property
    def text(self) -> str:
        return "\n".join(self)


async def run(settings: Settings, *argv: str) -> tuple[int, Printed]:
    printed = Printed()

    async def no_wait(seconds: float) -> None:
        return None

    status = await register_webhooks(
        settings, arguments(["register-webhooks", *argv]), out=printed, sleep=no_wait
    )
    return status, printed


async def test_registers_the_bot_s_public_events_url_for_the_referral_events(
    running: RunningEmulators, api: RegistrationApi
) -> None:
    status, printed = await run(settings_for(running, api))

    assert status == 0, printed.text
    [post] = api.writes()
    assert (post.method, post.body) == (
        "POST",
        {"WebhookUrl": EVENTS_URL, "WebhookEvents": list(REFERRAL_EVENTS)},
    )
    assert printed.text.startswith("Registered. ")
    assert "eyJ" not in printed.text  # no token


async def test_a_second_run_updates_the_registration(
    running: RunningEmulators, api: RegistrationApi
) -> None:
    settings = settings_for(running, api)
    await run(settings)

    status, printed = await run(settings, "--events", "referral-created")

    assert status == 0
    assert [w.method for w in api.writes()] == ["POST", "PUT"]
    assert api.registration is not None
    assert api.registration["WebhookEvents"] == ["referral-created"]
    assert printed.text.startswith("Updated. ")


async def test_another_system_s_registration_is_replaced_only_when_asked(
    running: RunningEmulators, api: RegistrationApi
) -> None:
    settings = settings_for(running, api)
    api.registration = {"WebhookUrl": "https://crm.contoso.example/hook", "WebhookEvents": []}

    status, printed = await run(settings)
    assert status == 2
    assert "https://crm.contoso.example/hook" in printed.text
    assert "--replace" in printed.text
    assert api.writes() == []

    assert (await run(settings, "--replace"))[0] == 0
    assert api.registration["WebhookUrl"] == EVENTS_URL


async def test_show_changes_nothing(running: RunningEmulators, api: RegistrationApi) -> None:
    settings = settings_for(running, api)
    await run(settings, "--events", "referral-created")

    status, printed = await run(settings, "--show")

    assert status == 0
    assert f"Events of referral-created go to {EVENTS_URL}" in printed.text
    assert "Partner Center offers: test-created" in printed.text
    assert len(api.writes()) == 1


async def test_delete_removes_the_registration(
    running: RunningEmulators, api: RegistrationApi
) -> None:
    settings = settings_for(running, api)
    await run(settings)

    assert (await run(settings, "--delete"))[0] == 0

    assert api.registration is None
    assert api.writes()[-1].method == "DELETE"


async def test_test_registers_test_created_sends_a_test_event_and_reports_its_delivery(
    running: RunningEmulators, api: RegistrationApi
) -> None:
    status, printed = await run(settings_for(running, api), "--test")

    assert status == 0, printed.text
    assert api.registration is not None
    assert api.registration["WebhookEvents"] == [*REFERRAL_EVENTS, "test-created"]
    assert [w.path for w in api.writes()] == [BASE, f"{BASE}/validationEvents"]
    assert "completed" in printed.text
    assert "OK" in printed.text


async def test_a_test_event_the_bot_did_not_accept_fails_the_command(
    running: RunningEmulators, api: RegistrationApi
) -> None:
    api.test_results = [
        {"responseCode": "Unauthorized", "systemError": False, "dateTimeUtc": "2026-03-02"}
    ]

    status, printed = await run(settings_for(running, api), "--test")

    assert status == 1
    assert "Unauthorized" in printed.text


@pytest.mark.parametrize(
    ("setting", "argv", "named"),
    [
        ({"tenant": "organizations"}, (), "REFERRAL_BOT_IDENTITY__TENANT_ID"),
        ({"public_url": ""}, (), "REFERRAL_BOT_EVENTS__PUBLIC_URL"),
        ({"enabled": False}, (), "REFERRAL_BOT_EVENTS__ENABLED"),
        ({}, ("--url", "http://bot.contoso.example/events"), "not an https URL"),
        ({}, ("--events", "referral-created,referral-deleted"), "does not offer: referral-deleted"),
    ],
)
async def test_a_wrong_setting_or_argument_is_named_and_nothing_is_written(
    running: RunningEmulators,
    api: RegistrationApi,
    setting: dict[str, Any],
    argv: tuple[str, ...],
    named: str,
) -> None:
    status, printed = await run(settings_for(running, api, **setting), *argv)

    assert status == 2
    assert named in printed.text
    assert api.writes() == []


async def test_a_loopback_http_url_is_allowed_for_a_local_emulator(
    running: RunningEmulators, api: RegistrationApi
) -> None:
    status, _ = await run(
        settings_for(running, api), "--url", "http://127.0.0.1:3978/api/partner-center/events"
    )

    assert status == 0


async def test_a_refusal_by_partner_center_exits_1_with_its_status(
    running: RunningEmulators, api: RegistrationApi
) -> None:
    api.fail_next(403, times=5)

    status, printed = await run(settings_for(running, api))

    assert status == 1
    assert "ForbiddenError status=403" in printed.text


def test_by_default_the_four_referral_events_are_registered() -> None:
    """The names "Partner Center webhook events" lists for referrals, in its order."""
    assert arguments(["register-webhooks"]).events == (
        "referral-created",
        "referral-updated",
        "related-referral-created",
        "related-referral-updated",
    )


def test_show_delete_and_test_exclude_each_other() -> None:
    with pytest.raises(SystemExit):
        arguments(["register-webhooks", "--show", "--delete"])
    assert arguments(["register-webhooks", "--events", " a, b ,"]).events == ("a", "b")
    assert arguments([]).command is None  # python -m bot: serve


def test_main_names_a_missing_setting_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["register-webhooks", "--show"])

    assert exited.value.code == 2
    assert "REFERRAL_BOT_IDENTITY__CLIENT_ID" in capsys.readouterr().err


def test_python_m_bot_reads_its_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "register-webhooks", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "--replace" in done.stdout

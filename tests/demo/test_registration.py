"""`python -m demo` registers the bot's event URL with the emulator once, at start, through the
bot's own registration client (the calls `register-webhooks` makes), before the Playground."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import pytest

import demo.__main__ as demo_main
from bot.__main__ import REFERRAL_EVENTS
from demo.registration import RegistrationError, register_event_url
from demo.settings import demo_settings, registration_settings
from emulators.fixtures import DEFAULT_TENANT_ID
from emulators.server import RunningEmulators
from tests.support.emulator_controls import recorded_requests, webhook_registrations


async def _seen_at_start(base_url: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The registrations, and the webhook API calls recorded so far."""
    async with aiohttp.ClientSession() as session:
        registrations = await webhook_registrations(session, base_url)
        calls = await recorded_requests(session, base_url, path="/webhooks/*")
    return registrations, calls


def _run_demo(running: RunningEmulators, tmp_path: Path, seen: list[Any]) -> int:
    """`_run` as `python -m demo` runs it, a stand-in for the Playground noting what it sees."""

    async def instead_of_the_playground(*args: Any) -> int:
        bot_url, _, events_url = args[3]
        seen.append((bot_url, events_url, *await _seen_at_start(running.referrals_base_url)))
        return 0

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REFERRAL_BOT_STATE__BACKEND", "memory")
        patch.setattr(demo_main, "_with_playground", instead_of_the_playground)
        args = argparse.Namespace(port=0)
        return asyncio.run(demo_main._run(args, running, tmp_path / "playground"))


def test_the_event_url_is_registered_once_before_the_playground_starts(
    demo_emulators: RunningEmulators, tmp_path: Path
) -> None:
    seen: list[Any] = []

    assert _run_demo(demo_emulators, tmp_path, seen) == 0

    [(bot_url, events_url, registrations, calls)] = seen
    assert events_url == f"{bot_url}/api/partner-center/events"
    [registration] = registrations
    assert registration["tenantId"] == DEFAULT_TENANT_ID
    assert registration["WebhookUrl"] == events_url
    assert registration["WebhookEvents"] == list(REFERRAL_EVENTS)
    # register-webhooks' own sequence: the offered events, the current registration, a create
    assert [(call["method"], call["path"], call["status"]) for call in calls] == [
        ("GET", "/webhooks/v1/registration/events", 200),
        ("GET", "/webhooks/v1/registration", 404),
        ("POST", "/webhooks/v1/registration", 200),
    ]


def test_a_registration_to_another_url_is_kept_and_the_demo_does_not_start(
    demo_emulators: RunningEmulators, tmp_path: Path
) -> None:
    """One registration per tenant: the demo refuses to take over another system's."""
    settings = registration_settings(demo_settings(demo_emulators), DEFAULT_TENANT_ID)
    elsewhere = "http://127.0.0.1:9/crm-connector"
    asyncio.run(register_event_url(settings, elsewhere))
    seen: list[Any] = []

    with pytest.raises(RegistrationError, match="--replace"):
        _run_demo(demo_emulators, tmp_path, seen)

    assert seen == []  # the Playground never started
    [registration], _ = asyncio.run(_seen_at_start(demo_emulators.referrals_base_url))
    assert registration["WebhookUrl"] == elsewhere

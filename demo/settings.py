"""Demo-mode Settings wired to running emulators; shared by `python -m demo` and the tests."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from bot.settings import EventSettings, IdentitySettings, Mode, PartnerCenterSettings, Settings
from emulators.config import DEMO_BOT_APP_ID, DEMO_BOT_APP_SECRET
from emulators.server import RunningEmulators


def demo_settings(running: RunningEmulators, **overrides: Any) -> Settings:
    """Demo mode on loopback, unauthenticated, wired to the emulators (trusting only their CA).

    State is not set here: it comes from REFERRAL_BOT_STATE__* or the default, SQLite in
    build/state/ (so `make demo` keeps pending changes across a restart).
    """
    values: dict[str, Any] = {
        "mode": Mode.DEMO,
        "host": "127.0.0.1",
        "port": 0,
        "dangerously_allow_unauthenticated": True,
        "partner_center": PartnerCenterSettings(
            base_url=f"{running.referrals_base_url}/v1.0/engagements",
            attempt_timeout_seconds=5.0,
            deadline_seconds=10.0,
        ),
        "identity": IdentitySettings(
            authority_host=running.identity_base_url,
            client_id=DEMO_BOT_APP_ID,
            client_secret=SecretStr(DEMO_BOT_APP_SECRET),
            ca_file=running.ca_file,
        ),
        "events": demo_event_settings(running),
    }
    return Settings(**(values | overrides))


def demo_event_settings(running: RunningEmulators) -> EventSettings:
    """The event endpoint trusts the emulator's signing chain instead of Microsoft's: its
    certificate host, name and issuer, its webhook root CA, and its TLS CA for the download.
    Registration goes to the emulator's registration API."""
    if running.webhook_ca_file is None:
        raise ValueError("the emulators run without a webhook signing chain")
    return EventSettings(
        certificate_hosts=[running.webhook_certificate_host],
        certificate_name=running.webhook_certificate_name,
        issuer_organization=running.webhook_issuer_organization,
        trust_ca_file=running.webhook_ca_file,
        download_ca_file=running.ca_file,
        registration_url=running.webhooks_url,
    )


def registration_settings(settings: Settings, tenant_id: str) -> Settings:
    """The demo bot's settings for `register-webhooks`: the app registers in the demo tenant
    (app-only tokens need a tenant; the bot's on-behalf-of keeps `organizations`)."""
    identity = settings.identity.model_copy(update={"tenant_id": tenant_id})
    return settings.model_copy(update={"identity": identity})

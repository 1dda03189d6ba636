"""Demo-mode Settings wired to running emulators; shared by `python -m demo` and the tests."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from bot.settings import IdentitySettings, Mode, PartnerCenterSettings, Settings
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
    }
    return Settings(**(values | overrides))

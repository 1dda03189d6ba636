"""The emulators for a run: one seller on many referrals, no throttling, latency 0."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.settings import ENV_PREFIX, StateBackend, StateSettings
from emulators.config import DEMO_BOT_APP_ID, DEMO_BOT_APP_SECRET, EmulatorConfig
from emulators.fixtures import Fixtures, FixtureUser
from emulators.server import RunningEmulators, emulators_in_thread

SELLER = FixtureUser.from_json(
    {"upn": "seller@contoso.example", "name": "Sam Seller", "roles": ["Referral User"]}
)
SHOWN_ID = "123"
FIRST_MARKED_ID = 10_000


def _referral(referral_id: str, name: str) -> dict[str, Any]:
    member = {"firstName": SELLER.first_name, "lastName": SELLER.last_name, "email": SELLER.upn}
    return {
        "id": referral_id,
        "name": name,
        "status": "Active",
        "substatus": "Accepted",
        "createdDateTime": "2026-01-05T09:00:00Z",
        "customerProfile": {"name": "Contoso Ltd"},
        "team": [member],
        "details": {"dealValue": 50000, "currency": "USD", "notes": "first call done"},
    }


def marked_ids(count: int) -> list[str]:
    """Referrals each marked won (and confirmed) once: one fresh pending change each."""
    return [str(FIRST_MARKED_ID + n) for n in range(count)]


@contextmanager
def bench_emulators(changes: int) -> Iterator[RunningEmulators]:
    referrals = [_referral(SHOWN_ID, "Contoso cloud migration")]
    referrals += [_referral(rid, f"Deal {rid}") for rid in marked_ids(changes)]
    config = EmulatorConfig(
        fixtures=Fixtures.of([SELLER], referrals),
        test_controls=True,
        throttle_per_minute=1_000_000_000,
    )
    with emulators_in_thread(config) as running:
        yield running


def bot_environment(running: RunningEmulators) -> dict[str, str]:
    """Demo settings (as demo.settings) through the environment of `python -m bot`."""
    return {
        "REFERRAL_BOT_MODE": "demo",
        "REFERRAL_BOT_HOST": "127.0.0.1",
        "REFERRAL_BOT_PORT": "0",
        "REFERRAL_BOT_DANGEROUSLY_ALLOW_UNAUTHENTICATED": "true",
        "REFERRAL_BOT_LOG_LEVEL": "ERROR",
        "REFERRAL_BOT_PARTNER_CENTER__BASE_URL": f"{running.referrals_base_url}/v1.0/engagements",
        "REFERRAL_BOT_PARTNER_CENTER__ATTEMPT_TIMEOUT_SECONDS": "30",
        "REFERRAL_BOT_PARTNER_CENTER__DEADLINE_SECONDS": "60",
        "REFERRAL_BOT_IDENTITY__AUTHORITY_HOST": running.identity_base_url,
        "REFERRAL_BOT_IDENTITY__CLIENT_ID": DEMO_BOT_APP_ID,
        "REFERRAL_BOT_IDENTITY__CLIENT_SECRET": DEMO_BOT_APP_SECRET,
        "REFERRAL_BOT_IDENTITY__CA_FILE": str(running.ca_file),
    }


def sqlite_file(folder: Path) -> Path:
    return folder / "bench.sqlite3"


def state_environment(backend: StateBackend, folder: Path) -> dict[str, str]:
    """The state backend named explicitly (not left to the default); SQLite in `folder`.

    The variable names come from `StateSettings`' fields, so a renamed field fails here, loudly,
    instead of the bot silently running on its default.
    """
    names = {"backend", "sqlite_path"}
    if missing := names - StateSettings.model_fields.keys():
        raise RuntimeError(f"StateSettings has no field {sorted(missing)}: update bench.fixtures")
    env = {f"{ENV_PREFIX}STATE__BACKEND": backend.value}
    if backend is StateBackend.SQLITE:
        env[f"{ENV_PREFIX}STATE__SQLITE_PATH"] = str(sqlite_file(folder))
    return env

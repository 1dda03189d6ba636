"""The client under test against the emulator, with fast retry timings."""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.partner_center.client import ReferralsClient
from bot.partner_center.retry import RetryPolicy
from bot.settings import PartnerCenterSettings
from emulators.server import RunningEmulators
from tests.support.partner_center import FakeTokenProvider


def make_settings(running: RunningEmulators, **overrides: Any) -> PartnerCenterSettings:
    values: dict[str, Any] = {
        "base_url": f"{running.referrals_base_url}/v1.0/engagements",
        "attempt_timeout_seconds": 2.0,
        "deadline_seconds": 5.0,
        "max_attempts": 4,
        "max_retry_after_seconds": 30.0,
    }
    return PartnerCenterSettings(**(values | overrides))


def make_client(
    session: aiohttp.ClientSession,
    running: RunningEmulators,
    tokens: FakeTokenProvider | None = None,
    **overrides: Any,
) -> ReferralsClient:
    settings = make_settings(running, **overrides)
    policy = RetryPolicy.from_settings(settings, backoff_initial=0.05)
    return ReferralsClient(
        session, settings, tokens or FakeTokenProvider(running), retry_policy=policy
    )

"""Drive the typed client against the emulators: tokens for fixture users, and the test controls."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

import aiohttp

from bot.domain.assertion import AccessTokenProvider, UserAssertion
from bot.partner_center.client import ReferralsClient
from bot.partner_center.retry import RetryPolicy
from bot.settings import PartnerCenterSettings
from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators
from tests.support.emulators import USERS, mint_partner_center_token


def assertion_for(user: FixtureUser) -> UserAssertion:
    """The seller as the bot knows them after Teams SSO (the token is never used here)."""
    return UserAssertion(tenant_id=user.tenant_id, user_id=user.oid, token=f"sso-token-{user.oid}")


class FakeTokenProvider:
    """An AccessTokenProvider that mints Partner Center tokens with the emulator's key, not OBO.

    `claims` override every token's claims (e.g. `exp` in the past for an expired token).
    """

    def __init__(
        self,
        running: RunningEmulators,
        *,
        users: Iterable[FixtureUser] = USERS,
        claims: Mapping[str, Any] | None = None,
    ) -> None:
        self._running = running
        self._users = {user.oid: user for user in users}
        self._overrides = dict(claims or {})
        self.issued: list[str] = []  # user ids, one per token handed out

    async def get_token(self, user: UserAssertion) -> str:
        self.issued.append(user.user_id)
        return mint_partner_center_token(
            self._running, self._users[user.user_id], **self._overrides
        )


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
    tokens: AccessTokenProvider | None = None,
    *,
    backoff_initial: float = 0.05,
    **overrides: Any,
) -> ReferralsClient:
    """The client under test against the emulator, with fast retry timings."""
    settings = make_settings(running, **overrides)
    policy = RetryPolicy.from_settings(settings, backoff_initial=backoff_initial)
    return ReferralsClient(
        session, settings, tokens or FakeTokenProvider(running), retry_policy=policy
    )


def expired_claims() -> dict[str, int]:
    issued = int(time.time()) - 7200
    return {"iat": issued, "nbf": issued, "exp": issued + 3600}


class EmulatorControl:
    """The Referrals emulator's `/_emulator/*` routes: recorded requests and injected faults."""

    def __init__(self, session: aiohttp.ClientSession, running: RunningEmulators) -> None:
        self._session = session
        self._base = f"{running.referrals_base_url}/_emulator"

    async def requests(self, method: str | None = None) -> list[dict[str, Any]]:
        params = {"method": method} if method else {}
        async with self._session.get(f"{self._base}/requests", params=params) as response:
            response.raise_for_status()
            recorded: list[dict[str, Any]] = (await response.json())["requests"]
        return recorded

    async def clear_requests(self) -> None:
        async with self._session.delete(f"{self._base}/requests") as response:
            response.raise_for_status()

    async def add_fault(self, kind: str, **rule: Any) -> str:
        async with self._session.post(f"{self._base}/faults", json={"kind": kind, **rule}) as resp:
            if resp.status != 201:
                raise AssertionError(f"fault refused: {resp.status} {await resp.text()}")
            fault_id: str = (await resp.json())["id"]
        return fault_id

"""Demo and tests: the seller's "Teams SSO" token, from the identity emulator's developer grant.

Teams hands a bot the seller's SSO token; locally the identity emulator does, for the user the
activity names (tenant + AAD object id). The token then goes through the real on-behalf-of
provider like a Teams one would. Tokens are cached per user until shortly before they expire,
and concurrent turns of one user share one request.
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from botbuilder.core import TurnContext

from bot.domain.assertion import UserAssertion
from bot.domain.errors import ServiceUnavailableError
from bot.keyed_locks import KeyedLocks
from bot.sign_in.acting_user import ActingUser, acting_user
from bot.sign_in.replies import UNAVAILABLE

logger = logging.getLogger(__name__)
SSO_TOKEN_PATH = "/_emulator/sso-token"


@dataclass(frozen=True)
class _Cached:
    token: str
    expires_at: float  # time.monotonic()


class DevSsoAssertions:
    """`UserAssertions` over the identity emulator; the session is shared and not owned."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        identity_url: str,
        client_id: str,
        ca_file: Path | None,
        refresh_margin_seconds: float = 300.0,
        timeout_seconds: float = 10.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._session = session
        self._url = identity_url.rstrip("/") + SSO_TOKEN_PATH
        self._client_id = client_id
        self._ssl = ssl.create_default_context(cafile=str(ca_file)) if ca_file else True
        self._margin = refresh_margin_seconds
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._now = monotonic
        self._cache: dict[tuple[str, str], _Cached] = {}
        self._locks: KeyedLocks[tuple[str, str]] = KeyedLocks()  # one fetch per seller at once

    async def assertion(self, turn_context: TurnContext) -> UserAssertion | None:
        user = acting_user(turn_context.activity)
        if user is None:
            return None
        key = (user.tenant_id, user.user_id)
        async with self._locks.hold(key):
            cached = self._cache.get(key)
            if cached is None or cached.expires_at - self._margin <= self._now():
                cached = await self._fetch(user)
                if cached is None:
                    return None
                self._cache[key] = cached
        return UserAssertion(tenant_id=user.tenant_id, user_id=user.user_id, token=cached.token)

    async def _fetch(self, user: ActingUser) -> _Cached | None:
        body = {"oid": user.user_id, "tenant_id": user.tenant_id, "client_id": self._client_id}
        try:
            async with self._session.post(
                self._url, json=body, ssl=self._ssl, timeout=self._timeout
            ) as answer:
                if answer.status != 200:
                    logger.warning("identity.dev_sso.refused status=%s", answer.status)
                    return None
                granted = await answer.json()
                token, lifetime = str(granted["access_token"]), float(granted["expires_in"])
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, TypeError) as error:
            logger.warning("identity.dev_sso.unavailable %s", type(error).__name__)
            raise ServiceUnavailableError(UNAVAILABLE) from error
        return _Cached(token, self._now() + lifetime)

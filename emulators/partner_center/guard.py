"""Authentication, authorization and throttling in front of every Referrals API handler.

Order, as the real service answers: token (401) → App+User only (403) → MFA (401) → role (403)
→ per-user throttle (429). Throttling comes after authentication so an anonymous flood cannot
use up a real user's budget.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from emulators.config import EmulatorConfig, TokenTrust
from emulators.partner_center.callers import Caller, resolve_caller
from emulators.partner_center.errors import ApiError, throttled_response
from emulators.partner_center.throttling import TokenBucket
from emulators.partner_center.token_check import SessionVerifier

CALLER = web.RequestKey("caller", Caller)


def caller_of(request: web.Request) -> Caller:
    return request[CALLER]


class Guard:
    def __init__(self, config: EmulatorConfig, trust: TokenTrust, *, protected_prefix: str) -> None:
        self._config = config
        self._prefix = protected_prefix
        self._tokens = SessionVerifier(trust)
        self.session_context = self._tokens.session_context
        self._bucket = TokenBucket(per_minute=config.throttle_per_minute)

    def reset_throttle(self) -> None:
        """Test-control reset: every user starts with a full bucket again."""
        self._bucket = TokenBucket(per_minute=self._config.throttle_per_minute)

    @property
    def middleware(self) -> Middleware:
        @web.middleware
        async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
            """Refusals become responses here, so outer layers (recording) see their status."""
            if not request.path.startswith(self._prefix):
                return await handler(request)
            try:
                caller = await self._authenticate(request)
                wait = self._bucket.acquire(caller.oid)
                if wait is not None:
                    return throttled_response(wait)
                request[CALLER] = caller
                return await handler(request)
            except ApiError as exc:
                return exc.response()

        return guard

    async def _authenticate(self, request: web.Request) -> Caller:
        claims = await self._tokens.verify(request.headers.get("Authorization"))
        return resolve_caller(claims, self._config.fixtures, enforce_mfa=self._config.enforce_mfa)

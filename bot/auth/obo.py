"""On-behalf-of: the seller's Teams SSO token -> a Partner Center token, via msal.

`OboTokenProvider.get_token(user)`:
0. answers from `HotTokens` (memory) while a token it got for this very assertion is fresh;
1. loads the seller's own `msal.SerializableTokenCache` from the `ByteStore`, keyed by
   the *authenticated* tenant and user id of the `UserAssertion` (never by the token's
   unverified claims: a cache hit skips Entra's check of the assertion);
2. asks msal for a cached token first (`acquire_token_silent`: no request while the token is
   fresh, a refresh-token request when it is about to expire), and only then trades the
   assertion in (`acquire_token_on_behalf_of`, which never reads the cache itself);
3. saves the cache back only when msal changed it.

Why a new msal app per call: a `ConfidentialClientApplication` binds one token cache for life,
and sharing one app between sellers would mean swapping its cache under a lock, which
serialises every seller's token call. Building one costs ~0.3 ms; what is costly is the OpenID
discovery it runs while being built. So the first app's `http_cache` (msal's documented,
picklable store for discovery answers) is kept as a snapshot after a successful discovery, and
every later app gets a private deep copy of it: zero discovery requests per call, no shared
mutable msal state between threads, and msal's 60 s "same failed request" memory stays within
one call. The snapshot is retaken hourly, well inside msal's 24 h lifetime for it.

msal is blocking: every msal call runs on a dedicated thread pool, never on the event loop,
over one `requests.Session` that trusts only `ca_file` when set and ignores the environment
(`trust_env=False`: REQUESTS_CA_BUNDLE would otherwise override `verify`).
"""

from __future__ import annotations

import asyncio
import copy
import logging
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import msal
import requests
from msal.exceptions import MsalError

from bot.auth.errors import (
    AuthConfigurationError,
    AuthError,
    IdentityUnavailableError,
    SignInReason,
    SignInRequiredError,
    SubjectMismatchError,
    error_from_result,
)
from bot.auth.hot_tokens import HotTokens
from bot.auth.sealed_store import ByteStore
from bot.domain.assertion import UserAssertion
from bot.settings import IdentitySettings

logger = logging.getLogger(__name__)
DISCOVERY_SNAPSHOT_MAX_AGE_SECONDS = 3600.0


def cache_key(user: UserAssertion) -> str:
    return f"msal-obo/{user.tenant_id}/{user.user_id}"


class IdentitySession(requests.Session):
    """One pooled HTTPS session for msal, with a default timeout on every request."""

    def __init__(self, *, ca_file: Path | None, timeout_seconds: float, pool_size: int) -> None:
        super().__init__()
        self.trust_env = False
        if ca_file is not None:
            self.verify = str(ca_file)
        self._timeout = timeout_seconds
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=pool_size)
        self.mount("https://", adapter)

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        kwargs.setdefault("timeout", self._timeout)
        return super().request(method, url, *args, **kwargs)


class DiscoverySnapshot:
    """msal's `http_cache` as it was right after discovery, handed out as private copies."""

    def __init__(self, max_age_seconds: float = DISCOVERY_SNAPSHOT_MAX_AGE_SECONDS) -> None:
        self._lock = threading.Lock()
        self._max_age = max_age_seconds
        self._snapshot: dict[str, Any] | None = None
        self._taken_at = 0.0

    def fresh_copy(self) -> dict[str, Any]:
        """A private copy, or `{}` (msal then runs discovery) when there is none or it is old."""
        with self._lock:
            if self._snapshot is None or time.monotonic() - self._taken_at > self._max_age:
                return {}
            return copy.deepcopy(self._snapshot)

    def keep(self, http_cache: Mapping[str, Any]) -> None:
        with self._lock:
            self._snapshot = copy.deepcopy(dict(http_cache))
            self._taken_at = time.monotonic()


class OboTokenProvider:
    """`AccessTokenProvider` for Partner Center, acting as the seller (on-behalf-of flow)."""

    def __init__(
        self,
        settings: IdentitySettings,
        cache_store: ByteStore,
        *,
        max_workers: int = 16,
        timeout_seconds: float = 10.0,
    ) -> None:
        if not settings.client_id or not settings.client_secret.get_secret_value():
            raise AuthConfigurationError(error="missing_client_credentials")
        self._settings = settings
        self._scopes = settings.partner_center_scope.split()
        self._store = cache_store
        self._session = IdentitySession(
            ca_file=settings.ca_file, timeout_seconds=timeout_seconds, pool_size=max_workers
        )
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="msal")
        self._discovery = DiscoverySnapshot()
        self._hot = HotTokens()  # a fresh token costs no storage read, msal app or thread hop

    async def get_token(self, user: UserAssertion) -> str:
        hot = self._hot.get(user)
        if hot is not None:
            return hot
        key = cache_key(user)
        blob = await self._store.load(key)
        cache = msal.SerializableTokenCache()
        try:
            cache.deserialize(blob.decode() if blob else None)
        except ValueError:  # not msal's JSON: start empty, like a lost cache
            logger.warning("auth.token_cache.corrupt: starting empty")
            cache = msal.SerializableTokenCache()
        loop = asyncio.get_running_loop()
        try:
            token, expires_in = await loop.run_in_executor(
                self._executor, self._acquire, user, cache
            )
        except SubjectMismatchError:
            raise  # never file another user's token under this seller
        except AuthError:
            await self._save_if_changed(key, cache)  # e.g. msal dropped a revoked refresh token
            raise
        await self._save_if_changed(key, cache)
        self._hot.keep(user, token, expires_in)
        return token

    async def _save_if_changed(self, key: str, cache: msal.SerializableTokenCache) -> None:
        if cache.has_state_changed:
            await self._store.save(key, cache.serialize().encode())

    async def aclose(self) -> None:
        """Wait for running msal calls on a helper thread, then close the pool and session."""
        await asyncio.to_thread(self._executor.shutdown, wait=True)
        self._session.close()

    # Everything below runs on the msal thread pool.

    def _acquire(
        self, user: UserAssertion, cache: msal.SerializableTokenCache
    ) -> tuple[str, float]:
        try:
            return self._acquire_or_raise(user, cache)
        except AuthError as exc:
            logger.warning("auth.obo.failed %s", exc)
            raise
        except requests.exceptions.SSLError as exc:
            logger.error("auth.obo.tls_untrusted: identity certificate not trusted")
            raise AuthConfigurationError(error="tls_untrusted") from exc
        except (requests.RequestException, MsalError, ValueError) as exc:
            logger.warning("auth.obo.unavailable %s", type(exc).__name__)
            raise IdentityUnavailableError(error=type(exc).__name__) from exc

    def _acquire_or_raise(
        self, user: UserAssertion, cache: msal.SerializableTokenCache
    ) -> tuple[str, float]:
        """The token and its remaining lifetime in seconds (0 when msal does not say)."""
        app = self._application(cache)
        account = next(
            (a for a in app.get_accounts() if a.get("local_account_id") == user.user_id), None
        )
        if account is not None:
            cached = app.acquire_token_silent(self._scopes, account)
            if cached and "access_token" in cached:
                return str(cached["access_token"]), _seconds(cached.get("expires_in"))
        if not user.token:  # silent only (issue 17: acting for a seller outside their turn)
            logger.info("auth.obo.no_cached_token")
            raise SignInRequiredError(SignInReason.INTERACTION, error="no_cached_token")
        result = app.acquire_token_on_behalf_of(user.token, self._scopes)
        if "access_token" not in result:
            raise error_from_result(result)
        claims = result.get("id_token_claims") or {}
        if claims.get("oid", user.user_id) != user.user_id:
            raise SubjectMismatchError(SignInReason.INVALID_ASSERTION, error="subject_mismatch")
        logger.info("auth.obo.acquired")
        return str(result["access_token"]), _seconds(result.get("expires_in"))

    def _application(
        self, cache: msal.SerializableTokenCache
    ) -> msal.ConfidentialClientApplication:
        http_cache = self._discovery.fresh_copy()
        needs_discovery = not http_cache
        try:
            app = msal.ConfidentialClientApplication(
                self._settings.client_id,
                client_credential=self._settings.client_secret.get_secret_value(),
                authority=self._settings.authority,
                instance_discovery=False,
                http_client=self._session,
                http_cache=http_cache,
                token_cache=cache,
            )
        except ValueError as exc:  # discovery answered 4xx: unknown tenant or authority
            raise AuthConfigurationError(error="invalid_authority") from exc
        if needs_discovery:
            self._discovery.keep(http_cache)
        return app


def _seconds(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0

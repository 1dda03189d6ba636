"""App-only tokens (client credentials), for the one Partner Center API that takes them.

"Partner Center webhooks", Prerequisites: the webhook APIs support "both standalone App and
App+User credentials", so `python -m bot register-webhooks` authenticates as the bot's own Entra
app (`REFERRAL_BOT_IDENTITY__CLIENT_ID` / `__CLIENT_SECRET`) in the partner's tenant
(`REFERRAL_BOT_IDENTITY__TENANT_ID`: a tenant id or domain, not `organizations`). No user, no
password, nothing stored: msal keeps the token in memory until it expires. Referrals never use
this: they accept App+User only (bot.auth.obo). msal is blocking, so it runs in a thread.
"""

from __future__ import annotations

import asyncio
import logging
import threading

import msal
import requests
from msal.exceptions import MsalError

from bot.auth.errors import AuthConfigurationError, IdentityUnavailableError, error_from_result
from bot.auth.obo import IdentitySession
from bot.settings import IdentitySettings

logger = logging.getLogger(__name__)
GENERIC_TENANTS = frozenset({"organizations", "common", "consumers"})


class AppOnlyTokens:
    """`get_token()`: a token for `scope` as the app itself, in the settings' tenant."""

    def __init__(
        self, settings: IdentitySettings, scope: str, *, timeout_seconds: float = 10.0
    ) -> None:
        if not settings.client_id or not settings.client_secret.get_secret_value():
            raise AuthConfigurationError(error="missing_client_credentials")
        if settings.tenant_id.strip().lower() in GENERIC_TENANTS:
            raise AuthConfigurationError(error="tenant_required")
        self._settings = settings
        self._scopes = [scope]
        self._session = IdentitySession(
            ca_file=settings.ca_file, timeout_seconds=timeout_seconds, pool_size=1
        )
        self._lock = threading.Lock()
        self._app: msal.ConfidentialClientApplication | None = None

    async def get_token(self) -> str:
        return await asyncio.to_thread(self._acquire)

    def close(self) -> None:
        self._session.close()

    def _acquire(self) -> str:
        try:
            with self._lock:
                result = self._application().acquire_token_for_client(scopes=self._scopes)
        except requests.exceptions.SSLError as exc:
            raise AuthConfigurationError(error="tls_untrusted") from exc
        except (requests.RequestException, MsalError) as exc:
            raise IdentityUnavailableError(error=type(exc).__name__) from exc
        if "access_token" not in result:
            raise error_from_result(result)
        logger.info("auth.app_only.acquired")
        return str(result["access_token"])

    def _application(self) -> msal.ConfidentialClientApplication:
        if self._app is None:
            try:
                self._app = msal.ConfidentialClientApplication(
                    self._settings.client_id,
                    client_credential=self._settings.client_secret.get_secret_value(),
                    authority=self._settings.authority,
                    instance_discovery=False,
                    http_client=self._session,
                )
            except ValueError as exc:  # discovery answered 4xx: unknown tenant or authority
                raise AuthConfigurationError(error="invalid_authority") from exc
        return self._app

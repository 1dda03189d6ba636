"""How one emulator run is configured: fixtures, registered apps, throttling, switches."""

from __future__ import annotations

import ssl
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from emulators.fixtures import Fixtures
from emulators.partner_center.odata_grammar import QueryMode

PARTNER_CENTER_AUDIENCE = "https://api.partner.microsoft.com"
# The Partner Center REST API (and its webhook API) take tokens for this resource instead.
PARTNER_CENTER_REST_AUDIENCE = "https://api.partnercenter.microsoft.com"
DEMO_BOT_APP_ID = "b0770000-0000-4000-8000-00000000b077"
DEMO_BOT_APP_SECRET = "referral-bot-demo-secret"  # a demo-only registration, never a real secret
TEAMS_CLIENT_APP_ID = "1fec8e78-bce4-4aaf-ab1b-5451cc387264"  # Teams desktop/web, as in Entra


@dataclass(frozen=True)
class EmulatorConfig:
    fixtures: Fixtures
    # Confidential clients registered with the identity emulator: app id -> secret.
    clients: Mapping[str, str] = field(
        default_factory=lambda: {DEMO_BOT_APP_ID: DEMO_BOT_APP_SECRET}
    )
    test_controls: bool = False  # /_emulator/* routes and the developer SSO grant
    enforce_mfa: bool = True
    throttle_per_minute: int = 60
    token_lifetime_seconds: int = 3600
    host: str = "127.0.0.1"
    # The list route's OData: the documented subset (strict), or the wider grammar (lenient,
    # for experiments only; see docs/emulators.md).
    query_mode: QueryMode = QueryMode.STRICT
    # Webhook deliveries (docs/webhooks.md): a failed attempt waits base * 2**(n-1) seconds
    # before attempt n+1; each attempt may take `attempt_timeout` seconds; at most
    # `concurrency` attempts to one URL are in flight. `sleep` replaces asyncio.sleep (tests).
    webhook_backoff_seconds: float = 1.0
    webhook_attempt_timeout_seconds: float = 10.0
    webhook_concurrency: int = 8
    webhook_sleep: Callable[[float], Awaitable[None]] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class TokenTrust:
    """What the Referrals emulator needs to verify tokens the way Partner Center does."""

    issuer_base: str  # tokens' iss must be f"{issuer_base}/{tid}/v2.0"
    jwks_url: str
    ssl_context: ssl.SSLContext
    audience: str = PARTNER_CENTER_AUDIENCE

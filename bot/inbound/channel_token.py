"""Bot Framework channel tokens validated here, async, before botbuilder sees a request.

Why not the SDK (docs/architecture.md, "SDK seams"): botbuilder 4.17.1 fetches OpenID metadata
with blocking `requests` on the event loop, answers 500 for many bad tokens and never refreshes
keys on an unknown `kid`. Here the metadata and JWKS come over aiohttp, are cached, and are
refetched once on an unknown `kid` (at most once per `refresh_interval`, so forged kids cannot
hammer the endpoint). Only RS256 is accepted; the key must be endorsed for the activity's
channel, and the `serviceurl` claim must equal the activity's serviceUrl. Every failure is
`Unauthorized`.

Two steps (issue 13, D1): `verify` checks the token from the `Authorization` header alone
(signature, audience, issuer, lifetime, kid), so a request without a valid token is refused
before its body is read; `check_activity` then ties the verified token to the decoded activity
(endorsed channel, serviceurl).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import jwt
from botbuilder.schema import Activity
from botframework.connector.auth import ClaimsIdentity

logger = logging.getLogger(__name__)

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
BOT_FRAMEWORK_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
_FETCH_TIMEOUT = aiohttp.ClientTimeout(total=10)


class Unauthorized(Exception):
    """The request carries no valid channel token; the reason is for logs, never for replies."""


@dataclass(frozen=True)
class PublishedKey:
    key: Any  # an RSA public key object PyJWT accepts
    endorsements: frozenset[str]


def _parse_jwks(document: Mapping[str, Any]) -> dict[str, PublishedKey]:
    keys: dict[str, PublishedKey] = {}
    for jwk in document.get("keys") or ():
        if not isinstance(jwk, dict) or jwk.get("kty") != "RSA" or not jwk.get("kid"):
            continue
        try:
            key = jwt.PyJWK(jwk, algorithm="RS256").key
        except jwt.PyJWTError:
            continue
        endorsements = frozenset(str(e) for e in jwk.get("endorsements") or ())
        keys[str(jwk["kid"])] = PublishedKey(key, endorsements)
    return keys


@dataclass
class ChannelKeys:
    """The channel's signing keys: OpenID metadata -> jwks_uri -> keys, cached per instance."""

    session: aiohttp.ClientSession
    metadata_url: str
    refresh_interval: float = 60.0  # seconds between two refetches caused by unknown kids
    max_age: float = 24 * 3600.0
    _keys: dict[str, PublishedKey] = field(default_factory=dict)
    _fetched_at: float | None = None
    _kid_refresh_at: float | None = None  # last refetch an unknown kid caused
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def key(self, kid: str) -> PublishedKey:
        """The key for `kid`; an unknown kid causes one rate-limited refetch, then Unauthorized."""
        if self._stale():
            await self._refresh()
        found = self._keys.get(kid)
        if found is None and self._may_refresh_for_kid():
            self._kid_refresh_at = time.monotonic()
            await self._refresh()
            found = self._keys.get(kid)
        if found is None:
            raise Unauthorized("unknown kid")
        return found

    def _stale(self) -> bool:
        return self._fetched_at is None or time.monotonic() - self._fetched_at > self.max_age

    def _may_refresh_for_kid(self) -> bool:
        last = self._kid_refresh_at
        return last is None or time.monotonic() - last >= self.refresh_interval

    async def _refresh(self) -> None:
        async with self._lock:
            try:
                self._keys = await self._fetch()
            except Exception as error:  # any failure to get keys is a 401, never a 500
                logger.warning("inbound_auth.keys_unavailable %s", type(error).__name__)
                raise Unauthorized("keys unavailable") from None
            finally:
                self._fetched_at = time.monotonic()

    async def _fetch(self) -> dict[str, PublishedKey]:
        metadata = await self._json(self.metadata_url)
        keys = _parse_jwks(await self._json(str(metadata["jwks_uri"])))
        logger.info("inbound_auth.keys_fetched count=%d", len(keys))
        return keys

    async def _json(self, url: str) -> dict[str, Any]:
        async with self.session.get(url, timeout=_FETCH_TIMEOUT) as response:
            response.raise_for_status()
            document = json.loads(await response.read())
        if not isinstance(document, dict):
            raise ValueError("not a JSON object")
        return document


def bearer_token(header: str | None) -> str:
    scheme, _, token = (header or "").strip().partition(" ")
    if scheme.casefold() != "bearer" or not token.strip():
        raise Unauthorized("no bearer token")
    return token.strip()


@dataclass(frozen=True)
class VerifiedToken:
    """A channel token whose signature, audience, issuer and lifetime are checked."""

    claims: dict[str, Any]
    endorsements: frozenset[str]  # the channels its signing key is endorsed for


@dataclass(frozen=True)
class ChannelTokenValidator:
    """Checks `Authorization: Bearer <jwt>` (`verify`), then that it is for the activity."""

    keys: ChannelKeys
    app_id: str
    issuer: str = BOT_FRAMEWORK_ISSUER
    leeway_seconds: float = 60.0  # clock skew between Microsoft and us; small on purpose

    async def verify(self, header: str | None) -> VerifiedToken:
        """The header alone: no work that depends on the request body."""
        token = bearer_token(header)
        published = await self.keys.key(_kid(token))
        return VerifiedToken(self._decode(token, published.key), published.endorsements)

    @staticmethod
    def check_activity(verified: VerifiedToken, activity: Activity) -> ClaimsIdentity:
        """The verified token was issued for this activity's channel and serviceUrl."""
        if not activity.channel_id or activity.channel_id not in verified.endorsements:
            raise Unauthorized("key not endorsed for the channel")
        if verified.claims.get("serviceurl") != activity.service_url:
            raise Unauthorized("serviceurl mismatch")
        return ClaimsIdentity(verified.claims, True, "Bearer")

    def _decode(self, token: str, key: Any) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self.app_id,
                issuer=self.issuer,
                leeway=self.leeway_seconds,
                options={"require": ["exp", "nbf", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(type(error).__name__) from None
        return claims


def _kid(token: str) -> str:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise Unauthorized("not a JWT") from None
    if header.get("alg") != "RS256" or not isinstance(header.get("kid"), str):
        raise Unauthorized("alg or kid refused")
    return str(header["kid"])

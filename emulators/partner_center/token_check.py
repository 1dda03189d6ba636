"""Bearer-token verification as Partner Center does it: RS256 against the issuer's published keys.

Keys come from the identity emulator's JWKS over HTTPS and are cached. A token signed with a
`kid` the cache does not know triggers one refetch (key rotation), but such refetches happen at
most once per `refetch_interval` so a flood of forged kids cannot hammer the identity service.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import aiohttp
import jwt
from aiohttp import web
from jwt.algorithms import RSAAlgorithm

from emulators.config import TokenTrust
from emulators.partner_center.errors import unauthenticated

logger = logging.getLogger(__name__)

LEEWAY_SECONDS = 30
REQUIRED_CLAIMS = ["exp", "nbf", "iss", "aud", "tid"]
JwksFetcher = Callable[[], Awaitable[Mapping[str, Any]]]


def https_jwks_fetcher(trust: TokenTrust, session: aiohttp.ClientSession) -> JwksFetcher:
    async def fetch() -> Mapping[str, Any]:
        timeout = aiohttp.ClientTimeout(total=5)
        async with session.get(trust.jwks_url, ssl=trust.ssl_context, timeout=timeout) as resp:
            resp.raise_for_status()
            document: Mapping[str, Any] = await resp.json()
            return document

    return fetch


class TokenVerifier:
    def __init__(
        self,
        trust: TokenTrust,
        fetch_jwks: JwksFetcher,
        *,
        refetch_interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._trust = trust
        self._fetch_jwks = fetch_jwks
        self._refetch_interval = refetch_interval
        self._clock = clock
        self._keys: dict[str, Any] = {}
        self._loaded = False
        self._last_refetch: float | None = None

    async def verify(self, authorization: str | None) -> dict[str, Any]:
        """The token's claims, or ApiError 401 `unauthenticated` for anything not a valid token."""
        token = _bearer(authorization)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise unauthenticated("The bearer token is malformed.") from exc
        if header.get("alg") != "RS256":
            raise unauthenticated("The token must be signed with RS256.")
        key = await self._key_for(str(header.get("kid", "")))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self._trust.audience,
                leeway=LEEWAY_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.PyJWTError as exc:
            raise unauthenticated(f"The token is not valid: {exc}.") from exc
        if claims["iss"] != f"{self._trust.issuer_base}/{claims['tid']}/v2.0":
            raise unauthenticated("The token was not issued by the trusted identity provider.")
        return claims

    async def _key_for(self, kid: str) -> Any:
        if not self._loaded:
            await self._load()
        if kid not in self._keys and self._may_refetch():
            self._last_refetch = self._clock()
            await self._load()
        if kid not in self._keys:
            raise unauthenticated("The token's signing key is not known.")
        return self._keys[kid]

    def _may_refetch(self) -> bool:
        last = self._last_refetch
        return last is None or self._clock() - last >= self._refetch_interval

    async def _load(self) -> None:
        try:
            document = await self._fetch_jwks()
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            logger.warning("token_check.jwks.unavailable: %s", type(exc).__name__)
            raise unauthenticated("The token's signing keys cannot be fetched.") from exc
        keys: dict[str, Any] = {}
        for jwk in document.get("keys", []):
            if isinstance(jwk, Mapping) and jwk.get("kty") == "RSA" and "kid" in jwk:
                try:
                    keys[str(jwk["kid"])] = RSAAlgorithm.from_jwk(dict(jwk))
                except (jwt.PyJWTError, ValueError, KeyError):
                    logger.warning("token_check.jwks.bad_key kid=%s", jwk["kid"])
        self._keys = keys
        self._loaded = True


def _bearer(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.casefold() != "bearer" or not token.strip():
        raise unauthenticated("A bearer token is required in the Authorization header.")
    return token.strip()


class SessionVerifier:
    """A TokenVerifier whose JWKS session lives as long as the app (an aiohttp cleanup_ctx)."""

    def __init__(self, trust: TokenTrust) -> None:
        self._trust = trust
        self._verifier: TokenVerifier | None = None

    async def session_context(self, _: web.Application) -> AsyncIterator[None]:
        """cleanup_ctx: one HTTPS session to the identity service's JWKS for the app's life."""
        async with aiohttp.ClientSession(trust_env=False) as session:
            self._verifier = TokenVerifier(self._trust, https_jwks_fetcher(self._trust, session))
            yield
            self._verifier = None

    async def verify(self, authorization: str | None) -> dict[str, Any]:
        if self._verifier is None:
            raise RuntimeError("the token verifier's session context is not running")
        return await self._verifier.verify(authorization)

"""Tokens an attacker or a broken client would send: each one must be refused with 401."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization

from emulators.config import DEMO_BOT_APP_ID
from emulators.entra.claims import partner_center_claims
from emulators.entra.keys import SigningKey
from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _segment(value: dict[str, Any]) -> str:
    return _b64url(json.dumps(value).encode())


def claims_for(running: RunningEmulators, user: FixtureUser, **overrides: Any) -> dict[str, Any]:
    claims = partner_center_claims(
        user, identity_base_url=running.identity_base_url, client_id=DEMO_BOT_APP_ID
    )
    claims.update(overrides)
    return claims


def unsigned(claims: dict[str, Any]) -> str:
    """`alg: none`, no signature."""
    return f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{_segment(claims)}."


def hs256_with_public_key(running: RunningEmulators, claims: dict[str, Any]) -> str:
    """The classic algorithm confusion: HMAC keyed with the issuer's public key."""
    key = running.keys.active
    public_pem = key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = f"{_segment({'alg': 'HS256', 'typ': 'JWT', 'kid': key.kid})}.{_segment(claims)}"
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url(signature)}"


def signed_with_unknown_key(claims: dict[str, Any]) -> str:
    stranger = SigningKey.generate()
    return jwt.encode(
        claims, stranger.private_key, algorithm="RS256", headers={"kid": stranger.kid}
    )


def signed_with_unknown_key_reusing_kid(running: RunningEmulators, claims: dict[str, Any]) -> str:
    """A key the issuer never published, claiming the kid of one it did."""
    stranger = SigningKey.generate()
    return jwt.encode(
        claims, stranger.private_key, algorithm="RS256", headers={"kid": running.keys.active.kid}
    )


def with_tampered_payload(token: str, **changes: Any) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    return f"{header}.{_segment(claims)}.{signature}"

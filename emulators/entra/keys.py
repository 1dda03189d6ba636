"""Signing keys of the identity emulator: what Entra publishes as JWKS, signs with, and rotates."""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey

    @classmethod
    def generate(cls) -> SigningKey:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return cls(kid=secrets.token_urlsafe(12), private_key=key)

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return jwk


class KeyRing:
    """The active key signs; the retired one stays published, as Entra does on rollover."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: list[SigningKey] = [SigningKey.generate()]

    @property
    def active(self) -> SigningKey:
        with self._lock:
            return self._keys[-1]

    def rotate(self, *, keep_previous: bool = True) -> SigningKey:
        new = SigningKey.generate()
        with self._lock:
            self._keys = [*self._keys[-1:], new] if keep_previous else [new]
        return new

    def jwks(self) -> dict[str, Any]:
        with self._lock:
            return {"keys": [key.public_jwk() for key in self._keys]}

    def sign(self, claims: dict[str, Any]) -> str:
        key = self.active
        return jwt.encode(
            claims, key.private_key, algorithm="RS256", headers={"kid": key.kid, "typ": "JWT"}
        )

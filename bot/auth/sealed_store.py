"""Per-seller secrets kept between turns: the async key → bytes port, and its encrypted form.

`ByteStore` is the port that both the msal token caches (bot.auth.obo) and the sellers'
referral indexes (bot.referrals) depend on; bot.state implements it on every backend, so
neither needs to import bot.state. `EncryptedByteStore` wraps any store with Fernet
(AES-128-CBC + HMAC-SHA256) under the one key of `REFERRAL_BOT_IDENTITY__TOKEN_CACHE_KEY` and
binds each blob to its key, so a blob copied into another seller's slot reads as empty. A wrong
key or a corrupt blob is an empty store entry (a token cache means a fresh on-behalf-of, an
index a rebuild), logged without its content.
"""

from __future__ import annotations

import logging
from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr

logger = logging.getLogger(__name__)
_SEPARATOR = b"\n"


class ByteStore(Protocol):
    async def load(self, key: str) -> bytes | None: ...

    async def save(self, key: str, blob: bytes) -> None: ...

    async def delete(self, key: str) -> None:
        """Forget the key's blob (sign-out); nothing happens if there is none."""
        ...


class MemoryByteStore:
    """For tests and single-process demos: gone on restart."""

    def __init__(self) -> None:
        self._blobs: dict[str, bytes] = {}

    async def load(self, key: str) -> bytes | None:
        return self._blobs.get(key)

    async def save(self, key: str, blob: bytes) -> None:
        self._blobs[key] = blob

    async def delete(self, key: str) -> None:
        self._blobs.pop(key, None)


class EncryptedByteStore:
    """`kind` names the store in log events (`auth.<kind>.unreadable`), never a key."""

    def __init__(self, inner: ByteStore, key: SecretStr, *, kind: str = "token_cache") -> None:
        try:
            self._fernet = Fernet(key.get_secret_value())
        except ValueError:
            raise ValueError(
                "the token cache key must be a Fernet key (Fernet.generate_key())"
            ) from None
        self._inner = inner
        self._kind = kind

    async def load(self, key: str) -> bytes | None:
        sealed = await self._inner.load(key)
        if sealed is None:
            return None
        try:
            plain = self._fernet.decrypt(sealed)
        except InvalidToken:
            logger.warning(
                "auth.%s.unreadable: wrong key or corrupt blob; starting empty", self._kind
            )
            return None
        bound_key, _, blob = plain.partition(_SEPARATOR)
        if bound_key != key.encode():
            logger.warning("auth.%s.misplaced: blob belongs to another key; ignored", self._kind)
            return None
        return blob

    async def save(self, key: str, blob: bytes) -> None:
        await self._inner.save(key, self._fernet.encrypt(key.encode() + _SEPARATOR + blob))

    async def delete(self, key: str) -> None:
        await self._inner.delete(key)

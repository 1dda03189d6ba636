"""Where each seller's msal token cache is kept between turns: a small async key → bytes store.

`EncryptedTokenCacheStore` wraps any store with Fernet (AES-128-CBC + HMAC-SHA256) and binds
each blob to its key, so a blob copied into another seller's slot reads as empty. A wrong key
or a corrupt blob is an empty cache (the next call does a fresh on-behalf-of), logged without
its content. The next issue puts a bot-storage-backed store under it.
"""

from __future__ import annotations

import logging
from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr

logger = logging.getLogger(__name__)
_SEPARATOR = b"\n"


class TokenCacheStore(Protocol):
    async def load(self, key: str) -> bytes | None: ...

    async def save(self, key: str, blob: bytes) -> None: ...


class MemoryTokenCacheStore:
    """For tests and single-process demos: gone on restart."""

    def __init__(self) -> None:
        self._blobs: dict[str, bytes] = {}

    async def load(self, key: str) -> bytes | None:
        return self._blobs.get(key)

    async def save(self, key: str, blob: bytes) -> None:
        self._blobs[key] = blob


class EncryptedTokenCacheStore:
    def __init__(self, inner: TokenCacheStore, key: SecretStr) -> None:
        try:
            self._fernet = Fernet(key.get_secret_value())
        except ValueError:
            raise ValueError(
                "the token cache key must be a Fernet key (Fernet.generate_key())"
            ) from None
        self._inner = inner

    async def load(self, key: str) -> bytes | None:
        sealed = await self._inner.load(key)
        if sealed is None:
            return None
        try:
            plain = self._fernet.decrypt(sealed)
        except InvalidToken:
            logger.warning("auth.token_cache.unreadable: wrong key or corrupt blob; starting empty")
            return None
        bound_key, _, blob = plain.partition(_SEPARATOR)
        if bound_key != key.encode():
            logger.warning("auth.token_cache.misplaced: blob belongs to another key; ignored")
            return None
        return blob

    async def save(self, key: str, blob: bytes) -> None:
        await self._inner.save(key, self._fernet.encrypt(key.encode() + _SEPARATOR + blob))

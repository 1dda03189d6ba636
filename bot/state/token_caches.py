"""Sellers' msal token caches in the bot's own storage, so every instance shares them.

Blobs are stored base64-encoded under `token-cache/<tenant>/<user>`; `EncryptedByteStore`
wraps this store so storage only ever holds ciphertext.
"""

from __future__ import annotations

import base64
import binascii
import logging

from botbuilder.core import Storage

logger = logging.getLogger(__name__)
_PREFIX = "token-cache/"


class StorageTokenCacheStore:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    async def load(self, key: str) -> bytes | None:
        item = (await self._storage.read([_PREFIX + key])).get(_PREFIX + key)
        encoded = item.get("blob") if isinstance(item, dict) else None
        if not isinstance(encoded, str):
            return None
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            logger.warning("state.token_cache.corrupt: unreadable entry ignored")
            return None

    async def save(self, key: str, blob: bytes) -> None:
        encoded = base64.b64encode(blob).decode("ascii")
        await self._storage.write({_PREFIX + key: {"blob": encoded, "e_tag": "*"}})

    async def delete(self, key: str) -> None:
        await self._storage.delete([_PREFIX + key])

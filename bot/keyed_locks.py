"""KeyedLocks: work that shares a key runs one after the other, in this process.

Two messages a seller sends at once in one conversation would otherwise both read the same
version of their dialog state, and the second save would fail its version check
(bot.inbound.activity_handler); two first turns of one seller would each fetch a dev SSO token
(bot.sign_in.dev_sso). A lock per key is kept only while someone holds or awaits it, so idle
conversations and sellers cost nothing: memory does not grow with every key ever seen.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)


@dataclass
class _Entry:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0  # the holder plus everyone waiting


class KeyedLocks(Generic[Key]):
    """One asyncio.Lock per key while anyone holds or waits for it; forgotten afterwards."""

    def __init__(self) -> None:
        self._entries: dict[Key, _Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    @asynccontextmanager
    async def hold(self, key: Key) -> AsyncIterator[None]:
        entry = self._entries.setdefault(key, _Entry())
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._entries[key]

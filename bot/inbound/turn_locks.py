"""KeyedLocks: turns that share a key run one after the other, in this process.

Two messages a seller sends at once in one conversation would otherwise both read the same
version of their dialog state, and the second save would fail its version check. A lock per
key is kept only while a turn holds or awaits it, so idle conversations cost nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class _Entry:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0  # the holder plus everyone waiting


class KeyedLocks:
    """One asyncio.Lock per key while anyone holds or waits for it; forgotten afterwards."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        entry = self._entries.setdefault(key, _Entry())
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._entries[key]

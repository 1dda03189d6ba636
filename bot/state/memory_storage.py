"""VersionedMemoryStorage: botbuilder's MemoryStorage, raising our StorageConflictError.

botbuilder's MemoryStorage reports a stale e_tag as a KeyError whose only mark is its text;
callers here tell a conflict by type (`bot.state.errors`), the same for every backend. The e_tag
rule is botbuilder's own: a write carrying an e_tag other than "*" replaces only that version of
an item that has one.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import MemoryStorage

from bot.state.errors import StorageConflictError

_ANY = "*"


class VersionedMemoryStorage(MemoryStorage):  # type: ignore[misc]  # botbuilder is untyped
    async def write(self, changes: dict[str, Any]) -> None:
        """Each item is checked just before it is written (no await in between), as botbuilder
        does: items before a conflicting one stay written."""
        if not changes:
            await super().write(changes)  # None is refused, {} is nothing to do (botbuilder)
            return
        for key, change in changes.items():
            stored, wanted = _etag(self.memory.get(key)), _etag(change)
            if stored is not None and wanted not in (None, "", _ANY) and wanted != stored:
                raise StorageConflictError(key)
            await super().write({key: change})


def _etag(item: object) -> Any:
    return item.get("e_tag") if isinstance(item, dict) else getattr(item, "e_tag", None)

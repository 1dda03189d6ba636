"""What can go wrong with the bot's stores (SQLite, Blob, memory), as types callers act on.

    StateError                   anything from a store of this package
    ├── StorageConflictError     a write's e_tag is no longer current: someone else wrote in
    │                              between (nothing in that write applied); re-read and retry
    ├── StorageUnavailableError  the store cannot be used: down, too slow, container missing,
    │                              access refused
    └── UnsafeStateError         a stored document names a class or tag the codec refuses
                                   (also a ValueError: it is bad data, not a failed call)

Callers tell a conflict by its type. Its message still starts with "Etag conflict": botbuilder's
Teams SSO dedupe middleware reads only the message text of whatever the storage raised, and
treats that text as "another instance has this token exchange".
"""

from __future__ import annotations


class StateError(Exception):
    pass


class StorageConflictError(StateError):
    def __init__(self, key: str) -> None:
        super().__init__(f"Etag conflict: {key!r} was changed by another writer; read it again")
        self.key = key


class StorageUnavailableError(StateError):
    pass


class UnsafeStateError(StateError, ValueError):
    pass

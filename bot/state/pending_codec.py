"""A pending change as JSON by its type hints (pydantic), not by jsonpickle.

Every proposal is written once and every Confirm reads it two or three times; jsonpickle took
≈ 0.5 ms each way for one `PendingChange`, pydantic's compiled (de)serialiser ≈ 10 µs, and its
reading builds only the types the dataclass declares (nothing named by the document is imported
or called). Rows written by the generic codec (jsonpickle) before are still read through it.
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import TypeAdapter

from bot.domain.pending import PendingChange
from bot.state import sqlite_codec
from bot.state.errors import UnsafeStateError

_LEGACY_MARK = '"py/object"'


@functools.cache
def _adapter() -> TypeAdapter[PendingChange]:
    return TypeAdapter(PendingChange)


def encode_pending(change: PendingChange) -> str:
    return _adapter().dump_json(change).decode("utf-8")


def decode_pending(stored: Any) -> PendingChange:
    """From `encode_pending`'s JSON, or from an object/JSON the generic codec wrote earlier."""
    if isinstance(stored, PendingChange):  # an item the generic codec decoded already
        return stored
    if not isinstance(stored, str):
        raise UnsafeStateError("a pending change is stored as neither JSON nor text")
    if _LEGACY_MARK in stored[:64]:
        legacy = sqlite_codec.decode(stored)
        if not isinstance(legacy, PendingChange):
            raise UnsafeStateError("a pending change row holds something else")
        return legacy
    try:
        return _adapter().validate_json(stored)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise UnsafeStateError("a pending change row is not readable") from error

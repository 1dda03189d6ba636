"""Recipients, channel subscriptions and outbox entries as JSON by their type hints (pydantic).

As `bot.state.pending_codec`: the reading builds only the types the dataclass declares.
Datetimes are ISO 8601 with their offset (a naive one is refused on the way in and out: stores
compare instants), a digest's weekdays a list, a conversation reference the JSON it already is.
"""

from __future__ import annotations

import functools
from dataclasses import fields, is_dataclass
from datetime import datetime
from typing import Any, TypeVar

from pydantic import TypeAdapter

from bot.domain.proactive import ChannelSubscription, Notification, Recipient
from bot.state.errors import UnsafeStateError

T = TypeVar("T", Recipient, ChannelSubscription, Notification)


@functools.cache
def _adapters() -> dict[type[Any], TypeAdapter[Any]]:
    return {kind: TypeAdapter(kind) for kind in (Recipient, ChannelSubscription, Notification)}


def encode(value: Recipient | ChannelSubscription | Notification) -> str:
    _refuse_naive(value)
    return _adapters()[type(value)].dump_json(value).decode("utf-8")


def decode(kind: type[T], stored: str | bytes) -> T:
    try:
        value: T = _adapters()[kind].validate_json(stored)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise UnsafeStateError(f"a stored {kind.__name__} is not readable") from error
    try:
        _refuse_naive(value)
    except ValueError as error:
        raise UnsafeStateError(f"a stored {kind.__name__} has a time without a zone") from error
    return value


def _refuse_naive(value: Any) -> None:
    for field in fields(value):
        inner = getattr(value, field.name)
        if isinstance(inner, datetime) and inner.tzinfo is None:
            raise ValueError(f"{type(value).__name__}.{field.name} must be timezone-aware")
        if is_dataclass(inner) and not isinstance(inner, type):
            _refuse_naive(inner)

"""Instants as integer microseconds since the epoch: SQLite compares them across time zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def micros(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("stored times must be timezone-aware")
    return round(moment.timestamp() * 1_000_000)


def instant(stored: int) -> datetime:
    return _EPOCH + timedelta(microseconds=stored)

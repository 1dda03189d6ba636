"""A reason the seller sees when a value looks like an amount or a date but cannot be used."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Returned (never raised) by the value parsers, so a template can try the next reading.

    `specific` problems ("a deal value can't be negative") beat generic ones ("I couldn't read
    that as an amount") when the parser explains why nothing matched.
    """

    reason: str
    specific: bool = True


def shorten(text: str, limit: int = 60) -> str:
    """Echo the seller's words back without flooding the chat."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

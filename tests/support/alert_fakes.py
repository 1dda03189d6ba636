"""In-memory stand-ins for the proactive ports (bot.domain.proactive) the lead alerts use: the
recipients and channel stores, the outbox with its claims, and a sender that records every card
it posts or updates (and fails on demand: gone, or a transient error a number of times), and one
whose posts never come back."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.domain.proactive import (
    RecipientGoneError,
    Reference,
)


@dataclass(frozen=True)
class Posted:
    conversation_id: str
    card: Mapping[str, Any]
    activity_id: str | None = None  # for an update: the activity replaced


@dataclass
class FakeSender:
    """Posts into nothing: `sent` and `updated` say what went where. Conversations in `gone`
    answer like Teams after the app was removed; `failing[conversation] = n` fails n times."""

    sent: list[Posted] = field(default_factory=list)
    updated: list[Posted] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    failing: dict[str, int] = field(default_factory=dict)
    attempts: list[str] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def send(self, reference: Reference, card: Mapping[str, Any]) -> str | None:
        conversation = reference["conversation"]["id"]
        self._attempt(conversation)
        activity_id = f"1:{next(self._ids)}"
        self.sent.append(Posted(conversation, card, activity_id))
        return activity_id

    async def update(self, reference: Reference, activity_id: str, card: Mapping[str, Any]) -> None:
        conversation = reference["conversation"]["id"]
        self._attempt(conversation)
        self.updated.append(Posted(conversation, card, activity_id))

    def _attempt(self, conversation: str) -> None:
        self.attempts.append(conversation)
        if conversation in self.gone:
            raise RecipientGoneError()
        if self.failing.get(conversation, 0) > 0:
            self.failing[conversation] -= 1
            raise ConnectionResetError("the connector dropped the connection")

    def cards_in(self, conversation: str) -> list[Mapping[str, Any]]:
        return [posted.card for posted in self.sent if posted.conversation_id == conversation]

    def updates_in(self, conversation: str) -> list[Mapping[str, Any]]:
        return [posted.card for posted in self.updated if posted.conversation_id == conversation]


@dataclass
class HangingSender:
    """A sender whose posts never come back (an instance frozen, then killed, mid-send):
    `started` counts the posts begun; `begun(n)` waits until n have."""

    started: list[str] = field(default_factory=list)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def send(self, reference: Reference, card: Mapping[str, Any]) -> str | None:
        async with self._changed:
            self.started.append(reference["conversation"]["id"])
            self._changed.notify_all()
        await asyncio.Event().wait()  # forever: the task is cancelled
        raise AssertionError("unreachable")

    async def update(self, reference: Reference, activity_id: str, card: Mapping[str, Any]) -> None:
        await asyncio.Event().wait()

    async def begun(self, count: int) -> None:
        async with asyncio.timeout(10), self._changed:
            await self._changed.wait_for(lambda: len(self.started) >= count)

"""What the machine believes about each pending change and referral, and how it reads answers.

Kept apart from the rules so the machine reads as "do, then compare with this model".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain.pending import PendingChange, PendingState
from emulators.fixtures import FixtureUser
from tests.support.answers import CARD, MESSAGE, confirm_id, text_of


class Said(StrEnum):
    """What a Confirm click answered, in the machine's words."""

    SAVED = "saved"
    ALREADY_SAVED = "already_saved"
    REPROPOSED = "reproposed"  # a fresh confirm card after a 412
    ALREADY_DONE = "already_done"  # the referral already shows the change
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    NOT_YOURS = "not_yours"
    SIGN_IN = "sign_in"
    IN_PROGRESS = "in_progress"


_CARD_TEXTS = (  # first match wins: "already saved" also contains "saved"
    ("already saved", Said.ALREADY_SAVED),
    ("already shows this change", Said.ALREADY_DONE),
    ("out of date", Said.SUPERSEDED),
    ("has expired", Said.EXPIRED),
    ("can confirm this change", Said.NOT_YOURS),
    ("saved", Said.SAVED),
)


def said(body: dict[str, Any]) -> Said:
    """Classify an invoke answer; anything unforeseen fails the example with its text."""
    text = text_of(body).lower()
    if body["type"] == CARD:
        if confirm_id(body) is not None:
            return Said.REPROPOSED
        for needle, meaning in _CARD_TEXTS:
            if needle in text:
                return meaning
    if body["type"] == MESSAGE:
        if "sign in" in text:
            return Said.SIGN_IN
        if "being saved" in text:
            return Said.IN_PROGRESS
    raise AssertionError(f"unforeseen answer: {body['type']} {text!r}")


@dataclass
class Proposal:
    """A pending change as the machine expects the store to hold it (`state` None: pruned)."""

    id: str
    proposer: FixtureUser
    referral_id: str
    etag: str
    operations: list[dict[str, Any]]
    expires_at: datetime
    state: PendingState | None = PendingState.PENDING
    landed: int = 0  # successful PATCHes attributed to this id
    asked_to_sign_in: bool = False  # a click on it was answered "sign in"

    @classmethod
    def of(cls, change: PendingChange, proposer: FixtureUser) -> Proposal:
        return cls(
            id=change.id,
            proposer=proposer,
            referral_id=change.referral_id,
            etag=change.etag,
            operations=[dict(operation) for operation in change.operations],
            expires_at=change.expires_at,
            state=change.state,
        )

    def expected_answer(self, *, now: datetime, current_etag: str, signed_in: bool) -> Said:
        """What the proposer's Confirm click should answer (REPROPOSED: a 412 happens)."""
        if self.state is None:
            return Said.EXPIRED  # pruned: the store no longer knows it
        if self.state is PendingState.APPLIED:
            return Said.ALREADY_SAVED
        if self.state is PendingState.SUPERSEDED:
            return Said.SUPERSEDED
        if now >= self.expires_at:
            return Said.EXPIRED
        if not signed_in:
            return Said.SIGN_IN
        return Said.SAVED if self.etag == current_etag else Said.REPROPOSED


@dataclass
class Referrals:
    """Per referral: its current eTag, the other writer's last notes, the bot's landed values."""

    etags: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    applied: dict[str, dict[str, Any]] = field(default_factory=dict)  # path -> value

    def record_write(self, referral_id: str, operations: list[dict[str, Any]]) -> None:
        fields = self.applied.setdefault(referral_id, {})
        for operation in operations:
            fields[operation["path"]] = operation["value"]


def at_pointer(document: dict[str, Any], pointer: str) -> Any:
    value: Any = document
    for part in pointer.lstrip("/").split("/"):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def shows(document: dict[str, Any], pointer: str, expected: Any) -> bool:
    """Whether the stored document holds `expected` at `pointer` (numbers and instants loosely)."""
    actual = at_pointer(document, pointer)
    if isinstance(expected, int | float) and isinstance(actual, int | float | str):
        return float(actual) == float(expected)
    if isinstance(expected, str) and pointer.endswith("DateTime") and isinstance(actual, str):
        return actual[:19] == expected[:19]
    return bool(actual == expected)

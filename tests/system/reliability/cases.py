"""Each fault case: the emulator rules it injects, and the figures a correct bot produces.

Rules are posted to the Referrals emulator's `/_emulator/faults` on the item path of referral
123. `step` says when they are injected: before the seller's `mark 123 won` message (faults on
the proposal's GET) or before the Confirm click. Expected figures are what a correct bot does;
where the bot does something else the test fails and the report says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Step = Literal["propose", "confirm"]
SAVED = "Saved"
FRESH_CONFIRM = "fresh confirm card"
CONFIRM_CARD = "confirm card"
ALREADY_SAVED = "already saved"


@dataclass(frozen=True)
class Rule:
    kind: str
    method: str
    times: int = 1
    params: dict[str, Any] = field(default_factory=dict)

    def json(self) -> dict[str, Any]:
        return {"kind": self.kind, "method": self.method, "times": self.times, **self.params}


@dataclass(frozen=True)
class Case:
    id: str
    fault: str  # the row label: what the emulator was told to do
    on: str
    step: Step
    rules: tuple[Rule, ...]
    patches: int  # PATCHes the emulator received during the faulted step
    applied: int  # of which changed the referral
    gets: int  # GETs the emulator received during the faulted step
    sees: str  # a phrase of what the seller sees after the faulted step
    answer: Literal["card", "message"]  # an invoke's body type, or the reply to the message
    second: str  # a phrase of what the seller sees on the next click, the fault cleared
    second_must_not: str | None = None  # a phrase the next click must not say


NOT_CHANGED = "nothing was changed"
THROTTLED = "Partner Center is busy right now. Please try Confirm again in 1 second"
NOT_APPLIED = "so nothing was changed yet. Please click Confirm again"
UNKNOWN = "can't tell yet whether your change was saved"
ALREADY_THERE = "Partner Center already shows this change"
CANNOT_READ = "Your change was saved, but I couldn't load the updated referral"

CASES = (
    Case(
        "patch-429-once",
        "429, Retry-After 1, once",
        "Confirm PATCH",
        "confirm",
        (Rule("throttle", "PATCH", params={"retry_after": 1}),),
        patches=2,
        applied=1,
        gets=0,
        sees=SAVED,
        answer="card",
        second=ALREADY_SAVED,
    ),
    Case(
        "patch-429-always",
        "429, Retry-After 1, every time",
        "Confirm PATCH",
        "confirm",
        (Rule("throttle", "PATCH", times=-1, params={"retry_after": 1}),),
        patches=3,
        applied=0,
        gets=0,
        sees=THROTTLED,
        answer="message",
        second=SAVED,
    ),
    Case(
        "patch-503-retry-after-once",
        "503 with Retry-After 1, once",
        "Confirm PATCH",
        "confirm",
        (Rule("error", "PATCH", params={"status": 503, "retry_after": 1}),),
        patches=2,
        applied=1,
        gets=0,
        sees=SAVED,
        answer="card",
        second=ALREADY_SAVED,
    ),
    Case(
        "patch-503-once",
        "503 without Retry-After, once",
        "Confirm PATCH",
        "confirm",
        (Rule("error", "PATCH", params={"status": 503}),),
        patches=2,
        applied=1,
        gets=1,
        sees=SAVED,
        answer="card",
        second=ALREADY_SAVED,
    ),
    Case(
        "patch-500-always",
        "500 every time",
        "Confirm PATCH",
        "confirm",
        (Rule("error", "PATCH", times=-1, params={"status": 500}),),
        patches=3,
        applied=0,
        gets=3,
        sees=NOT_APPLIED,
        answer="message",
        second=SAVED,
    ),
    Case(
        "patch-hang-once",
        "hang 30 s (> 0.5 s attempt timeout), once",
        "Confirm PATCH",
        "confirm",
        (Rule("hang", "PATCH", params={"seconds": 30}),),
        patches=2,
        applied=1,
        gets=1,
        sees=SAVED,
        answer="card",
        second=ALREADY_SAVED,
    ),
    Case(
        "patch-drop-after-write",
        "connection dropped after the write applied, once",
        "Confirm PATCH",
        "confirm",
        (Rule("drop_after_write", "PATCH"),),
        patches=1,
        applied=1,
        gets=1,
        sees=SAVED,
        answer="card",
        second=ALREADY_SAVED,
    ),
    Case(
        "patch-204",
        "204 without body (Prefer ignored), once",
        "Confirm PATCH",
        "confirm",
        (Rule("ignore_prefer", "PATCH"),),
        patches=1,
        applied=1,
        gets=1,
        sees=SAVED,
        answer="card",
        second=ALREADY_SAVED,
    ),
    Case(
        "patch-412",
        "412: another writer first (bump_etag), once",
        "Confirm PATCH",
        "confirm",
        (Rule("bump_etag", "PATCH"),),
        patches=1,
        applied=0,
        gets=1,
        sees=FRESH_CONFIRM,
        answer="card",
        second=SAVED,
    ),
    Case(
        "patch-drop-then-get-500",
        "write applied, connection dropped; every re-read 500",
        "Confirm PATCH + GET",
        "confirm",
        (Rule("drop_after_write", "PATCH"), Rule("error", "GET", -1, {"status": 500})),
        patches=1,
        applied=1,
        gets=6,
        sees=UNKNOWN,
        answer="message",
        second=ALREADY_THERE,
        second_must_not=NOT_CHANGED,
    ),
    Case(
        "patch-204-then-get-500",
        "204 without body; every re-read 500",
        "Confirm PATCH + GET",
        "confirm",
        (Rule("ignore_prefer", "PATCH"), Rule("error", "GET", -1, {"status": 500})),
        patches=1,
        applied=1,
        gets=3,
        sees=CANNOT_READ,
        answer="card",
        second=ALREADY_SAVED,
    ),
    Case(
        "get-429-once",
        "429, Retry-After 1, once",
        "proposal GET",
        "propose",
        (Rule("throttle", "GET", params={"retry_after": 1}),),
        patches=0,
        applied=0,
        gets=2,
        sees=CONFIRM_CARD,
        answer="card",
        second=SAVED,
    ),
    Case(
        "get-500-always",
        "500 every time",
        "proposal GET",
        "propose",
        (Rule("error", "GET", times=-1, params={"status": 500}),),
        patches=0,
        applied=0,
        gets=3,
        sees="try again",
        answer="message",
        second=SAVED,
    ),
    Case(
        "get-hang-once",
        "hang 30 s (> 0.5 s attempt timeout), once",
        "proposal GET",
        "propose",
        (Rule("hang", "GET", params={"seconds": 30}),),
        patches=0,
        applied=0,
        gets=2,
        sees=CONFIRM_CARD,
        answer="card",
        second=SAVED,
    ),
    Case(
        "get-dropped-once",
        "connection dropped, once",
        "proposal GET",
        "propose",
        (Rule("drop_after_write", "GET"),),
        patches=0,
        applied=0,
        gets=2,
        sees=CONFIRM_CARD,
        answer="card",
        second=SAVED,
    ),
)

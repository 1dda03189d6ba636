"""What a Confirm or Cancel click answers: the invoke bodies Teams expects, and every sentence.

Three kinds of answer (the `type` of an `adaptiveCard/action` invoke response):
- a card (`application/vnd.microsoft.card.adaptive`): replaces the clicked card, in Teams for
  the person who clicked only. Used for final outcomes: saved, cancelled, expired, refused.
- a message (`application/vnd.microsoft.activity.message`): Teams shows the text and leaves the
  card as it was, buttons included. Used when the seller should click Confirm again on the same
  card: Partner Center busy, sign-in needed, a click already being applied.
- an error (`application/vnd.microsoft.error`, 4xx): a malformed or unknown button.
"""

from __future__ import annotations

import math
from typing import Any

from bot.cards.notice import NoticeStyle, render_notice_card

CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"
ERROR = "application/vnd.microsoft.error"

SAVED = "Saved."
ALREADY_SAVED = "This change was already saved."
SOMEONE_ELSE_CHANGED = (
    "Someone else changed this referral a moment ago, so nothing was saved yet. "
    "Here is what your change would do now: please confirm again."
)
SOMEONE_ALREADY_DID = "Someone else already made this change, so I didn't change anything."
NOT_ANSWERED_CHANGED = (
    "Partner Center didn't confirm your change, and the referral has changed since you saw it. "
    "Here is what your change would do now: please confirm again."
)
IN_PROGRESS = "Your change is being saved right now. Give it a moment, then look at the referral."
NOT_APPLIED = (
    "Partner Center didn't answer in time, so nothing was changed. Please click Confirm again."
)
SIGN_IN_STEPS = 'Send me "sign in", then click Confirm again.'
SIGN_IN = f"I need you to sign in before I can save this. {SIGN_IN_STEPS}"
BAD_BUTTON = "That button didn't send what I expected. Please ask me again."
UNKNOWN_BUTTON = "I don't know that button any more. Please ask me again."


def card(value: dict[str, Any]) -> dict[str, Any]:
    return {"statusCode": 200, "type": CARD, "value": value}


def message(text: str) -> dict[str, Any]:
    return {"statusCode": 200, "type": MESSAGE, "value": text}


def bad_request(text: str) -> dict[str, Any]:
    return {"statusCode": 400, "type": ERROR, "value": {"code": "BadRequest", "message": text}}


def notice(title: str, text: str, *, style: NoticeStyle = "default") -> dict[str, Any]:
    return card(render_notice_card(title, text, style=style))


def busy(retry_after: float | None) -> str:
    if retry_after is None or retry_after <= 0:
        return "Partner Center is busy right now. Please try Confirm again in a minute."
    seconds = max(1, math.ceil(retry_after))
    unit = "second" if seconds == 1 else "seconds"
    return f"Partner Center is busy right now. Please try Confirm again in {seconds} {unit}."


def try_again(explanation: str) -> str:
    return f"{explanation} Nothing was changed; please click Confirm again in a moment."


def not_yours(proposer_name: str, verb: str) -> dict[str, Any]:
    who = proposer_name.strip() or "the person who asked for it"
    return notice(
        "Not your change",
        f"Only {who} can {verb} this change. Nothing was changed, and their card still works.",
    )


def expired() -> dict[str, Any]:
    return notice(
        "This confirmation has expired",
        "Nothing was changed. Ask me again and I'll show you a fresh card.",
    )


def superseded() -> dict[str, Any]:
    return notice(
        "This confirmation is out of date",
        "There is a newer one, and nothing was changed with this card. "
        "Use the latest card, or ask me again.",
    )


def cancelled() -> dict[str, Any]:
    return notice("Cancelled", "Cancelled — nothing was changed.")


def already_cancelled() -> dict[str, Any]:
    return notice("Cancelled", "This change was cancelled, so nothing was changed.")


def too_late_to_cancel() -> dict[str, Any]:
    return notice(
        "Already saved", "Too late to cancel: this change was already saved.", style="good"
    )


def already_saved() -> dict[str, Any]:
    return notice("Already saved", ALREADY_SAVED, style="good")


def saved_unreadable(explanation: str) -> dict[str, Any]:
    return notice("Saved", explanation, style="good")


def refused(explanation: str) -> dict[str, Any]:
    return notice("Nothing was changed", explanation, style="attention")


def outcome_unknown(referral_id: str) -> dict[str, Any]:
    return notice(
        "I couldn't tell whether it was saved",
        "Partner Center didn't answer, so I don't know whether your change was saved. "
        f'Please look at the referral first (say "show {referral_id}") before asking again.',
        style="warning",
    )


def changed_meanwhile(explanation: str) -> str:
    return f"Someone else changed this referral a moment ago, so nothing was saved. {explanation}"

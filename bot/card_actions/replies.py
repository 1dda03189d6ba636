"""What a Confirm or Cancel click answers: the invoke bodies Teams expects, and every sentence.

Three kinds of answer (the `type` of an `adaptiveCard/action` invoke response):
- a card (`application/vnd.microsoft.card.adaptive`): replaces the clicked card, in Teams for
  the person who clicked only. Used for final outcomes: saved, cancelled, expired, refused.
- a message (`application/vnd.microsoft.activity.message`): Teams shows the text and leaves the
  card as it was, buttons included. Used when the seller should click Confirm again on the same
  card: Partner Center busy, sign-in needed, a click already being applied.
- an error (`application/vnd.microsoft.error`, 4xx): a malformed or unknown button.

An answer that takes longer than Teams waits for an invoke is first a "Saving…" card, then the
card the answer would have been (`card_for_update`) replaces the clicked card for everyone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from bot.cards.confirm_change import CONFIRM_VERB, confirm_buttons
from bot.cards.elements import execute
from bot.cards.notice import NoticeStyle, render_notice_card

CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"
ERROR = "application/vnd.microsoft.error"

SAVED = "Saved."
SAVED_TITLE = "Saved"
ALREADY_SAVED = "This change was already saved."
SOMEONE_ELSE_CHANGED = (
    "Someone else changed this referral a moment ago, so nothing was saved yet. "
    "Here is what your change would do now: please confirm again."
)
ALREADY_THERE = "Partner Center already shows this change, so there was nothing left to save."
NOT_ANSWERED_CHANGED = (
    "Partner Center didn't confirm your change, and the referral has changed since you saw it. "
    "Here is what your change would do now: please confirm again."
)
TOO_LATE_TO_CANCEL = "Too late to cancel: this change was already saved."
IN_PROGRESS = "Your change is being saved right now. Give it a moment, then look at the referral."
CONFIRM_AGAIN_SAFELY = "Please click Confirm again: I'll check first, and it is never saved twice."
NOT_APPLIED = (
    f"Partner Center didn't save your change, so nothing was changed yet. {CONFIRM_AGAIN_SAFELY}"
)
OUTCOME_UNKNOWN = (
    "Partner Center didn't answer, so I can't tell yet whether your change was saved. "
    f"{CONFIRM_AGAIN_SAFELY}"
)
SIGN_IN_STEPS = 'Send me "sign in", then click Confirm again.'
SIGN_IN = f"I need you to sign in before I can save this. {SIGN_IN_STEPS}"
BAD_BUTTON = "That button didn't send what I expected. Please ask me again."
UNKNOWN_BUTTON = "I don't know that button any more. Please ask me again."
SAVING_TITLE = "Saving your change…"
SAVING = (
    "I haven't heard back from Partner Center yet. This card will show whether your change "
    "was saved as soon as it answers."
)
NOT_SAVED_YET = "Not saved yet"
CHECK_AGAIN = "Check again"


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


def sign_in_first(explanation: str) -> str:
    return f"{explanation} {SIGN_IN_STEPS}"


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
    return notice("Already saved", TOO_LATE_TO_CANCEL, style="good")


def already_saved() -> dict[str, Any]:
    return notice("Already saved", ALREADY_SAVED, style="good")


def saved_unreadable(explanation: str) -> dict[str, Any]:
    return notice(SAVED_TITLE, explanation, style="good")


def refused(explanation: str) -> dict[str, Any]:
    return notice("Nothing was changed", explanation, style="attention")


def changed_meanwhile(explanation: str) -> str:
    return f"Someone else changed this referral a moment ago, so nothing was saved. {explanation}"


def saving(pending_id: str | None = None) -> dict[str, Any]:
    """The answer when a click's work outlives Teams' invoke timeout: nothing claimed as saved.

    For a Confirm, one button asks again: while the save runs it answers "being saved", and if
    this process died before updating the card, a click after the claim's lease settles the
    change (`bot.card_actions.confirm_flow`): the card is never left saying "Saving…" with nothing
    to do."""
    actions = (
        []
        if pending_id is None
        else [execute(CHECK_AGAIN, CONFIRM_VERB, {"pendingId": pending_id})]
    )
    return card(render_notice_card(SAVING_TITLE, SAVING, actions=actions))


def card_for_update(body: Mapping[str, Any], *, pending_id: str | None) -> dict[str, Any]:
    """The card replacing the "Saving…" one: the answer's card; for a message a notice with
    Confirm/Cancel again for `pending_id` (a message leaves the card working); else an error."""
    value = body.get("value")
    if body.get("type") == CARD and isinstance(value, dict):
        return value
    if body.get("type") == MESSAGE:
        return render_notice_card(NOT_SAVED_YET, str(value), actions=_buttons_again(pending_id))
    message = value.get("message") if isinstance(value, Mapping) else None
    return render_notice_card("Nothing was changed", str(message or BAD_BUTTON), style="attention")


def _buttons_again(pending_id: str | None) -> list[dict[str, Any]]:
    if pending_id is None:
        return []
    return confirm_buttons(pending_id)


def failed_while_saving(correlation_id: str) -> dict[str, Any]:
    """An unexpected fault after "Saving…": whether the PATCH landed is unknown, so say so."""
    return render_notice_card(
        "I couldn't finish saving",
        "Something went wrong on my side, and I can't tell whether your change was saved. "
        "Please look at the referral before asking again. If it keeps happening, give your "
        f"admin this reference: {correlation_id}.",
        style="warning",
    )

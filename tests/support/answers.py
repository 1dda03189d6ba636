"""Reading invoke answers in tests: which kind, what it says, which buttons it carries."""

from __future__ import annotations

from typing import Any

from tests.support.cards import actions, visible_text

CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"
ERROR = "application/vnd.microsoft.error"


def text_of(body: dict[str, Any]) -> str:
    """What the seller reads: a card's visible text or a message's text."""
    if body["type"] == CARD:
        return visible_text(body["value"])
    if body["type"] == MESSAGE:
        value: str = body["value"]
        return value
    message: str = body["value"]["message"]
    return message


def confirm_id(body: dict[str, Any]) -> str | None:
    """The pending id the Confirm button of a confirm card carries (None: no Confirm button)."""
    if body["type"] != CARD:
        return None
    for action in actions(body["value"]):
        if action.get("verb") == "referral.confirm":
            pending_id: str = action["data"]["pendingId"]
            return pending_id
    return None

"""Shared steps of the end-to-end tests: the real app, dialogs and card actions over loopback."""

from __future__ import annotations

from typing import Any

from bot.cards.confirm_change import CANCEL_VERB, CONFIRM_VERB, REFRESH_VERB
from tests.support.activities import TeamsConversation
from tests.support.bot import BotUnderTest, button_data, has_button, only_card
from tests.support.cards import assert_valid_card, visible_text
from tests.support.emulators import SELLER
from tests.support.identity import OBO_GRANT


async def propose(
    bot: BotUnderTest,
    text: str,
    *,
    user: Any = SELLER,
    conversation: TeamsConversation | None = None,
    mention: bool = False,
) -> tuple[dict[str, Any], str]:
    """Send a change; returns the confirm card (schema-checked) and its pending id."""
    sent = await bot.say(text, user=user, conversation=conversation, mention=mention)
    card = only_card(sent)
    assert_valid_card(card)
    return card, pending_id(card)


def pending_id(card: dict[str, Any]) -> str:
    """From the Confirm and Cancel buttons; a group's card has none (unless the client runs no
    refresh: REFERRAL_BOT_BOT__USER_SPECIFIC_VIEWS=false), only its refresh."""
    if "refresh" in card and not has_button(card, CONFIRM_VERB):
        assert not has_button(card, CANCEL_VERB)
        data = button_data(card, REFRESH_VERB)
        assert set(data) == {"pendingId"}
        refreshed: str = data["pendingId"]
        return refreshed
    confirm, cancel = button_data(card, CONFIRM_VERB), button_data(card, CANCEL_VERB)
    assert confirm == cancel
    assert set(confirm) == {"pendingId"}  # only an opaque id: no patch, no token
    value: str = confirm["pendingId"]
    return value


def text_of(card: dict[str, Any]) -> str:
    assert_valid_card(card)
    return visible_text(card)


def obo_grants(recorded: list[dict[str, Any]]) -> int:
    """On-behalf-of token requests the identity emulator answered."""
    return sum(
        1
        for request in recorded
        if request["path"].endswith("/oauth2/v2.0/token")
        and (request["body"] or {}).get("grant_type") == OBO_GRANT
    )

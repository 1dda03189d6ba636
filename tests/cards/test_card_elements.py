from __future__ import annotations

from bot.cards.elements import (
    MAX_CARD_BYTES,
    TOO_BIG,
    adaptive_card,
    execute,
    text_block,
)
from bot.cards.text import json_size
from tests.support.cards import assert_valid_card, rendered_texts


def test_card_envelope_is_adaptive_card_1_5() -> None:
    card = adaptive_card([text_block("Hello")], summary="Hello")
    assert card == {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "fallbackText": "Hello",
        "body": [{"type": "TextBlock", "text": "Hello", "wrap": True}],
    }


def test_an_oversized_card_keeps_its_buttons_and_says_it_is_too_long() -> None:
    buttons = [execute("Confirm", "referral.confirm", {"pendingId": "p"}, style="positive")]
    body = [text_block("x" * 1_000) for _ in range(40)]
    card = adaptive_card(body, buttons, summary="Big")
    assert json_size(card) <= MAX_CARD_BYTES
    assert rendered_texts(card) == [TOO_BIG]
    assert card["actions"] == buttons
    card["body"] = body[:2]
    assert_valid_card(card)


def test_a_card_too_big_even_without_its_body_drops_its_buttons() -> None:
    buttons = [execute("x" * 1_000, "v", {"pendingId": "p"}) for _ in range(40)]
    card = adaptive_card([text_block("Hello")], buttons, summary="Big")
    assert json_size(card) <= MAX_CARD_BYTES
    assert "actions" not in card

"""The validation helper itself: it must reject what Teams would reject, or it proves nothing."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest
from jsonschema import Draft6Validator

from bot.cards.notice import render_notice_card
from tests.cards.samples import CARD_SAMPLES
from tests.support.cards import assert_valid_card, card_validator


def _good() -> dict[str, Any]:
    return render_notice_card("Cancelled", "Nothing was changed.")


def _with(change: str) -> dict[str, Any]:
    card = _good()
    inner = card["body"][0]["items"][0]
    if change == "unknown property":
        inner["bogus"] = True
    elif change == "unknown element":
        inner["type"] = "Marquee"
    elif change == "bad action style":
        card["actions"] = [{"type": "Action.Execute", "title": "Go", "verb": "v", "style": "loud"}]
    elif change == "wrong version":
        card["version"] = "1.6"
    elif change == "too big":
        card["body"].extend({"type": "TextBlock", "text": "x" * 1_000} for _ in range(30))
    elif change == "duplicate ids":
        card["body"].extend({"type": "Container", "id": "same", "items": []} for _ in range(2))
    elif change == "toggle to nowhere":
        card["actions"] = [
            {"type": "Action.ToggleVisibility", "title": "t", "targetElements": ["missing"]}
        ]
    return card


def test_a_good_card_passes() -> None:
    assert_valid_card(_good())


@pytest.mark.parametrize(
    "change",
    [
        "unknown property",
        "unknown element",
        "bad action style",
        "wrong version",
        "too big",
        "duplicate ids",
        "toggle to nowhere",
    ],
)
def test_a_broken_card_fails(change: str) -> None:
    with pytest.raises(AssertionError):
        assert_valid_card(_with(change))


def test_fast_validator_agrees_with_the_plain_draft6_validator() -> None:
    schema = json.loads(
        resources.files("adaptive_cards").joinpath("schemas/schema-1.5.json").read_text("utf-8")
    )
    plain = Draft6Validator(schema)
    cards = [make()[0] for make in CARD_SAMPLES.values()]
    broken = [
        _with(change) for change in ("unknown property", "unknown element", "bad action style")
    ]
    mutated = copy.deepcopy(cards[0])
    mutated["actions"][0]["data"] = 5
    for card in [*cards, *broken, mutated]:
        assert card_validator().is_valid(card) == plain.is_valid(card)
    assert not plain.is_valid(mutated)

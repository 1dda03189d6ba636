"""Adaptive Card 1.5 building blocks, as plain dicts.

Every card is assembled from these, so the shapes the schema checks live in one place. Text given
to them must already be safe (`bot.cards.text`): the builders add structure, never escape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from bot.cards.text import json_size

Element = dict[str, Any]
Style = Literal["default", "emphasis", "good", "attention", "warning", "accent"]

SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
MAX_CARD_BYTES = 28 * 1024
TOO_BIG = "This is too long to show here. Open Partner Center to see everything."


def adaptive_card(
    body: Sequence[Element], actions: Sequence[Element] = (), *, summary: str
) -> Element:
    """The card envelope. A card that would still exceed Teams' limit loses its body (and, if
    that is not enough, its buttons): the renderers' caps make this unreachable, it is a fence."""
    card: Element = {"type": "AdaptiveCard", "$schema": SCHEMA_URL, "version": VERSION}
    card["fallbackText"] = summary
    card["body"] = list(body)
    if actions:
        card["actions"] = list(actions)
    if json_size(card) > MAX_CARD_BYTES:  # measured once when it fits (every card but a fence)
        card["body"] = [text_block(TOO_BIG, style="attention")]
        if json_size(card) > MAX_CARD_BYTES:
            card.pop("actions", None)
    return card


def text_block(
    text: str,
    *,
    heading: bool = False,
    subtle: bool = False,
    bold: bool = False,
    monospace: bool = False,
    style: Literal["default", "good", "warning", "attention"] = "default",
) -> Element:
    block: Element = {"type": "TextBlock", "text": text, "wrap": True}
    if heading:
        block.update(size="Medium", weight="Bolder")
    if bold:
        block["weight"] = "Bolder"
    if subtle:
        block["isSubtle"] = True
    if monospace:
        block["fontType"] = "Monospace"
    if style != "default":
        block["color"] = {"good": "Good", "warning": "Warning", "attention": "Attention"}[style]
    return block


def container(
    items: Iterable[Element],
    *,
    style: Style = "default",
    element_id: str | None = None,
    visible: bool = True,
    separator: bool = False,
) -> Element:
    box: Element = {"type": "Container", "items": list(items)}
    if separator:
        box["separator"] = True
    if style != "default":
        box["style"] = style
    if element_id:
        box["id"] = element_id
    if not visible:
        box["isVisible"] = False
    return box


def columns(*cells: tuple[Sequence[Element], str | int]) -> Element:
    """A ColumnSet from (items, width) pairs: width "auto", "stretch" or a relative weight."""
    return {
        "type": "ColumnSet",
        "columns": [
            {"type": "Column", "width": width, "items": list(items)} for items, width in cells
        ],
    }


def fact_set(facts: Iterable[tuple[str, str]]) -> Element:
    return {
        "type": "FactSet",
        "facts": [{"title": title, "value": value} for title, value in facts],
    }


def action_set(actions: Iterable[Element]) -> Element:
    return {"type": "ActionSet", "actions": list(actions)}


def execute(title: str, verb: str, data: Mapping[str, Any], *, style: str | None = None) -> Element:
    """`Action.Execute`: Teams sends an `adaptiveCard/action` invoke the bot answers in place."""
    action: Element = {"type": "Action.Execute", "title": title, "verb": verb, "data": dict(data)}
    if style:
        action["style"] = style
    return action


def refresh(action: Element, user_ids: Sequence[str]) -> Element:
    """A card's `refresh`: Teams clients of `user_ids` (Teams user ids, "29:…") run `action`
    when they show the card and show the card it answers instead: a view for them alone."""
    return {"action": action, "userIds": list(user_ids)}


def im_back(title: str, value: str) -> Element:
    """A button whose click comes back as an ordinary message saying `value`."""
    return {
        "type": "Action.Submit",
        "title": title,
        "data": {"msteams": {"type": "imBack", "value": value}},
    }


def open_url(title: str, url: str) -> Element:
    return {"type": "Action.OpenUrl", "title": title, "url": url}


def toggle(title: str, target_id: str) -> Element:
    return {"type": "Action.ToggleVisibility", "title": title, "targetElements": [target_id]}

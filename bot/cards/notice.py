"""A short card for errors and one-line outcomes: "cancelled", "already applied", "only X can
confirm". It replaces a confirm card in place, so it must read well on its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from bot.cards.elements import Element, adaptive_card, container, text_block
from bot.cards.text import inert

NoticeStyle = Literal["default", "good", "warning", "attention"]

TITLE_LIMIT = 200
TEXT_LIMIT = 2_000


def render_notice_card(
    title: str, text: str, *, style: NoticeStyle = "default", actions: Sequence[Element] = ()
) -> Element:
    """Title and text may quote other people's words (a proposer's name), so both are made inert.
    `actions`: buttons that still work, e.g. Confirm again after "nothing was saved yet"."""
    safe_title = inert(title, limit=TITLE_LIMIT)
    body = [
        container(
            [
                text_block(safe_title, heading=True, style=style),
                text_block(inert(text, limit=TEXT_LIMIT, multiline=True)),
            ],
            style=style,
        )
    ]
    return adaptive_card(body, actions, summary=safe_title)

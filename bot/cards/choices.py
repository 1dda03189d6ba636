"""Buttons under a refusal (issue 16 §6, no dead ends): "Won" / "Lost", the four stages, the
closest names, three example commands.

The sentence itself travels as the message's text; this card only carries the buttons. They are
imBack submits, so a click reads exactly as if the seller had typed the command: no card verb,
no state, and the choice shows in the chat history.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.cards.elements import Element, adaptive_card, im_back
from bot.cards.text import plain

MAX_CHOICES = 6
SUMMARY_LIMIT = 200
LABEL_LIMIT = 80
MESSAGE_LIMIT = 300


def render_choices_card(choices: Sequence[tuple[str, str]], *, summary: str) -> Element:
    """`choices` are (button label, message the click sends); labels and messages may hold a
    name a seller typed, so both are cleaned like any text without markdown (`plain`)."""
    buttons = [
        im_back(plain(label, limit=LABEL_LIMIT), plain(message, limit=MESSAGE_LIMIT))
        for label, message in choices[:MAX_CHOICES]
    ]
    return adaptive_card([], buttons, summary=plain(summary, limit=SUMMARY_LIMIT))

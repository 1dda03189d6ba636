"""Several referrals match: one button each, and the click comes back as the referral's id.

The buttons are imBack submits, so a click reads exactly as if the seller had typed the id: the
waiting dialog needs no special card handling, and the choice shows up in the chat history.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.cards import summary
from bot.cards.elements import Element, action_set, adaptive_card, im_back, text_block
from bot.cards.text import inert, plain
from bot.domain.referral import Referral

MAX_CANDIDATES = 10
PROMPT_LIMIT = 400
BUTTON_LIMIT = 200
ID_LIMIT = 200


def render_pick_list_card(candidates: Sequence[Referral], *, prompt: str) -> Element:
    safe_prompt = inert(prompt, limit=PROMPT_LIMIT)
    shown = candidates[:MAX_CANDIDATES]
    body = [text_block(safe_prompt, bold=True)]
    body.extend(action_set([_button(referral)]) for referral in shown)
    if len(candidates) > len(shown):
        more = len(candidates) - len(shown)
        body.append(
            text_block(
                f"{more} more match. Type more of the name, or the referral id, to narrow it down.",
                subtle=True,
            )
        )
    return adaptive_card(body, summary=safe_prompt)


def _button(referral: Referral) -> Element:
    # The id travels as the seller's own message, so it is cleaned like any text we show.
    return im_back(
        summary.one_line(referral, limit=BUTTON_LIMIT), plain(referral.id, limit=ID_LIMIT)
    )

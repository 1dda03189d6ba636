"""A page of referrals ("my open referrals", "new leads", "deals closing this month").

Rows are compact (name, customer, status, value, close date, id) so a page fits a phone screen
and Teams' size limit; "More" is an imBack, so the next page is asked for like any message.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.cards import summary
from bot.cards.elements import Element, adaptive_card, columns, container, im_back, text_block
from bot.cards.text import inert
from bot.domain.referral import Referral

MAX_ROWS = 15
TITLE_LIMIT = 200
MORE_COMMAND = "more"
EMPTY_PAGE = "Nothing here right now."


def render_referral_list_card(
    referrals: Sequence[Referral], *, title: str, page: int, has_more: bool
) -> Element:
    """`page` counts from 1; rows beyond the card's capacity are counted, not dropped silently."""
    safe_title = inert(title, limit=TITLE_LIMIT)
    body = [text_block(safe_title, heading=True)]
    if page > 1:
        body.append(text_block(f"Page {page}", subtle=True))
    if not referrals:
        body.append(text_block(EMPTY_PAGE, subtle=True))
    body.extend(_row(referral) for referral in referrals[:MAX_ROWS])
    hidden = len(referrals) - MAX_ROWS
    if hidden > 0:
        body.append(text_block(f"{hidden} more on this page aren't shown.", subtle=True))
    actions = []
    if has_more:
        body.append(text_block('There are more. Say "more" to see the next page.', subtle=True))
        actions.append(im_back("More", MORE_COMMAND))
    return adaptive_card(body, actions, summary=safe_title)


def _row(referral: Referral) -> Element:
    left = [
        text_block(summary.deal_name(referral), bold=True),
        text_block(f"{summary.customer(referral)} · {summary.status(referral)}", subtle=True),
    ]
    right = [
        text_block(summary.deal_value(referral)),
        text_block(f"Closes {summary.close_date(referral)}", subtle=True),
        text_block(f"Id {summary.referral_id(referral)}", subtle=True),
    ]
    return container([columns((left, "stretch"), (right, "auto"))], separator=True)

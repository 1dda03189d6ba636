"""The seller's lists ("my open referrals", "new leads", …), ten per card, and "more".

"more" asks the service again and shows the next slice: lists are short (the service returns
at most 50) and a fresh read never shows a referral that has just been closed.
"""

from __future__ import annotations

from botbuilder.core import TurnContext

from bot.cards.referral_list import render_referral_list_card
from bot.domain.list_kinds import ListKind
from dialogs import replies
from dialogs.outbox import say, show_card
from dialogs.ports import DialogServices
from dialogs.seller_memory import ListPosition, SellerMemory
from dialogs.suggestions import coverage_of
from dialogs.turn_facts import require_user, seller_now

PAGE_SIZE = 10


async def show_list(
    context: TurnContext,
    services: DialogServices,
    memory: SellerMemory,
    kind: ListKind,
    page: int = 0,
) -> None:
    user = await require_user(context, services)
    now = seller_now(context.activity, services.clock)
    rows = await services.referrals.list(kind, user=user, now=now)
    note = replies.coverage_note(coverage_of(services.referrals, user=user))
    if not rows:
        empty = replies.EMPTY_LISTS[kind]
        await say(context, empty if note is None else f"{empty} {note}")
        return
    start = page * PAGE_SIZE
    if start >= len(rows):
        await say(context, replies.END_OF_LIST)
        return
    card = render_referral_list_card(
        rows[start : start + PAGE_SIZE],
        title=replies.LIST_TITLES[kind],
        page=page + 1,
        has_more=start + PAGE_SIZE < len(rows),
    )
    await show_card(context, card)
    if note is not None and page == 0:
        await say(context, note)
    await memory.remember_list(context, ListPosition(kind, page))


async def show_more(context: TurnContext, services: DialogServices, memory: SellerMemory) -> None:
    position = await memory.last_list(context)
    if position is None:
        await say(context, replies.NO_LIST_YET)
        return
    await show_list(context, services, memory, position.kind, position.page + 1)

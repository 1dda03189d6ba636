"""The seller's lists ("my open referrals", "open deals over 250k next quarter", …), ten per
card, and "more"; counts and totals as one sentence.

"more" asks the service again and shows the next slice: lists are short (the service returns
at most 50) and a fresh read never shows a referral that has just been closed.
"""

from __future__ import annotations

from botbuilder.core import TurnContext

from bot.cards.referral_list import render_referral_list_card
from bot.domain.list_kinds import ListKind
from bot.domain.list_query import ListQuery, Measure, as_query
from dialogs import list_replies, replies
from dialogs.outbox import say, show_card
from dialogs.ports import DialogServices
from dialogs.seller_memory import ListPosition, SellerMemory
from dialogs.suggestions import coverage_of
from dialogs.turn_facts import require_user, seller_now, seller_of

PAGE_SIZE = 10


async def show_list(
    context: TurnContext,
    services: DialogServices,
    memory: SellerMemory,
    wanted: ListKind | ListQuery,
    page: int = 0,
) -> None:
    query = as_query(wanted)
    if query.mine and query.member is None:
        query = query.with_caller(seller_of(context.activity).name)
    user = await require_user(context, services)
    now = seller_now(context.activity, services.clock)
    if query.measure is not Measure.LIST:
        tally = await services.referrals.tally(query, user=user, now=now)
        if query.measure is Measure.COUNT:
            answer = list_replies.count_sentence(query, tally)
        else:
            answer = list_replies.total_sentence(query, tally)
        note = replies.coverage_note(coverage_of(services.referrals, user=user))
        await say(context, answer if note is None else f"{answer} {note}")
        return
    rows = await services.referrals.list(query, user=user, now=now)
    note = replies.coverage_note(coverage_of(services.referrals, user=user))
    if not rows:
        await say(context, list_replies.empty(query, note))
        return
    start = page * PAGE_SIZE
    if start >= len(rows):
        await say(context, replies.END_OF_LIST)
        return
    shown = rows[start : start + PAGE_SIZE]
    card = render_referral_list_card(
        shown,
        title=list_replies.title(query),
        page=page + 1,
        has_more=start + PAGE_SIZE < len(rows),
    )
    await show_card(context, card)
    currencies = list_replies.currency_note(
        query, (row.details.currency if row.details else None for row in rows)
    )
    if currencies is not None and page == 0:
        await say(context, currencies)
    if note is not None and page == 0:
        await say(context, note)
    await memory.remember_list(context, ListPosition(query, page))


async def show_more(context: TurnContext, services: DialogServices, memory: SellerMemory) -> None:
    position = await memory.last_list(context)
    if position is None:
        await say(context, replies.NO_LIST_YET)
        return
    await show_list(context, services, memory, position.query, position.page + 1)

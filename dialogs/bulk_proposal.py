"""One change for several referrals (issue 16 §4): plan each, put them up on one confirm card.

Each referral is read fresh and planned against its own current version; each planned change is
stored as an ordinary pending change (its own eTag, its own claim), and a batch lists them
(`PendingChange.batch_items`): the card carries only the batch's id. A referral the change cannot
apply to (a final one, one that cannot be found) is named with the reason and left out, never a
reason to refuse the rest. Nothing is written to Partner Center here.
"""

from __future__ import annotations

import secrets
from typing import Any

from botbuilder.core import TurnContext

from bot.cards.confirm_batch import (
    MAX_REFERRALS,
    Skipped,
    referral_label,
    render_batch_confirm_card,
)
from bot.cards.confirm_change import Proposer
from bot.cards.text import inert_message
from bot.domain.change import ReferralChange, plan_change
from bot.domain.errors import AccessDeniedError, DomainError, ReferralNotFoundError
from bot.domain.pending import PendingChange, batch_of
from bot.domain.referral import Referral, Versioned
from dialogs.grammar.commands import UpdateReferrals
from dialogs.outbox import say
from dialogs.ports import DialogServices
from dialogs.proposal import new_pending, put_up
from dialogs.turn_facts import require_user, seller_now

_LINE_BYTES = 400


def too_many(count: int) -> str:
    return (
        f"That's {count} referrals: I change at most {MAX_REFERRALS} in one go. "
        "Please narrow it down (fewer ids, or a list with a customer or a shorter period), "
        "and send the rest in another message."
    )


NO_MATCH = "No referral of yours matches that list, so nothing was changed."


def nothing_to_change(skipped: list[Skipped]) -> str:
    lines = [f"- {inert_message(f'{s.label}: {s.reason}', limit=_LINE_BYTES)}" for s in skipped]
    return "\n".join(["I can't change any of them, so nothing was changed:", *lines])


async def propose_changes(
    context: TurnContext, services: DialogServices, command: UpdateReferrals
) -> PendingChange | None:
    """The stored batch, or None when none of the referrals can take the change (said why)."""
    if len(command.refs) > MAX_REFERRALS:
        await say(context, too_many(len(command.refs)))
        return None
    user = await require_user(context, services)
    now = seller_now(context.activity, services.clock)
    ids = [ref.text for ref in command.refs]
    if command.query is not None:  # "every deal closing this week": the list, read now
        listed = await services.referrals.list(
            command.query, user=user, now=now, limit=MAX_REFERRALS + 1
        )
        if len(listed) > MAX_REFERRALS:
            tally = await services.referrals.tally(command.query, user=user, now=now)
            await say(context, too_many(max(tally.count, len(listed))))
            return None
        if not listed:
            await say(context, NO_MATCH)
            return None
        ids = [referral.id for referral in listed]
    planned: list[tuple[str, ReferralChange]] = []
    skipped: list[Skipped] = []
    for referral_id in ids:  # each read fresh: the list may lag behind Partner Center
        try:
            loaded: Versioned[Referral] = await services.referrals.get(referral_id, user=user)
        except (ReferralNotFoundError, AccessDeniedError) as error:
            skipped.append(Skipped(f"referral {referral_id}", error.user_message))
            continue
        try:
            change = plan_change(loaded.value, command.intent, now=now)
        except DomainError as error:  # e.g. already closed: named, the others go ahead
            skipped.append(Skipped(referral_label(loaded.value), error.user_message))
            continue
        planned.append((loaded.etag, change))
    if not planned:
        await say(context, nothing_to_change(skipped))
        return None
    items = [new_pending(context, services, etag, change) for etag, change in planned]
    for item in items:
        await services.pending.put(item)
    batch = batch_of(items, secrets.token_urlsafe(16))

    def card(proposer: Proposer | None) -> dict[str, Any]:
        changes = [change for _, change in planned]
        return render_batch_confirm_card(changes, skipped, pending_id=batch.id, proposer=proposer)

    return await put_up(context, services, batch, card)

"""Plan the seller's change and put it up for confirmation: store it, then show the card.

The card carries only the pending change's random id; the click is handled by the card actions,
which check that the clicker is the proposer. Nothing is written to Partner Center here.
In a group conversation the posted card (no buttons, see `bot.cards.confirm_change`) is stored
with the change, for the viewers' refreshes, and the posted message is remembered
(`DialogServices.confirm_cards`) to be updated for everyone when the change ends.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from botbuilder.core import TurnContext

from bot.cards.confirm_batch import buttons_for
from bot.cards.confirm_change import Proposer, render_confirm_card
from bot.domain.change import ReferralChange, plan_change
from bot.domain.errors import DomainError
from bot.domain.intent import ChangeIntent
from bot.domain.pending import PendingChange
from bot.domain.referral import Referral, Versioned
from bot.outbound.proactive import reference_of
from dialogs import replies
from dialogs.outbox import post_card, say, show_card
from dialogs.ports import DialogServices, proposal_of
from dialogs.turn_facts import seller_now, seller_of

Card = dict[str, Any]


async def propose_change(
    context: TurnContext,
    services: DialogServices,
    loaded: Versioned[Referral],
    intent: ChangeIntent,
) -> PendingChange | None:
    """The stored pending change, or None when planning refused (the seller is told why)."""
    try:
        change = plan_change(loaded.value, intent, now=seller_now(context.activity, services.clock))
    except DomainError as error:
        await say(context, replies.change_refused(error.user_message))
        return None
    pending = new_pending(context, services, loaded.etag, change)

    def card(proposer: Proposer | None) -> Card:
        return render_confirm_card(change, pending_id=pending.id, proposer=proposer)

    return await put_up(context, services, pending, card)


async def put_up(
    context: TurnContext,
    services: DialogServices,
    pending: PendingChange,
    render: Callable[[Proposer | None], Card],
) -> PendingChange:
    """Store the change, then show its card: in a group conversation the card for everyone,
    stored with the change and its posted message remembered; else the one-to-one card."""
    seller = seller_of(context.activity)
    if not seller.in_group:
        await services.pending.put(pending)
        await show_card(context, render(None))
        return pending
    card = render(Proposer(seller.name, seller.teams_id))
    if not services.user_specific_views:  # the client would never show the proposer's buttons
        card = card | {"actions": buttons_for(pending)}
    pending = replace(pending, card=card)
    await services.pending.put(pending)
    activity_id = await post_card(context, card)
    if services.confirm_cards is not None and activity_id:
        reference = reference_of(context.activity)
        await services.confirm_cards.posted(pending.id, pending.expires_at, reference, activity_id)
    return pending


def new_pending(
    context: TurnContext, services: DialogServices, etag: str, change: ReferralChange
) -> PendingChange:
    seller = seller_of(context.activity)
    referral_id, operations = proposal_of(change)
    created = services.clock.now()
    return PendingChange(
        id=secrets.token_urlsafe(16),
        proposer_id=seller.user_id,
        proposer_name=seller.name,
        tenant_id=seller.tenant_id,
        conversation_id=seller.conversation_id,
        referral_id=referral_id,
        etag=etag,
        intent=change.intent,
        operations=operations,
        created_at=created,
        expires_at=created + services.pending_ttl,
    )

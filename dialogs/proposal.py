"""Plan the seller's change and put it up for confirmation: store it, then show the card.

The card carries only the pending change's random id; the click is handled by the card actions,
which check that the clicker is the proposer. Nothing is written to Partner Center here.
"""

from __future__ import annotations

import secrets

from botbuilder.core import TurnContext

from bot.cards.confirm_change import render_confirm_card
from bot.domain.change import ReferralChange, plan_change
from bot.domain.errors import DomainError
from bot.domain.intent import ChangeIntent
from bot.domain.pending import PendingChange
from bot.domain.referral import Referral, Versioned
from dialogs import replies
from dialogs.outbox import say, show_card
from dialogs.ports import DialogServices, proposal_of
from dialogs.turn_facts import seller_now, seller_of


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
    await services.pending.put(pending)
    seller = seller_of(context.activity)
    card = render_confirm_card(
        change, pending_id=pending.id, proposer_name=seller.name if seller.in_group else None
    )
    await show_card(context, card)
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

"""Each viewer's view of a confirm card posted in a group conversation: its refresh.

The posted card has no buttons and a `refresh` (verb `confirmRefresh`) whose `userIds` name the
proposer alone, so only the proposer's Teams client asks for its own view on showing it (Teams'
user-specific views); anyone else may still ask from the message's menu ("Refresh card"). The
answer replaces the card on the asker's screen only: the proposer, while the change waits, gets
Confirm and Cancel; everybody else gets the posted card as it is, never the buttons. After the
change ended the posted message itself was updated for everyone (`bot.alerts.confirm_cards`),
so a refresh of the old card comes from a client that has not caught up: it gets the outcome.
A refresh reads the pending change once and writes nothing.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext

from bot.card_actions import replies
from bot.card_actions.confirm_flow import Answer
from bot.cards import confirm_outcome
from bot.cards.confirm_batch import buttons_for
from bot.cards.confirm_change import proposer_view
from bot.cards.elements import Element
from bot.domain.pending import PendingChange, PendingState
from dialogs.ports import DialogServices
from dialogs.turn_facts import seller_of


class ConfirmViews:
    def __init__(self, services: DialogServices) -> None:
        self._services = services

    async def refresh(self, turn_context: TurnContext, pending_id: str) -> Answer:
        clicker = seller_of(turn_context.activity)
        pending = await self._services.pending.get(pending_id)
        if pending is None or pending.card is None:  # swept after it ended, or never posted
            return Answer(self._expired(for_proposer=False), "view_gone")
        proposer = pending.proposer_id == clicker.user_id and (
            not pending.tenant_id or not clicker.tenant_id or pending.tenant_id == clicker.tenant_id
        )
        viewer = "proposer" if proposer else "member"
        referral_id = pending.referral_id or None
        waiting = pending.state is PendingState.PENDING
        if waiting and self._services.clock.now() >= pending.expires_at:
            return Answer(self._expired(for_proposer=proposer), f"view_expired_{viewer}")
        if waiting and proposer:
            body = replies.card(proposer_view(pending.card, buttons_for(pending)))
            return Answer(body, "view_proposer", referral_id)
        if waiting or pending.state is PendingState.CLAIMED:  # being saved: nobody's to click
            return Answer(replies.card(pending.card), f"view_{viewer}", referral_id)
        return Answer(replies.card(_ended(pending)), f"view_{pending.state.value}", referral_id)

    def _expired(self, *, for_proposer: bool) -> dict[str, Any]:
        if for_proposer:
            return replies.expired()
        return replies.card(confirm_outcome.expired(self._services.pending_ttl))


def _ended(pending: PendingChange) -> Element:
    """The outcome without its details: the posted message (updated when it ended) has them."""
    if pending.state is PendingState.APPLIED:
        return confirm_outcome.saved_unread(pending.proposer_name)
    if pending.state is PendingState.CANCELLED:
        return confirm_outcome.cancelled_by(pending.proposer_name)
    superseded = replies.superseded()["value"]
    assert isinstance(superseded, dict)
    return superseded

"""The verb registry for `Action.Execute` clicks (`adaptiveCard/action` invokes).

`dispatch` always answers with an invoke body Teams understands (see `bot.card_actions.replies`):
an unknown verb or a malformed payload is a 400 error body, never an exception. The card carries
only an opaque pending-change id; who clicked comes from the authenticated activity.

In Teams an invoke response card replaces the clicked card for the person who clicked only. So a
colleague's click on someone else's confirm card is answered with a refusal card on *their*
screen, and the pending change is left untouched: the proposer's card still works. The flip side:
the colleague no longer sees the Confirm button, and others in a channel keep seeing the confirm
card after the proposer confirmed (the bot does not update the message for everyone).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from botbuilder.core import TurnContext

from bot.card_actions import replies
from bot.card_actions.batch import BatchFlow
from bot.card_actions.confirm_flow import Answer, Click, ConfirmFlow
from bot.cards.confirm_change import CANCEL_VERB, CONFIRM_VERB
from bot.cards.referral import render_referral_card
from bot.domain.errors import ServiceError
from bot.domain.pending import ClaimOutcome, PendingChange, PendingState
from bot.logging import safe_field
from dialogs.ports import DialogServices
from dialogs.turn_facts import seller_of

if TYPE_CHECKING:  # built by bot.card_actions.lead_verbs.lead_card_actions, which imports this
    from bot.card_actions.lead_verbs import LeadActions

logger = logging.getLogger(__name__)

Handler = Callable[[TurnContext, str], Awaitable[Answer]]
DataHandler = Callable[[TurnContext, Mapping[str, Any]], Awaitable[Answer]]
_PENDING_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


def pending_id_of(data: Mapping[str, Any]) -> str | None:
    """The opaque id a Confirm/Cancel button carries, if it is one we could have issued."""
    value = data.get("pendingId")
    return value if isinstance(value, str) and _PENDING_ID.fullmatch(value) else None


class CardActionDispatcher(Protocol):
    """What the activity handler calls for a click: `CardActions`, or a deadline around it."""

    async def dispatch(
        self, turn_context: TurnContext, verb: str, data: Mapping[str, Any]
    ) -> dict[str, Any]: ...


class CardActions:
    """Maps each card verb to its handler; register a new button by adding a verb here."""

    def __init__(self, services: DialogServices, *, leads: LeadActions | None = None) -> None:
        self._services = services
        self._confirm = ConfirmFlow(services)
        self._batch = BatchFlow(services, self._confirm)  # issue 16 §4: several referrals
        self._handlers: dict[str, Handler] = {
            CONFIRM_VERB: self.confirm_change,
            CANCEL_VERB: self.cancel_change,
        }
        # Issue 17: the lead card's verbs read their own data (a pending id, a reason, a
        # referral id for a refresh); registered when the app has lead alerts.
        self._data_handlers: dict[str, DataHandler] = {} if leads is None else leads.handlers()

    @property
    def verbs(self) -> frozenset[str]:
        return frozenset(self._handlers) | frozenset(self._data_handlers)

    async def dispatch(
        self, turn_context: TurnContext, verb: str, data: Mapping[str, Any]
    ) -> dict[str, Any]:
        started = time.monotonic()
        handler = self._handlers.get(verb)
        pending_id = pending_id_of(data) if isinstance(data, Mapping) else None
        data_handler = self._data_handlers.get(verb)
        if data_handler is not None:
            answer = await self._dispatch_data(turn_context, data_handler, data)
        elif handler is None:
            answer = Answer(replies.bad_request(replies.UNKNOWN_BUTTON), "unknown_verb")
        elif pending_id is None:
            answer = Answer(replies.bad_request(replies.BAD_BUTTON), "bad_data")
        else:
            answer = await handler(turn_context, pending_id)
        logger.info(
            "card_action.done verb=%s pending=%s referral=%s outcome=%s latency_ms=%d",
            verb if verb in self.verbs else "unknown",
            (pending_id or "-")[:8],
            safe_field(answer.referral_id or "-", 80),
            answer.outcome,
            round((time.monotonic() - started) * 1000),
        )
        return answer.body

    @staticmethod
    async def _dispatch_data(
        turn_context: TurnContext, handler: DataHandler, data: object
    ) -> Answer:
        if not isinstance(data, Mapping):
            return Answer(replies.bad_request(replies.BAD_BUTTON), "bad_data")
        return await handler(turn_context, data)

    async def confirm_change(self, turn_context: TurnContext, pending_id: str) -> Answer:
        """Only the proposer, only once, only before it expires (see
        `bot.card_actions.confirm_flow`).
        """
        clicker = seller_of(turn_context.activity)
        stored = await self._services.pending.get(pending_id)
        if stored is not None and _other_tenant(stored, clicker.tenant_id):
            return _answer(
                replies.not_yours(stored.proposer_name, "confirm"), "not_proposer", stored
            )
        if stored is not None and stored.is_batch:
            return await self._batch.confirm(turn_context, stored)
        outcome, pending = await self._confirm.claim(pending_id, clicker.user_id)
        if outcome is ClaimOutcome.CLAIMED and pending is not None:
            return await self._confirm.run(turn_context, pending)
        if outcome is ClaimOutcome.RECLAIMED and pending is not None:
            return await self._confirm.resume(turn_context, pending, Click.CONFIRM)
        if outcome is ClaimOutcome.ALREADY_APPLIED and pending is not None:
            return await self._already_applied(turn_context, pending)
        return refusal(outcome, pending, "confirm")

    async def cancel_change(self, turn_context: TurnContext, pending_id: str) -> Answer:
        """Only the proposer; a change being or already applied is not undone."""
        clicker = seller_of(turn_context.activity)
        stored = await self._services.pending.get(pending_id)
        if stored is not None and _other_tenant(stored, clicker.tenant_id):
            return _answer(
                replies.not_yours(stored.proposer_name, "cancel"), "not_proposer", stored
            )
        if stored is not None and stored.is_batch:
            return await self._batch.cancel(turn_context, stored)
        now = self._services.clock.now()
        if (
            stored is not None
            and stored.proposer_id == clicker.user_id
            and stored.lease_expired(now)
        ):
            taken_over = await self._cancel_vanished_claim(turn_context, pending_id, stored)
            if taken_over is not None:
                return taken_over
        outcome = await self._services.pending.cancel(pending_id, user_id=clicker.user_id)
        if outcome is ClaimOutcome.CANCELLED and stored is not None:
            if stored.state is PendingState.CANCELLED:
                return _answer(replies.already_cancelled(), "already_cancelled", stored)
            return _answer(replies.cancelled(), "cancelled", stored)
        if outcome is ClaimOutcome.ALREADY_APPLIED:
            return _answer(replies.too_late_to_cancel(), "already_applied", stored)
        return refusal(outcome, stored, "cancel")

    async def _cancel_vanished_claim(
        self, turn_context: TurnContext, pending_id: str, stored: PendingChange
    ) -> Answer | None:
        """A Cancel on a claim whose holder is gone: take it over and find out whether the
        change landed first (then it is saved, not cancelled). None: cancel as usual."""
        outcome, pending = await self._confirm.claim(pending_id, stored.proposer_id)
        if pending is None:
            return None
        if outcome is ClaimOutcome.RECLAIMED:
            return await self._confirm.resume(turn_context, pending, Click.CANCEL)
        if outcome is ClaimOutcome.CLAIMED:  # back to PENDING meanwhile: ours to cancel now
            await self._services.pending.finish(
                pending.id, PendingState.CANCELLED, owner=pending.claim_owner
            )
            return _answer(replies.cancelled(), "cancelled", pending)
        return None

    async def _already_applied(self, turn_context: TurnContext, pending: PendingChange) -> Answer:
        """Idempotent: a repeated click shows the referral as it is now, when it can be read."""
        try:
            user = await self._services.assertions.assertion(turn_context)
            if user is not None:
                current = await self._services.referrals.get(pending.referral_id, user=user)
                card = render_referral_card(
                    current.value,
                    portal_url=self._services.portal_url,
                    notice=replies.ALREADY_SAVED,
                )
                return _answer(replies.card(card), "already_applied", pending)
        except ServiceError:
            pass  # the notice below says the same without the details
        return _answer(replies.already_saved(), "already_applied", pending)


def _other_tenant(pending: PendingChange, tenant_id: str) -> bool:
    return bool(pending.tenant_id and tenant_id and pending.tenant_id != tenant_id)


def _answer(body: dict[str, Any], outcome: str, pending: PendingChange | None) -> Answer:
    return Answer(body, outcome, pending.referral_id if pending else None)


def refusal(outcome: ClaimOutcome, pending: PendingChange | None, verb: str) -> Answer:
    """Why this click changes nothing, for every outcome other than a won claim."""
    if outcome is ClaimOutcome.NOT_PROPOSER and pending is not None:
        return _answer(replies.not_yours(pending.proposer_name, verb), "not_proposer", pending)
    if outcome is ClaimOutcome.IN_PROGRESS:
        return _answer(replies.message(replies.IN_PROGRESS), "in_progress", pending)
    if outcome is ClaimOutcome.CANCELLED:
        return _answer(replies.already_cancelled(), "already_cancelled", pending)
    if pending is not None and pending.state is PendingState.SUPERSEDED:
        return _answer(replies.superseded(), "superseded", pending)
    return _answer(replies.expired(), outcome.value, pending)

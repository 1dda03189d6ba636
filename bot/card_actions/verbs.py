"""The verb registry for `Action.Execute` clicks (`adaptiveCard/action` invokes).

`dispatch` always answers with an invoke body Teams understands (see `bot.card_actions.replies`):
an unknown verb or a malformed payload is a 400 error body, never an exception. The card carries
only an opaque pending-change id; who clicked comes from the authenticated activity.

In Teams an invoke response card replaces the clicked card for the person who clicked only. So in
a group conversation (channel, group chat) the confirm card everyone sees has no buttons: only the
proposer's client fetches them, through the card's refresh (`confirmRefresh`,
`bot.card_actions.views`). A colleague's click on a forged or stale button is answered with a
refusal on *their* screen and changes nothing. When a click ends the change (saved, cancelled,
refused, replaced after a 412), the posted message is updated for everyone
(`bot.alerts.confirm_cards`); an expired one is updated by `bot.alerts.confirm_expiry`. The
clicker's own answer is the same as in a one-to-one chat.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from botbuilder.core import TurnContext

from bot.alerts.confirm_cards import CardUpdater, ConfirmCards
from bot.card_actions import replies
from bot.card_actions.batch import BatchFlow
from bot.card_actions.confirm_flow import Answer, Click, ConfirmFlow
from bot.card_actions.views import ConfirmViews
from bot.cards import confirm_outcome
from bot.cards.confirm_change import CANCEL_VERB, CONFIRM_VERB, REFRESH_VERB
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

    def __init__(
        self,
        services: DialogServices,
        *,
        leads: LeadActions | None = None,
        confirm_cards: ConfirmCards | None = None,
        updater: CardUpdater | None = None,
    ) -> None:
        """`confirm_cards`: where group confirm cards were recorded, and `updater` (the proactive
        sender) to end them for everyone; without both, a click answers the clicker only."""
        self._services = services
        self._flow = ConfirmFlow(services)
        self._batch = BatchFlow(services, self._flow)  # issue 16 §4: several referrals
        self._cards = confirm_cards
        self._updater = updater
        self._handlers: dict[str, Handler] = {
            CONFIRM_VERB: self.confirm_change,
            CANCEL_VERB: self.cancel_change,
            REFRESH_VERB: ConfirmViews(services).refresh,
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
        stored = await self._services.pending.get(pending_id)
        answer = await self._confirm(turn_context, pending_id, stored)
        await self._end_for_everyone(turn_context, stored, answer)
        return answer

    async def cancel_change(self, turn_context: TurnContext, pending_id: str) -> Answer:
        """Only the proposer; a change being or already applied is not undone."""
        stored = await self._services.pending.get(pending_id)
        answer = await self._cancel(turn_context, pending_id, stored)
        await self._end_for_everyone(turn_context, stored, answer)
        return answer

    async def _confirm(
        self, turn_context: TurnContext, pending_id: str, stored: PendingChange | None
    ) -> Answer:
        clicker = seller_of(turn_context.activity)
        if stored is not None and _other_tenant(stored, clicker.tenant_id):
            return _answer(
                replies.not_yours(stored.proposer_name, "confirm"), "not_proposer", stored
            )
        if stored is not None and stored.is_batch:
            return await self._batch.confirm(turn_context, stored)
        outcome, pending = await self._flow.claim(pending_id, clicker.user_id)
        if outcome is ClaimOutcome.CLAIMED and pending is not None:
            return await self._flow.run(turn_context, pending)
        if outcome is ClaimOutcome.RECLAIMED and pending is not None:
            return await self._flow.resume(turn_context, pending, Click.CONFIRM)
        if outcome is ClaimOutcome.ALREADY_APPLIED and pending is not None:
            return await self._already_applied(turn_context, pending)
        return refusal(outcome, pending, "confirm")

    async def _cancel(
        self, turn_context: TurnContext, pending_id: str, stored: PendingChange | None
    ) -> Answer:
        clicker = seller_of(turn_context.activity)
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
            return _cancelled(stored)
        if outcome is ClaimOutcome.ALREADY_APPLIED:
            return _answer(replies.too_late_to_cancel(), "already_applied", stored)
        return refusal(outcome, stored, "cancel")

    async def _cancel_vanished_claim(
        self, turn_context: TurnContext, pending_id: str, stored: PendingChange
    ) -> Answer | None:
        """A Cancel on a claim whose holder is gone: take it over and find out whether the
        change landed first (then it is saved, not cancelled). None: cancel as usual."""
        outcome, pending = await self._flow.claim(pending_id, stored.proposer_id)
        if pending is None:
            return None
        if outcome is ClaimOutcome.RECLAIMED:
            return await self._flow.resume(turn_context, pending, Click.CANCEL)
        if outcome is ClaimOutcome.CLAIMED:  # back to PENDING meanwhile: ours to cancel now
            await self._services.pending.finish(
                pending.id, PendingState.CANCELLED, owner=pending.claim_owner
            )
            return _cancelled(pending)
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

    async def _end_for_everyone(
        self, turn_context: TurnContext, clicked: PendingChange | None, answer: Answer
    ) -> None:
        """In a group conversation, the posted card shows the outcome to everyone. Never fails
        the click: the change itself is settled, and its answer says so."""
        if self._cards is None or self._updater is None:
            return
        if answer.shared is None or clicked is None:
            return
        if not seller_of(turn_context.activity).in_group:
            return  # one-to-one: the answer replaced the only card; no storage touched
        fresh = None if answer.fresh is None else (answer.fresh.id, answer.fresh.expires_at)
        try:
            await self._cards.settle(
                clicked.id, clicked.expires_at, answer.shared(), updater=self._updater, fresh=fresh
            )
        except Exception:
            logger.exception("card_action.shared_update_failed pending=%s", clicked.id[:8])


def _other_tenant(pending: PendingChange, tenant_id: str) -> bool:
    return bool(pending.tenant_id and tenant_id and pending.tenant_id != tenant_id)


def _answer(body: dict[str, Any], outcome: str, pending: PendingChange | None) -> Answer:
    return Answer(body, outcome, pending.referral_id if pending else None)


def _cancelled(pending: PendingChange) -> Answer:
    shared = partial(confirm_outcome.cancelled_by, pending.proposer_name)
    return Answer(replies.cancelled(), "cancelled", pending.referral_id, shared=shared)


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

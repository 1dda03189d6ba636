"""Accept, Decline and refresh on a lead card (issue 17 §4): the click is the confirmation.

Accept and Decline are each a pending change of the recipient's (bot.alerts.offers), so a click
goes through the Confirm path as it is (`ConfirmFlow`): a compare-and-set claim bound to the
proposer, the PATCH with the eTag they read as If-Match, applied at most once; a 412 shows the
lead as it is now (someone else accepted it first: their decision; it only changed: a fresh card
with fresh buttons). A lead already decided through a card is answered from the record without a
claim or a PATCH.

Decline's reason: the card's form sends it with the click. It is checked before anything is
claimed (empty or too long: a friendly ask, nothing changed, the card keeps working). Only the
claim's winner adds it to the operations it PATCHes (`with_reason`); the stored pending change is
not rewritten, so a second click finds it claimed or applied whatever reason it carries.

After a change is APPLIED: the decision is recorded (who, when, what, why), every posted copy
of the card turns into the decided card in the background (bot.alerts.copies), and the clicker's
own card is the invoke answer, with what their own read shows.

`leadRefresh` (each viewer's Teams client, automatically or on demand) answers with that
viewer's current card: decided -> the decided card; past its expiry -> the expired card; open ->
their own Accept/Decline card for a recipient, the card without buttons for anyone else; and
without details when their own access can't read the lead. Its read is bounded, so the answer is
never the "Saving…" card and never replaces the card for others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from botbuilder.core import TurnContext

from bot.alerts.audience import conversation_id
from bot.alerts.offers import Viewer
from bot.alerts.parts import LeadParts
from bot.card_actions import lead_replies, replies
from bot.card_actions.confirm_flow import Answer, Click, ConfirmFlow
from bot.card_actions.verbs import CardActions, DataHandler, pending_id_of, refusal
from bot.cards.lead_alert import (
    LEAD_ACCEPT_VERB,
    LEAD_DECLINE_VERB,
    LEAD_REFRESH_VERB,
    REASON_INPUT,
    LeadView,
    refresh_user_ids,
    render_lead_channel_card,
    render_lead_decided_card,
)
from bot.domain.assertion import UserAssertion
from bot.domain.errors import InvalidChangeError, ServiceError
from bot.domain.intent import Outcome
from bot.domain.leads import (
    LeadDecision,
    LeadOutcome,
    clean_reason,
    expired_decision,
    has_expired,
    is_open_lead,
    is_referral_id,
    seen_decision,
    with_reason,
)
from bot.domain.pending import ClaimOutcome, PendingChange
from bot.domain.referral import Referral, Versioned
from bot.logging import id_ref
from dialogs.ports import DialogServices
from dialogs.turn_facts import seller_of, seller_time_zone

logger = logging.getLogger(__name__)
READ_WITHIN = 3.0  # seconds: a refresh answers within Teams' invoke budget, read or not
_DECIDED_AS: dict[Outcome | None, LeadOutcome] = {
    Outcome.ACCEPTED: LeadOutcome.ACCEPTED,
    Outcome.DECLINED: LeadOutcome.DECLINED,
}


def lead_card_actions(services: DialogServices, parts: LeadParts) -> CardActions:
    """The app's card actions with the lead card's verbs registered."""
    return CardActions(services, leads=LeadActions(services, parts))


class LeadActions:
    def __init__(self, services: DialogServices, parts: LeadParts) -> None:
        self._services = services
        self._confirm = ConfirmFlow(services)  # the Confirm path itself, not a copy of it
        self._parts = parts

    def handlers(self) -> dict[str, DataHandler]:
        return {
            LEAD_ACCEPT_VERB: self.accept,
            LEAD_DECLINE_VERB: self.decline,
            LEAD_REFRESH_VERB: self.refresh,
        }

    async def accept(self, turn_context: TurnContext, data: Mapping[str, Any]) -> Answer:
        return await self._decide(turn_context, data, decline=False)

    async def decline(self, turn_context: TurnContext, data: Mapping[str, Any]) -> Answer:
        return await self._decide(turn_context, data, decline=True)

    async def _decide(
        self, turn_context: TurnContext, data: Mapping[str, Any], *, decline: bool
    ) -> Answer:
        pending_id = pending_id_of(data)
        if pending_id is None:
            return Answer(replies.bad_request(replies.BAD_BUTTON), "bad_data")
        clicker = seller_of(turn_context.activity)
        verb = "decline" if decline else "accept"
        stored = await self._services.pending.get(pending_id)
        if stored is None:
            return Answer(replies.expired(), "not_found")
        if stored.tenant_id and clicker.tenant_id and stored.tenant_id != clicker.tenant_id:
            return _answer(replies.not_yours(stored.proposer_name, verb), "not_proposer", stored)
        recorded = await self._parts.records.decision(stored.referral_id)
        if recorded is not None:
            return self._decided(turn_context, recorded, "already_decided")
        reason = None
        if decline:
            try:
                reason = clean_reason(data.get(REASON_INPUT))
            except InvalidChangeError as error:
                return _answer(replies.message(error.user_message), "no_reason", stored)
        outcome, pending = await self._confirm.claim(pending_id, clicker.user_id)
        if outcome in (ClaimOutcome.CLAIMED, ClaimOutcome.RECLAIMED) and pending is not None:
            if reason is not None:
                operations = with_reason(pending.operations, reason)
                intent = replace(pending.intent, reason=reason)
                pending = replace(pending, intent=intent, operations=operations)
            if outcome is ClaimOutcome.CLAIMED:
                answer = await self._confirm.run(turn_context, pending)
            else:
                answer = await self._confirm.resume(turn_context, pending, Click.CONFIRM)
            return await self._after(turn_context, pending, answer, reason)
        return await self._unclaimed(turn_context, outcome, pending or stored, verb)

    async def _unclaimed(
        self,
        turn_context: TurnContext,
        outcome: ClaimOutcome,
        pending: PendingChange,
        verb: str,
    ) -> Answer:
        """A click that won no claim: already applied, expired with the lead, or refused."""
        if outcome is ClaimOutcome.ALREADY_APPLIED:
            recorded = await self._parts.records.decision(pending.referral_id)
            if recorded is not None:
                return self._decided(turn_context, recorded, "already_applied")
        if outcome is ClaimOutcome.EXPIRED:
            expired = expired_decision(pending.referral_id, pending.expires_at)
            return self._decided(turn_context, expired, "expired")
        return refusal(outcome, pending, verb)

    async def _after(
        self,
        turn_context: TurnContext,
        pending: PendingChange,
        answer: Answer,
        reason: str | None,
    ) -> Answer:
        """Turn the Confirm path's answer into the lead's: the decided card, or the lead now."""
        read = answer.read
        current = read.value if read is not None else None
        if answer.outcome == "applied":
            clicker = seller_of(turn_context.activity)
            decision = LeadDecision(
                referral_id=pending.referral_id,
                outcome=_DECIDED_AS.get(pending.intent.outcome, LeadOutcome.CLOSED),
                decided_at=self._services.clock.now(),
                by_name=clicker.name,
                by_user_id=clicker.user_id,
                reason=reason,
            )
            await self._parts.copies.record(decision)
            self._settle_copies(pending.referral_id)
            return self._decided(turn_context, decision, "applied", referral=current)
        if read is None or current is None or not _changed_meanwhile(answer.outcome):
            return answer  # a message (sign in, busy, being saved) or a refusal: as it is
        seen = seen_decision(current)
        if seen is None and not has_expired(current, self._services.clock.now()):
            return await self._fresh_card(turn_context, read, answer.outcome)
        recorded = await self._parts.records.decision(pending.referral_id)
        decision = recorded or seen or expired_decision(current.id, current.expiration_date_time)
        self._settle_copies(pending.referral_id, seen)
        notice = lead_replies.DECIDED_MEANWHILE
        return self._decided(
            turn_context, decision, f"{answer.outcome}_decided", referral=current, notice=notice
        )

    async def _fresh_card(
        self, turn_context: TurnContext, read: Versioned[Referral], outcome: str
    ) -> Answer:
        """Still open but changed since the card was made: the lead now, with fresh buttons."""
        viewer = await self._viewer(turn_context)
        card = await self._parts.offers.card(read, viewer, notice=lead_replies.CHANGED_MEANWHILE)
        return Answer(replies.card(card), f"{outcome}_reoffered", read.value.id, read)

    async def refresh(self, turn_context: TurnContext, data: Mapping[str, Any]) -> Answer:
        referral_id = data.get("referralId")
        if not is_referral_id(referral_id):
            return Answer(replies.bad_request(replies.BAD_BUTTON), "bad_data")
        recorded = await self._parts.records.decision(referral_id)
        read = await self._read(turn_context, referral_id)
        current = read.value if read is not None else None
        decision = recorded or (seen_decision(current) if current is not None else None)
        now = self._services.clock.now()
        if decision is None and current is not None and has_expired(current, now):
            decision = expired_decision(referral_id, current.expiration_date_time)
        if decision is not None:
            return self._decided(turn_context, decision, "refreshed_decided", referral=current)
        if read is None or current is None or not is_open_lead(current):
            return Answer(replies.card(self._unread_card(turn_context, referral_id)), "unread")
        viewer = await self._viewer(turn_context)
        offered = await self._parts.records.offer(referral_id, viewer.user_id)
        card = await self._parts.offers.card(read, viewer, with_buttons=offered is not None)
        outcome = "refreshed_open" if offered is not None else "refreshed_view"
        return Answer(replies.card(card), outcome, referral_id)

    async def _read(
        self, turn_context: TurnContext, referral_id: str
    ) -> Versioned[Referral] | None:
        """The lead as the viewer's own access shows it (their sign-in, else their cached
        token), within READ_WITHIN; None when it can't be read in time."""
        seller = seller_of(turn_context.activity)
        try:
            async with asyncio.timeout(READ_WITHIN):
                user = await self._services.assertions.assertion(turn_context)
                user = user or UserAssertion.silent(seller.tenant_id, seller.user_id)
                return await self._services.referrals.get(referral_id, user=user)
        except (ServiceError, TimeoutError) as error:
            logger.info(
                "card_action.lead_refresh.unread referral_ref=%s error=%s",
                id_ref(referral_id),
                type(error).__name__,
            )
            return None

    async def _viewer(self, turn_context: TurnContext) -> Viewer:
        activity = turn_context.activity
        seller = seller_of(activity)
        recipient = await self._parts.recipients.get(seller.user_id)
        chat = conversation_id(recipient.reference) if recipient is not None else ""
        return Viewer(
            user_id=seller.user_id,
            tenant_id=seller.tenant_id,
            name=seller.name,
            conversation_id=chat or seller.conversation_id,
            zone=seller_time_zone(activity),
            teams_user_ids=refresh_user_ids([getattr(activity.from_property, "id", None)]),
        )

    def _view(self, turn_context: TurnContext, referral_id: str) -> LeadView:
        activity = turn_context.activity
        zone = seller_time_zone(activity)
        return LeadView(
            referral_id,
            self._services.clock.now().astimezone(zone),
            zone,
            self._services.portal_url,
            refresh_user_ids([getattr(activity.from_property, "id", None)]),
        )

    def _decided(
        self,
        turn_context: TurnContext,
        decision: LeadDecision,
        outcome: str,
        *,
        referral: Referral | None = None,
        notice: str | None = None,
    ) -> Answer:
        view = self._view(turn_context, decision.referral_id)
        card = render_lead_decided_card(decision, view, referral=referral, notice=notice)
        return Answer(replies.card(card), outcome, decision.referral_id)

    def _unread_card(self, turn_context: TurnContext, referral_id: str) -> dict[str, Any]:
        return render_lead_channel_card(self._view(turn_context, referral_id), arrived_at=None)

    def _settle_copies(self, referral_id: str, seen: LeadDecision | None = None) -> None:
        """Every copy of the card turns into the decided one, after the answer (in the
        background: the invoke answers within Teams' budget)."""
        self._parts.background.start(
            self._parts.copies.settle(referral_id, seen),
            name=f"alerts.copies.settle referral_ref={id_ref(referral_id)}",
        )


def _changed_meanwhile(outcome: str) -> bool:
    """The Confirm path found the lead changed since the card was made (a 412, or a PATCH
    whose outcome was unknown): its answer holds the lead as it is now."""
    return outcome.endswith(("_reproposed", "_already_done", "_refused"))


def _answer(body: dict[str, Any], outcome: str, pending: PendingChange) -> Answer:
    return Answer(body, outcome, pending.referral_id)

"""Apply a claimed pending change at most once, and answer the Confirm click whatever happens.

The caller holds the claim (PENDING -> CLAIMED in the store), so no other click is applying this
change. Every path ends the claim, and the rule for how is "did the write happen?":
- applied (or the referral now shows the change)            -> APPLIED, the result card
- surely not written (429, sign-in, provably not applied,
  404/403, refused as invalid, 412)                          -> back to PENDING so the same card
                                                                can be confirmed again, or
                                                                CANCELLED when it never can be
- 412, or an unknown outcome on a referral that has changed -> re-read, re-plan from the seller's
                                                                intent, store a NEW pending change
                                                                (the old one SUPERSEDED), and show
                                                                a fresh confirm card: nothing is
                                                                written without a confirm on the
                                                                current version
- outcome unknown and the referral cannot be re-read        -> back to PENDING: the next Confirm's
                                                                PATCH carries the same If-Match,
                                                                so if the first one landed it gets
                                                                a 412 and the re-read shows the
                                                                change already there: never twice
An unexpected exception after the PATCH was sent (or a crash) leaves the claim in place: later
clicks hear "being saved" until its lease runs out. Then the proposer's next click takes the claim
over (RECLAIMED) and `resume` reconciles as above: the change is there -> APPLIED, the result
card; nothing was written -> a Confirm applies it now with the same If-Match (a PATCH that did
land would make it a 412: never twice), a Cancel cancels it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from functools import partial
from typing import Any

from botbuilder.core import TurnContext

from bot.card_actions import replies
from bot.cards import confirm_outcome
from bot.cards.confirm_change import Proposer, confirm_buttons, proposer_view, render_confirm_card
from bot.cards.elements import Element
from bot.cards.referral import render_referral_card
from bot.domain.assertion import UserAssertion
from bot.domain.change import already_applied, plan_change
from bot.domain.errors import (
    AccessDeniedError,
    ChangeNotAppliedError,
    ChangeSavedUnreadableError,
    ConcurrentUpdateError,
    DomainError,
    NothingToChangeError,
    ReferralNotFoundError,
    ServiceError,
    ServiceUnavailableError,
    SignInRequiredError,
    TooManyRequestsError,
)
from bot.domain.pending import ClaimOutcome, PendingChange, PendingState
from bot.domain.referral import Referral, Versioned
from dialogs.ports import DialogServices
from dialogs.turn_facts import seller_now, seller_of

Shared = Callable[[], Element]


@dataclass(frozen=True)
class Answer:
    """An invoke body, plus what happened in words fit for the log line.

    `shared`: the card that everyone in a group conversation sees once this answer ended the
    change (made only there, when called); `fresh`: the change proposed anew after a 412, whose
    card then replaces the posted one."""

    body: dict[str, Any]
    outcome: str
    referral_id: str | None = None
    # the referral as the answer found it (saved, or read after a 412), when it was read: lead
    # cards answer with their own card from it (bot.card_actions.lead_verbs)
    read: Versioned[Referral] | None = None
    shared: Shared | None = None
    fresh: PendingChange | None = None


class Click(Enum):
    """What a click that took over a claim from a vanished holder asks for."""

    CONFIRM = "confirm"
    CANCEL = "cancel"


class ConfirmFlow:
    def __init__(self, services: DialogServices) -> None:
        self._services = services

    async def claim(
        self, pending_id: str, user_id: str
    ) -> tuple[ClaimOutcome, PendingChange | None]:
        """The store's compare-and-set claim with this deployment's lease; a won claim goes to
        `run`, a taken-over one to `resume`."""
        return await self._services.pending.claim(
            pending_id,
            user_id=user_id,
            now=self._services.clock.now(),
            lease=self._services.claim_lease,
        )

    async def run(self, turn_context: TurnContext, pending: PendingChange) -> Answer:
        user = await self._user(turn_context, pending)
        if user is None:
            return self._answer(replies.message(replies.SIGN_IN), "sign_in", pending)
        return await self._apply(turn_context, pending, user)

    async def resume(
        self, turn_context: TurnContext, pending: PendingChange, click: Click
    ) -> Answer:
        """The claim was taken over from a holder that is gone (its lease ran out): whether its
        PATCH landed is unknown, so re-read before doing what this click asks."""
        user = await self._user(turn_context, pending)
        if user is None:
            return self._answer(replies.message(replies.SIGN_IN), "sign_in", pending)
        return await self._reconcile(turn_context, pending, user, click=click)

    async def _user(
        self, turn_context: TurnContext, pending: PendingChange
    ) -> UserAssertion | None:
        """The seller's assertion; without one the claim goes back to PENDING."""
        try:
            user = await self._services.assertions.assertion(turn_context)
        except ServiceError:
            user = None
        except BaseException:
            await self._finish(pending, PendingState.PENDING)
            raise
        if user is None:
            await self._finish(pending, PendingState.PENDING)
        return user

    async def _apply(
        self, turn_context: TurnContext, pending: PendingChange, user: UserAssertion
    ) -> Answer:
        try:
            updated = await self._services.referrals.apply(
                pending.referral_id, pending.operations, if_match=pending.etag, user=user
            )
        except ConcurrentUpdateError:
            return await self._replan(turn_context, pending, user)
        except ChangeSavedUnreadableError as error:
            await self._finish(pending, PendingState.APPLIED)
            body = replies.saved_unreadable(error.user_message)
            unread = self._saved_unread(turn_context, pending)
            return self._answer(body, "applied", pending, shared=unread)
        except ChangeNotAppliedError:
            await self._finish(pending, PendingState.PENDING)
            return self._answer(replies.message(replies.NOT_APPLIED), "not_applied", pending)
        except ServiceUnavailableError:
            return await self._reconcile(turn_context, pending, user)
        except ServiceError as error:
            return await self._not_written(pending, error)
        except DomainError as error:  # Partner Center refused the change as invalid
            await self._finish(pending, PendingState.CANCELLED)
            body = replies.refused(error.user_message)
            return self._answer(body, "refused_invalid", pending, shared=self._refused(pending))
        await self._finish(pending, PendingState.APPLIED)
        shared = self._saved(turn_context, pending, updated.value)
        card = self._result_card(updated.value)
        return self._answer(card, "applied", pending, updated, shared=shared)

    async def _replan(
        self, turn_context: TurnContext, pending: PendingChange, user: UserAssertion
    ) -> Answer:
        """412: nothing was written. Show what the change means for the current version."""
        try:
            current = await self._services.referrals.get(pending.referral_id, user=user)
        except ServiceError as error:
            return await self._not_written(pending, error)
        return await self._propose_again(
            turn_context, pending, current, replies.SOMEONE_ELSE_CHANGED, "conflict"
        )

    async def _reconcile(
        self,
        turn_context: TurnContext,
        pending: PendingChange,
        user: UserAssertion,
        *,
        click: Click | None = None,
    ) -> Answer:
        """The outcome is unknown: decide from a fresh read, or let the If-Match decide later.

        `click` is None when our own PATCH went unanswered; else a click took over the claim of a
        holder that vanished, and what nobody wrote is confirmed now or cancelled."""
        try:
            current = await self._services.referrals.get(pending.referral_id, user=user)
        except ServiceError:
            await self._finish(pending, PendingState.PENDING)
            return self._answer(replies.message(replies.OUTCOME_UNKNOWN), "unknown", pending)
        if current.etag == pending.etag:  # nobody wrote: ours did not land
            return await self._not_landed(turn_context, pending, user, click)
        if self._shows_ours(turn_context, pending, current.value):  # ours landed
            await self._finish(pending, PendingState.APPLIED)
            notice = replies.TOO_LATE_TO_CANCEL if click is Click.CANCEL else None
            body = self._result_card(current.value, notice=notice)
            shared = self._saved(turn_context, pending, current.value)
            return self._answer(body, "applied", pending, current, shared=shared)
        if click is Click.CANCEL:  # someone else changed it, ours is not there: cancel ours
            await self._finish(pending, PendingState.CANCELLED)
            cancelled = self._cancelled(pending)
            return self._answer(replies.cancelled(), "cancelled", pending, shared=cancelled)
        return await self._propose_again(
            turn_context, pending, current, replies.NOT_ANSWERED_CHANGED, "changed_meanwhile"
        )

    def _shows_ours(
        self, turn_context: TurnContext, pending: PendingChange, current: Referral
    ) -> bool:
        """The referral shows the change. A relative one ("+2 weeks") is judged by the values its
        operations write: re-planning it on a version that has it would move them again."""
        if pending.intent.is_relative:
            return already_applied(current, pending.operations)
        try:
            plan_change(current, pending.intent, now=self._now(turn_context))
        except NothingToChangeError:
            return True
        except DomainError:
            return False  # _propose_again explains it
        return False

    async def _not_landed(
        self,
        turn_context: TurnContext,
        pending: PendingChange,
        user: UserAssertion,
        click: Click | None,
    ) -> Answer:
        """The referral is the version the seller saw: no write of this change landed."""
        if click is Click.CANCEL:
            await self._finish(pending, PendingState.CANCELLED)
            cancelled = self._cancelled(pending)
            return self._answer(replies.cancelled(), "cancelled", pending, shared=cancelled)
        if click is Click.CONFIRM:
            if self._services.clock.now() < pending.expires_at:
                return await self._apply(turn_context, pending, user)  # same If-Match
            await self._finish(pending, PendingState.PENDING)  # and expired: stays so
            return self._answer(replies.expired(), "expired", pending)
        await self._finish(pending, PendingState.PENDING)
        return self._answer(replies.message(replies.NOT_APPLIED), "not_applied", pending)

    async def _propose_again(
        self,
        turn_context: TurnContext,
        pending: PendingChange,
        current: Versioned[Referral],
        notice: str,
        outcome: str,
    ) -> Answer:
        now = self._now(turn_context)
        try:
            if pending.intent.is_relative and already_applied(current.value, pending.operations):
                raise NothingToChangeError()  # ours landed before this 412: never twice
            # Otherwise the delta applies to the current value, shown on a fresh card.
            change = plan_change(current.value, pending.intent, now=now)
        except NothingToChangeError:
            await self._finish(pending, PendingState.SUPERSEDED)
            card = self._result_card(current.value, notice=replies.ALREADY_THERE, title=None)
            shared = self._saved(turn_context, pending, current.value, replies.ALREADY_THERE)
            return self._answer(card, f"{outcome}_already_done", pending, current, shared=shared)
        except DomainError as error:
            await self._finish(pending, PendingState.SUPERSEDED)
            explained = replies.changed_meanwhile(error.user_message)
            card = self._result_card(current.value, notice=explained, title=None)
            shared = partial(confirm_outcome.not_changed, explained)
            return self._answer(card, f"{outcome}_refused", pending, current, shared=shared)
        created = self._services.clock.now()
        fresh = replace(
            pending,
            id=secrets.token_urlsafe(16),
            etag=current.etag,
            intent=change.intent,
            operations=change.operations,
            created_at=created,
            expires_at=created + self._services.pending_ttl,
            state=PendingState.PENDING,
        )
        clicker = seller_of(turn_context.activity)
        if not clicker.in_group:
            await self._services.pending.put(fresh)
            await self._finish(pending, PendingState.SUPERSEDED)
            confirm = render_confirm_card(change, pending_id=fresh.id, notice=notice)
            return self._answer(replies.card(confirm), f"{outcome}_reproposed", pending, current)
        # In a group the fresh card replaces the posted one for everyone, and its refresh gives
        # the proposer (the clicker: claims are theirs only) the buttons, as the first one did.
        proposer = Proposer(pending.proposer_name, clicker.teams_id)
        group_card = render_confirm_card(change, pending_id=fresh.id, proposer=proposer)
        fresh = replace(fresh, card=group_card)
        await self._services.pending.put(fresh)
        await self._finish(pending, PendingState.SUPERSEDED)
        confirm = proposer_view(group_card, confirm_buttons(fresh.id), notice=notice)
        return Answer(
            replies.card(confirm),
            f"{outcome}_reproposed",
            pending.referral_id,
            shared=lambda: group_card,
            fresh=fresh,
            read=current,
        )

    async def _not_written(self, pending: PendingChange, error: ServiceError) -> Answer:
        """Nothing was written: release the claim when a later click can work, else cancel."""
        if isinstance(error, ReferralNotFoundError | AccessDeniedError):
            await self._finish(pending, PendingState.CANCELLED)
            body = replies.refused(error.user_message)
            return self._answer(body, "refused", pending, shared=self._refused(pending))
        await self._finish(pending, PendingState.PENDING)
        if isinstance(error, TooManyRequestsError):
            text, outcome = replies.busy(error.retry_after), "throttled"
        elif isinstance(error, SignInRequiredError):
            text, outcome = replies.sign_in_first(error.user_message), "sign_in"
        else:
            text, outcome = replies.try_again(error.user_message), "unavailable"
        return self._answer(replies.message(text), outcome, pending)

    def _saved(
        self,
        turn_context: TurnContext,
        pending: PendingChange,
        referral: Referral,
        notice: str | None = None,
    ) -> Shared:
        """Made only when called (in a group): a one-to-one click does no more work than before."""

        def card() -> Element:
            return confirm_outcome.saved_by(
                referral,
                portal_url=self._services.portal_url,
                by=pending.proposer_name,
                moment=self._now(turn_context),
                notice=notice,
            )

        return card

    def _saved_unread(self, turn_context: TurnContext, pending: PendingChange) -> Shared:
        def card() -> Element:
            return confirm_outcome.saved_unread(pending.proposer_name, self._now(turn_context))

        return card

    @staticmethod
    def _cancelled(pending: PendingChange) -> Shared:
        return partial(confirm_outcome.cancelled_by, pending.proposer_name)

    @staticmethod
    def _refused(pending: PendingChange) -> Shared:
        return partial(confirm_outcome.refused, pending.proposer_name)

    def _result_card(
        self,
        referral: Referral,
        *,
        notice: str | None = None,
        title: str | None = replies.SAVED_TITLE,
    ) -> dict[str, Any]:
        portal_url = self._services.portal_url
        return replies.card(
            render_referral_card(referral, portal_url=portal_url, title=title, notice=notice)
        )

    async def _finish(self, pending: PendingChange, state: PendingState) -> None:
        await self._services.pending.finish(pending.id, state, owner=pending.claim_owner)

    def _now(self, turn_context: TurnContext) -> datetime:
        return seller_now(turn_context.activity, self._services.clock)

    @staticmethod
    def _answer(
        body: dict[str, Any],
        outcome: str,
        pending: PendingChange,
        read: Versioned[Referral] | None = None,
        *,
        shared: Shared | None = None,
    ) -> Answer:
        return Answer(body, outcome, pending.referral_id, read, shared=shared)

"""Confirm or Cancel on a batch's card (issue 16 §4): each referral's change goes its own way.

A batch only lists its items (`PendingChange.batch_items`), each an ordinary pending change with
its own eTag. Confirm claims each item with the store's compare-and-set claim and applies it with
the single change's flow (`bot/card_actions/confirm_flow.py`): its own If-Match, its own 412 and
re-plan. So duplicate or concurrent clicks on the batch apply each item at most once (a second
click finds an item claimed or applied), and one referral changed by someone else gets a fresh
card while the others save. The batch itself is never claimed. Items are applied one after the
other: at most ten, and each answer is told apart on the result card.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from botbuilder.core import TurnContext

from bot.card_actions import replies
from bot.card_actions.confirm_flow import Answer, Click, ConfirmFlow, Shared
from bot.cards import confirm_outcome
from bot.cards.confirm_batch import ItemResult, render_batch_result_card
from bot.cards.confirm_change import confirm_buttons
from bot.cards.elements import Element
from bot.domain.pending import ClaimOutcome, PendingChange, PendingState
from dialogs.ports import DialogServices
from dialogs.turn_facts import seller_now, seller_of

SOMEONE_ELSE = "Not saved: someone else changed it meanwhile. Confirm it again below."
SOMEONE_ELSE_SHARED = "Not saved: someone else changed it meanwhile."
NOT_CHANGED = "Not changed."
SUPERSEDED = "Not changed with this card: there is a newer one for it."
EXPIRED = "Not changed: this confirmation has expired. Ask me again."
CANCELLED = "Cancelled — not changed."
ALREADY_SAVED = "Already saved."
_REFUSED = frozenset({"refused", "refused_invalid"})


class BatchFlow:
    def __init__(self, services: DialogServices, confirm: ConfirmFlow) -> None:
        self._services = services
        self._confirm = confirm

    async def confirm(self, turn_context: TurnContext, batch: PendingChange) -> Answer:
        """The proposer's click: every item that can still be applied is, once."""
        clicker = seller_of(turn_context.activity)
        if batch.proposer_id != clicker.user_id:
            return Answer(replies.not_yours(batch.proposer_name, "confirm"), "not_proposer")
        answers = [
            await self._confirm_item(turn_context, item_id, clicker.user_id)
            for item_id in batch.batch_items
        ]
        return self._summed(turn_context, batch, answers)

    async def cancel(self, turn_context: TurnContext, batch: PendingChange) -> Answer:
        """Cancels what is not applied yet; what is already saved stays saved and is named."""
        clicker = seller_of(turn_context.activity)
        if batch.proposer_id != clicker.user_id:
            return Answer(replies.not_yours(batch.proposer_name, "cancel"), "not_proposer")
        results: list[ItemResult] = []
        for item_id in batch.batch_items:
            stored = await self._services.pending.get(item_id)
            outcome = await self._services.pending.cancel(item_id, user_id=clicker.user_id)
            label = _label(stored)
            if outcome is ClaimOutcome.CANCELLED:
                results.append(ItemResult(label, CANCELLED))
            elif outcome is ClaimOutcome.ALREADY_APPLIED:
                results.append(ItemResult(label, replies.TOO_LATE_TO_CANCEL, "good"))
            elif outcome is ClaimOutcome.IN_PROGRESS:
                results.append(ItemResult(label, replies.IN_PROGRESS, "warning"))
            else:
                results.append(ItemResult(label, EXPIRED))
        if all(result.said == CANCELLED for result in results):
            everyone = partial(confirm_outcome.cancelled_by, batch.proposer_name)
            return Answer(replies.cancelled(), "cancelled", shared=everyone)
        if any(result.said == replies.IN_PROGRESS for result in results):
            return Answer(replies.card(render_batch_result_card(results)), "batch_cancelled")
        shared = self._for_everyone(turn_context, results, batch)
        return Answer(
            replies.card(render_batch_result_card(results)), "batch_cancelled", shared=shared
        )

    async def _confirm_item(
        self, turn_context: TurnContext, item_id: str, user_id: str
    ) -> tuple[PendingChange | None, Answer | ItemResult]:
        outcome, pending = await self._confirm.claim(item_id, user_id)
        label = _label(pending)
        if outcome is ClaimOutcome.CLAIMED and pending is not None:
            return pending, await self._confirm.run(turn_context, pending)
        if outcome is ClaimOutcome.RECLAIMED and pending is not None:
            return pending, await self._confirm.resume(turn_context, pending, Click.CONFIRM)
        if outcome is ClaimOutcome.ALREADY_APPLIED:
            return pending, ItemResult(label, ALREADY_SAVED, "good")
        if outcome is ClaimOutcome.IN_PROGRESS:
            return pending, Answer(replies.message(replies.IN_PROGRESS), "in_progress")
        if outcome is ClaimOutcome.CANCELLED:
            return pending, ItemResult(label, CANCELLED)
        if pending is not None and pending.state is PendingState.SUPERSEDED:
            return pending, ItemResult(label, SUPERSEDED)
        return pending, ItemResult(label, EXPIRED)

    def _summed(
        self,
        turn_context: TurnContext,
        batch: PendingChange,
        answers: list[tuple[PendingChange | None, Answer | ItemResult]],
    ) -> Answer:
        """One answer for the click. Every item waiting to be confirmed again for the same
        reason (sign in, Partner Center busy): that message, and the card stays as it was."""
        messages = [a for _, a in answers if isinstance(a, Answer) and _is_message(a)]
        if messages and len(messages) == len(answers):
            return Answer(messages[0].body, f"batch_{messages[0].outcome}")
        results = [_result(_label(pending), answer) for pending, answer in answers]
        if all(result.said == EXPIRED for result in results):
            return Answer(replies.expired(), "expired")
        card = render_batch_result_card(results)
        saved = sum(result.style == "good" for result in results)
        outcome = f"batch_{saved}_of_{len(results)}_saved"
        if messages:  # some are still to be confirmed: the same batch, applied items skipped
            card["actions"] = confirm_buttons(
                batch.id, confirm="Confirm the rest", cancel="Cancel the rest"
            )
            return Answer(replies.card(card), outcome)
        # every item ended: in a group, everyone sees each one's outcome (and who confirmed)
        return Answer(
            replies.card(card), outcome, shared=self._for_everyone(turn_context, results, batch)
        )

    def _for_everyone(
        self, turn_context: TurnContext, results: Sequence[ItemResult], batch: PendingChange
    ) -> Shared:
        """The outcome lines without the fresh confirm cards, which only the proposer may use;
        made only when called (in a group)."""

        def card() -> Element:
            shown = [
                replace(result, said=SOMEONE_ELSE_SHARED) if result.said == SOMEONE_ELSE else result
                for result in results
            ]
            moment = seller_now(turn_context.activity, self._services.clock)
            return confirm_outcome.batch_by(shown, by=batch.proposer_name, moment=moment)

        return card


def _label(pending: PendingChange | None) -> str:
    return f"Referral {pending.referral_id}" if pending is not None else "A referral"


def _is_message(answer: Answer) -> bool:
    return answer.body.get("type") == replies.MESSAGE


def _result(label: str, answer: Answer | ItemResult) -> ItemResult:
    """One item's line on the result card, from the single change's answer."""
    if isinstance(answer, ItemResult):
        return answer
    outcome = answer.outcome
    if _is_message(answer):
        return ItemResult(label, _said(answer.body) or NOT_CHANGED, "warning")
    if outcome == "applied":
        return ItemResult(label, replies.SAVED, "good")
    if outcome.endswith("_reproposed"):
        fresh = answer.body.get("value")
        return ItemResult(
            label, SOMEONE_ELSE, "warning", fresh if isinstance(fresh, dict) else None
        )
    if outcome.endswith("_already_done"):
        return ItemResult(label, replies.ALREADY_THERE, "good")
    if outcome in _REFUSED or outcome.endswith("_refused"):
        return ItemResult(label, _said(answer.body) or NOT_CHANGED, "attention")
    if outcome == "cancelled":
        return ItemResult(label, CANCELLED)
    return ItemResult(label, EXPIRED if outcome == "expired" else NOT_CHANGED)


def _said(body: Mapping[str, Any]) -> str:
    """The sentence of a message answer, or of the notice at the top of a card answer."""
    value = body.get("value")
    if isinstance(value, str):
        return value
    if not isinstance(value, Mapping):
        return ""
    for element in value.get("body", []):
        if element.get("type") == "Container":
            texts = [
                str(block.get("text", ""))
                for block in element.get("items", [])
                if block.get("type") == "TextBlock" and block.get("size") != "Medium"
            ]
            return " ".join(text for text in texts if text)
    return ""

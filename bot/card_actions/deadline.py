"""Answer every card click before Teams gives up on the invoke (5 s); slower work updates later.

The click's work (`CardActions.dispatch`, for Confirm the Partner Center PATCH) runs as a task,
and the invoke waits for it at most `answer_within` seconds (on `sleep`, so tests can say when
the deadline has passed instead of waiting it out). Done in time: the answer as always.
Not done: a "Saving…" card now (nothing claimed as saved; for a Confirm a "Check again" button),
and when the work ends the card its answer would have shown replaces the clicked card
(`bot.card_actions.updates`).

The work never runs twice: a redelivered invoke gets the first answer (the "Saving…" card) from
`bot.inbound.dedupe`, and a new click on the same change finds it claimed in the pending-change
store (a
compare-and-set), which answers "being saved" without a second PATCH. If this process dies
before the card is updated, the claim's lease runs out and the seller's next click settles it
(`bot.card_actions.confirm_flow`).

In a group conversation the clicked card is the message everyone sees: replacing it with the
clicker's answer would show the proposer's buttons to all. There the ended change updates the
message itself (`bot.alerts.confirm_cards`), and the late replacement is skipped. A refresh
(`confirmRefresh`) only reads: it is answered whenever it is done, never with "Saving…" (Teams
keeps the card as it was if it gives up).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from botbuilder.core import TurnContext

from bot.background import BackgroundTasks
from bot.card_actions import replies
from bot.card_actions.updates import replace_clicked_card
from bot.card_actions.verbs import CardActionDispatcher, pending_id_of
from bot.cards.confirm_change import CANCEL_VERB, CONFIRM_VERB, REFRESH_VERB
from bot.cards.lead_alert import LEAD_ACCEPT_VERB, LEAD_DECLINE_VERB, LEAD_REFRESH_VERB
from bot.logging import new_correlation_id, safe_field
from dialogs.turn_facts import seller_of

logger = logging.getLogger(__name__)
ANSWER_WITHIN = 4.0  # seconds: Teams waits 5 s for an invoke answer, the network takes some
# A refresh bounds its own work and must never be answered "Saving…" (bot.card_actions.lead_verbs).
SELF_BOUNDED = frozenset({LEAD_REFRESH_VERB, REFRESH_VERB})
# A lead card may be a channel's: its late answer, the clicker's own view, must not replace the
# message for everyone. Its copies are updated after a decision anyway (bot.alerts.copies).
NOT_REPLACED = frozenset({LEAD_ACCEPT_VERB, LEAD_DECLINE_VERB})
Body = dict[str, Any]
Sleep = Callable[[float], Awaitable[None]]
ReplaceCard = Callable[[TurnContext, Body], Awaitable[None]]


class AnswerInTime:
    """A `CardActionDispatcher` around another one, answering within `answer_within` s."""

    def __init__(
        self,
        actions: CardActionDispatcher,
        background: BackgroundTasks,
        *,
        answer_within: float = ANSWER_WITHIN,
        replace_card: ReplaceCard = replace_clicked_card,
        new_id: Callable[[], str] = new_correlation_id,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._actions = actions
        self._background = background
        self._answer_within = answer_within
        self._replace_card = replace_card
        self._new_id = new_id
        self._sleep = sleep

    async def dispatch(
        self, turn_context: TurnContext, verb: str, data: Mapping[str, Any]
    ) -> dict[str, Any]:
        if verb in SELF_BOUNDED:
            return await self._actions.dispatch(turn_context, verb, data)
        work = asyncio.create_task(
            self._actions.dispatch(turn_context, verb, data),
            name=f"card_action.dispatch verb={safe_field(verb, 64)}",
        )
        deadline = asyncio.ensure_future(self._sleep(self._answer_within))
        try:
            done, _ = await asyncio.wait({work, deadline}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:  # the invoke's request went away: still update the card
            self._finish_later(turn_context, work, verb, data)
            raise
        finally:
            deadline.cancel()
        if work in done:
            return work.result()
        return self._finish_later(turn_context, work, verb, data)

    def _finish_later(
        self,
        invoke: TurnContext,
        work: asyncio.Task[Body],
        verb: str,
        data: Mapping[str, Any],
    ) -> Body:
        correlation_id = self._new_id()
        logger.info(
            "card_action.saving correlation_id=%s verb=%s answer_within_s=%.1f",
            correlation_id,
            safe_field(verb, 64),
            self._answer_within,
        )
        pending_id = pending_id_of(data) if verb == CONFIRM_VERB else None
        group_card = verb in (CONFIRM_VERB, CANCEL_VERB) and seller_of(invoke.activity).in_group
        replace_late = verb not in NOT_REPLACED and not group_card
        self._background.start(
            self._update_when_done(invoke, work, pending_id, correlation_id, replace=replace_late),
            name=f"card_action.finish correlation_id={correlation_id}",
        )
        return replies.saving(pending_id)

    async def _update_when_done(
        self,
        invoke: TurnContext,
        work: asyncio.Task[Body],
        pending_id: str | None,
        correlation_id: str,
        *,
        replace: bool = True,
    ) -> None:
        """Never raises (but for cancellation at shutdown): every fault is logged here."""
        try:
            card = replies.card_for_update(await work, pending_id=pending_id)
        except asyncio.CancelledError:
            work.cancel()
            logger.warning("card_action.cancelled correlation_id=%s", correlation_id)
            raise
        except Exception:
            logger.exception("card_action.failed correlation_id=%s", correlation_id)
            card = replies.failed_while_saving(correlation_id)
        if not replace:
            logger.info("card_update.left_to_copies correlation_id=%s", correlation_id)
            return
        try:
            await self._replace_card(invoke, card)
        except Exception:
            logger.exception("card_update.failed correlation_id=%s", correlation_id)
            return
        logger.info("card_update.done correlation_id=%s", correlation_id)

"""The last line of defence for a turn: log the fault, apologise, start the seller over.

The traceback goes to the log only, under a short correlation id; the seller sees a generic
apology with that id (never exception text), and their dialog stack is reset so the next
message starts fresh. A failed card click answers an error invoke response, which Teams shows
next to the card, leaving the card (and its buttons) as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from botbuilder.core import BotState, InvokeResponse, StatePropertyAccessor, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot.inbound.replies import apology
from bot.logging import id_ref, new_correlation_id, safe_field

logger = logging.getLogger(__name__)
OnTurnError = Callable[[TurnContext, Exception], Awaitable[None]]


def error_invoke_body(status: int, code: str, message: str) -> dict[str, Any]:
    """An `application/vnd.microsoft.error` answer to a card action."""
    return {
        "statusCode": status,
        "type": "application/vnd.microsoft.error",
        "value": {"code": code, "message": message},
    }


async def _answer(turn_context: TurnContext, correlation_id: str) -> None:
    if turn_context.activity.type == ActivityTypes.invoke:
        body = error_invoke_body(500, "InternalError", apology(correlation_id))
        invoke = InvokeResponse(status=int(HTTPStatus.OK), body=body)
        await turn_context.send_activity(Activity(type=ActivityTypes.invoke_response, value=invoke))
    else:
        await turn_context.send_activity(apology(correlation_id))


def make_on_turn_error(
    state: BotState,
    dialog_state: StatePropertyAccessor,
    *,
    new_id: Callable[[], str] = new_correlation_id,
) -> OnTurnError:
    """The adapter's `on_turn_error`, bound to where the dialog stack lives."""

    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        correlation_id = new_id()
        activity = turn_context.activity
        logger.error(
            "turn.failed correlation_id=%s type=%s name=%s conversation_ref=%s",
            correlation_id,
            safe_field(activity.type),
            safe_field(activity.name),
            id_ref(getattr(activity.conversation, "id", None)),
            exc_info=(type(error), error, error.__traceback__),
        )
        try:
            await _answer(turn_context, correlation_id)
        except Exception:  # the connector may be what failed: the log already has the fault
            logger.warning("turn.apology_failed correlation_id=%s", correlation_id)
        try:
            await dialog_state.delete(turn_context)
            await state.save_changes(turn_context, force=True)
        except Exception:
            logger.warning("turn.reset_failed correlation_id=%s", correlation_id)

    return on_turn_error

"""ReferralBot: translates Teams activities into "run the root dialog" or "dispatch a card verb".

Thin on purpose: understanding lives in `dialogs/`, card actions in `bot/card_actions/verbs.py`.
Dialog state is kept in PrivateConversationState (keyed by conversation *and* user), so two
sellers in one channel never continue each other's dialogs. State is saved in `finally`, also
when the turn fails (on_turn_error then resets the stack). Turns of one seller in one
conversation run one at a time (bot.keyed_locks), and a save that loses a race with another
instance is merged or dropped (bot.state.saves), never reported as the turn failing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, Protocol, runtime_checkable

from botbuilder.core import BotState, InvokeResponse, StatePropertyAccessor, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.dialogs import Dialog, DialogExtensions
from botbuilder.schema import Activity, ActivityTypes

from bot.card_actions.verbs import CardActionDispatcher
from bot.inbound.dedupe import ActivityDedupe
from bot.inbound.installs import Installs
from bot.inbound.policy import TenantPolicy
from bot.inbound.turn_errors import error_invoke_body
from bot.keyed_locks import KeyedLocks
from bot.logging import safe_field
from bot.sign_in.invokes import SignInInvokes
from bot.state.saves import save_turn_state

logger = logging.getLogger(__name__)
CARD_ACTION = "adaptiveCard/action"
_EMPTY_AT = re.compile(r"<at>\s*</at>", re.IGNORECASE)


@runtime_checkable
class QuickTurns(Protocol):
    """A root dialog that can answer some messages without the dialog machinery
    (`MainDialog.run_quick`); False = run the dialog as usual."""

    async def run_quick(
        self, turn_context: TurnContext, dialog_state: StatePropertyAccessor
    ) -> bool: ...


def _bot_mention_text(entity: Any, bot_id: str | None) -> str | None:
    extra = getattr(entity, "additional_properties", None) or {}
    mentioned, text = extra.get("mentioned"), extra.get("text")
    if getattr(entity, "type", "") != "mention" or not isinstance(mentioned, dict):
        return None
    return text if mentioned.get("id") == bot_id and isinstance(text, str) else None


def _mention_texts(activity: Activity) -> list[str]:
    """The text of every mention entity that names the bot (`<at>Referrals</at>`)."""
    bot_id = getattr(activity.recipient, "id", None)
    found = (_bot_mention_text(entity, bot_id) for entity in activity.entities or ())
    texts = [text for text in found if text]
    bot_name = getattr(activity.recipient, "name", None)
    if bot_name:
        texts.append(f"<at>{bot_name}</at>")
    return texts


def text_without_bot_mention(activity: Activity) -> str:
    """The seller's words without the @mention that made Teams deliver a channel message."""
    text = activity.text or ""
    for mention in _mention_texts(activity):
        text = text.replace(mention, " ")
    return " ".join(_EMPTY_AT.sub(" ", text).split())


def _card_action(activity: Activity) -> tuple[str, Mapping[str, Any]] | None:
    value = activity.value if isinstance(activity.value, dict) else {}
    action = value.get("action")
    if not isinstance(action, dict) or not isinstance(action.get("verb"), str):
        return None
    data = action.get("data")
    return action["verb"], data if isinstance(data, dict) else {}


def _no_501(answer: InvokeResponse | None) -> InvokeResponse | None:
    """The SDK answers an invoke it has no handler for with 501; for us that is a bad request."""
    if answer is not None and answer.status == int(HTTPStatus.NOT_IMPLEMENTED):
        return InvokeResponse(status=int(HTTPStatus.BAD_REQUEST))
    return answer


class ReferralBot(SignInInvokes, TeamsActivityHandler):  # type: ignore[misc]  # no botbuilder types
    def __init__(
        self,
        *,
        state: BotState,
        dialog_state: StatePropertyAccessor,
        dialog: Dialog,
        card_actions: CardActionDispatcher,
        policy: TenantPolicy | None = None,
        dedupe: ActivityDedupe | None = None,
        installs: Installs | None = None,
    ) -> None:
        super().__init__()
        self._installs = installs
        self._policy = policy
        self._dedupe = dedupe
        self._state = state
        self._dialog_state = dialog_state
        self._dialog = dialog
        self._quick = dialog if isinstance(dialog, QuickTurns) else None
        self._card_actions = card_actions
        self._turn_locks: KeyedLocks[str] = KeyedLocks()

    async def on_turn(self, turn_context: TurnContext) -> None:
        """One turn at a time per seller and conversation: each reads what the last one saved."""
        key = self._state_key(turn_context)
        if key is None:
            await self._deduped(turn_context)
            return
        async with self._turn_locks.hold(key):
            await self._deduped(turn_context)

    def _state_key(self, turn_context: TurnContext) -> str | None:
        """The dialog state's own key (channel, conversation, sender). None: the turn does not
        use that state (a card click, answered within seconds: it must not queue behind a
        slow message) or the activity lacks the ids."""
        activity = turn_context.activity
        if activity.type == ActivityTypes.invoke and activity.name == CARD_ACTION:
            return None
        try:
            return str(self._state.get_storage_key(turn_context))
        except Exception:  # missing conversation or sender id: nothing to share state with
            return None

    async def _deduped(self, turn_context: TurnContext) -> None:
        """A redelivered activity (bot.inbound.dedupe) is answered without running the turn
        again.
        """
        if self._dedupe is None:
            await self._turn(turn_context)
        else:
            await self._dedupe.run(turn_context, self._turn, alongside=self._preload)

    async def _preload(self, turn_context: TurnContext) -> None:
        """A message's turn reads the seller's dialog state: read it with the dedupe claim."""
        if turn_context.activity.type == ActivityTypes.message:
            await self._state.load(turn_context)

    async def _turn(self, turn_context: TurnContext) -> None:
        try:
            await super().on_turn(turn_context)
        finally:
            await save_turn_state(self._state, turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        refusal = self._refusal(turn_context)
        if refusal is not None:
            await turn_context.send_activity(refusal)
            return
        if self._installs is not None:
            await self._installs.seen_message(turn_context)
        turn_context.activity.text = text_without_bot_mention(turn_context.activity)
        if self._quick is not None and await self._quick.run_quick(
            turn_context, self._dialog_state
        ):
            return
        await DialogExtensions.run_dialog(self._dialog, turn_context, self._dialog_state)

    async def on_installation_update(self, turn_context: TurnContext) -> None:
        """Issue 17: a personal install is captured and greeted, an uninstall forgotten."""
        if self._installs is not None:
            allowed = self._refusal(turn_context) is None
            await self._installs.installation_update(turn_context, allowed=allowed)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        """The bot joining a personal chat is an install too (Teams sends both)."""
        if (
            self._installs is not None
            and self._refusal(turn_context) is None
            and await self._installs.members_added(turn_context)
        ):
            return
        await super().on_conversation_update_activity(turn_context)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        """`adaptiveCard/action` is answered here, with a plain dict the adapter sends as is."""
        refusal = self._refusal(turn_context)
        if refusal is not None and turn_context.activity.name != CARD_ACTION:
            return InvokeResponse(status=int(HTTPStatus.FORBIDDEN))
        if refusal is not None:
            body = error_invoke_body(403, "Forbidden", refusal)
            return InvokeResponse(status=int(HTTPStatus.OK), body=body)
        if turn_context.activity.name != CARD_ACTION:
            return _no_501(await super().on_invoke_activity(turn_context))
        action = _card_action(turn_context.activity)
        if action is None:
            logger.info("card_action.malformed")
            body = error_invoke_body(400, "BadRequest", "That button didn't send what I expected.")
            return InvokeResponse(status=int(HTTPStatus.OK), body=body)
        verb, data = action
        logger.info("card_action.received verb=%s", safe_field(verb, 64))
        answer = await self._card_actions.dispatch(turn_context, verb, data)
        return InvokeResponse(status=int(HTTPStatus.OK), body=answer)

    def _refusal(self, turn_context: TurnContext) -> str | None:
        """Tenant/guest policy (bot.inbound.policy), checked before any dialog or card action."""
        if self._policy is None:
            return None
        return self._policy.refusal(turn_context.activity)

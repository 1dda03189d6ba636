"""Replace a clicked card after its invoke was answered: a proactive `update_activity`.

The invoke's own turn is over by then, so the update runs in a continued conversation built from
the invoke's conversation reference, with the invoke's claims identity and OAuth scope: the same
identity its answer was sent with. In production that identity is the channel's token for
`settings.bot.app_id`; in demo mode (no inbound auth, empty app id) it is anonymous, and the
outbound connector goes without a token, as the invoke's answer did.
The card's message is the one the click came from: the invoke's `replyToId`.
"""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import BotAdapter, CardFactory, MessageFactory, TurnContext

logger = logging.getLogger(__name__)


async def replace_clicked_card(invoke: TurnContext, card: dict[str, Any]) -> None:
    """PUT the card over the clicked message; without a `replyToId`, post it as a new one."""
    activity = invoke.activity
    reference = TurnContext.get_conversation_reference(activity)
    message = MessageFactory.attachment(CardFactory.adaptive_card(card))
    card_message_id = activity.reply_to_id

    async def update(context: TurnContext) -> None:
        if card_message_id:
            message.id = card_message_id
            await context.update_activity(message)
        else:
            logger.warning("card_update.no_reply_to_id: posting the card as a new message")
            await context.send_activity(message)

    await invoke.adapter.continue_conversation(
        reference,
        update,
        claims_identity=invoke.turn_state.get(BotAdapter.BOT_IDENTITY_KEY),
        audience=invoke.turn_state.get(BotAdapter.BOT_OAUTH_SCOPE_KEY),
    )

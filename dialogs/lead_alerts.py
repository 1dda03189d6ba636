"""Who the bot tells about new leads (issue 17): "post new leads here" in a channel, "stop lead
alerts" in personal chat. Each is answered in one turn; the stores are reached through the
`LeadAlertSettings` port, and a command said in the wrong place changes nothing and says where
it works."""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext

from bot.logging import id_ref
from dialogs import replies
from dialogs.grammar.commands import LeadAlerts, PostLeadsHere
from dialogs.outbox import say
from dialogs.ports import DialogServices
from dialogs.turn_facts import seller_of

_LOG = logging.getLogger(__name__)


def _conversation_type(context: TurnContext) -> str:
    conversation = context.activity.conversation
    return str(getattr(conversation, "conversation_type", None) or "").casefold()


async def run_alert_command(
    context: TurnContext, services: DialogServices, command: PostLeadsHere | LeadAlerts
) -> None:
    settings = services.alerts
    if settings is None:
        await say(context, replies.ALERTS_UNAVAILABLE)
        return
    where = _conversation_type(context)
    if isinstance(command, PostLeadsHere):
        if where != "channel":
            await say(context, replies.CHANNELS_ONLY)
        elif command.on:
            await settings.subscribe_channel(context)
            _LOG.info("alerts.channel_subscribed user_ref=%s", _user_ref(context))
            await say(context, replies.POSTING_LEADS_HERE)
        elif await settings.unsubscribe_channel(context):
            _LOG.info("alerts.channel_unsubscribed user_ref=%s", _user_ref(context))
            await say(context, replies.STOPPED_POSTING_HERE)
        else:
            await say(context, replies.NOT_POSTING_HERE)
        return
    if where != "personal":
        await say(context, replies.ALERTS_ARE_PERSONAL)
        return
    changed = await settings.set_lead_alerts(context, on=command.on)
    _LOG.info(
        "alerts.lead_alerts on=%s changed=%s user_ref=%s", command.on, changed, _user_ref(context)
    )
    if command.on:
        await say(context, replies.ALERTS_NOW_ON if changed else replies.ALERTS_ALREADY_ON)
    else:
        await say(context, replies.ALERTS_NOW_OFF if changed else replies.ALERTS_ALREADY_OFF)


def _user_ref(context: TurnContext) -> str:
    return id_ref(seller_of(context.activity).user_id)

"""The dialogs' `LeadAlertSettings` port (issue 17) over the state backend's stores.

A seller's alerts live on their `Recipient` (bot.inbound.installs keeps it; one who installed
the bot before issue 17 is stored from the turn that asks, with the member lookup for the
e-mail, and counts as greeted: they know the bot). A channel's subscription holds the channel's
own reference (bot.outbound.proactive.channel_reference_of), so cards start threads of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from botbuilder.core import TurnContext

from bot.domain.proactive import ChannelSubscription, ChannelSubscriptions
from bot.inbound.installs import Installs
from bot.outbound.proactive import channel_id_of, channel_reference_of
from dialogs.ports import Clock
from dialogs.turn_facts import seller_of


@dataclass(frozen=True)
class StoredAlertSettings:
    installs: Installs
    channels: ChannelSubscriptions
    clock: Clock

    async def set_lead_alerts(self, context: TurnContext, *, on: bool) -> bool:
        stored = await self.installs.stored(context)
        if stored is not None and stored.alerts_on == on:
            return False
        recipient = stored or replace(await self.installs.made(context), greeted=True)
        await self.installs.put(replace(recipient, alerts_on=on))
        return True

    async def subscribe_channel(self, context: TurnContext) -> None:
        activity = context.activity
        seller = seller_of(activity)
        await self.channels.put(
            ChannelSubscription(
                conversation_id=channel_id_of(activity),
                tenant_id=seller.tenant_id,
                reference=channel_reference_of(activity),
                subscribed_by=seller.name,
                subscribed_at=self.clock.now(),
            )
        )

    async def unsubscribe_channel(self, context: TurnContext) -> bool:
        return await self.channels.remove(channel_id_of(context.activity))
